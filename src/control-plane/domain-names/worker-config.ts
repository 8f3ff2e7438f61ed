// The part of the worker config that custom domain names make: each public name with its base path
// mappings and mutual TLS truststore. Private names are reached through VPC endpoints, which a
// self-hosted gateway has none of.
import type { EntityManager } from 'typeorm';
import type { DomainNameConfig } from '../../shared/worker-config.js';
import type { DomainNameData } from './entity.js';

/** Inside the caller's (repeatable-read) transaction, so that it agrees with the rest of the config. */
export async function domainNameWorkerConfig(em: EntityManager): Promise<DomainNameConfig[]> {
  const domains: { id: string; account_id: string; domain_name: string; mutual_tls: DomainNameData['mutualTlsAuthentication'] | null }[] = await em.query(
    `SELECT id, account_id, domain_name, data->'mutualTlsAuthentication' AS mutual_tls FROM domain_names WHERE NOT private ORDER BY lower(domain_name)`,
  );
  const mappings: { domain_id: string; base_path: string; rest_api_id: string; stage: string | null }[] = await em.query(
    'SELECT m.domain_id, m.base_path, m.rest_api_id, m.stage FROM base_path_mappings m JOIN domain_names d ON d.id = m.domain_id WHERE NOT d.private ORDER BY m.domain_id, m.base_path',
  );
  const byDomain = new Map(
    domains.map((d) => {
      const mutualTls = d.mutual_tls?.truststoreUri
        ? { truststoreUri: d.mutual_tls.truststoreUri, ...(d.mutual_tls.truststoreVersion ? { truststoreVersion: d.mutual_tls.truststoreVersion } : {}) }
        : undefined;
      const domain: DomainNameConfig = { domainName: d.domain_name.toLowerCase(), accountId: d.account_id, basePathMappings: [], ...(mutualTls ? { mutualTls } : {}) };
      return [d.id, domain];
    }),
  );
  for (const m of mappings) {
    byDomain.get(m.domain_id)?.basePathMappings.push({ basePath: m.base_path, restApiId: m.rest_api_id, ...(m.stage !== null ? { stage: m.stage } : {}) });
  }
  return [...byDomain.values()];
}
