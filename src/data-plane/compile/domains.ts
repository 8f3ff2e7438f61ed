// Custom domain names compiled for routing by Host: per name, a tree of its base paths by segment,
// so a request finds its longest matching base path in one walk down its path, once per segment.
import type { BasePathMappingConfig, DomainNameConfig } from '../../shared/worker-config.js';

type BasePathNode = { children: Map<string, BasePathNode>; mapping?: BasePathMappingConfig };

/** `truststoreUri`: the name has mutual TLS; requests must come over TLS with a certificate it verified. */
export type CompiledDomain = { domainName: string; accountId: string; root: BasePathNode; truststoreUri?: string };

export type CompiledDomains = {
  /** by lower-case domain name */
  exact: Map<string, CompiledDomain>;
  /** `*.example.com` names by their suffix `.example.com` */
  wildcards: Map<string, CompiledDomain>;
};

/** A request's mapping and how many of its path segments the base path took. */
export type BasePathMatch = { mapping: BasePathMappingConfig; consumed: number };

function compileDomain(domain: DomainNameConfig): CompiledDomain {
  const root: BasePathNode = { children: new Map() };
  for (const mapping of domain.basePathMappings) {
    let node = root;
    for (const segment of mapping.basePath.split('/').filter(Boolean)) {
      let child = node.children.get(segment);
      if (!child) node.children.set(segment, (child = { children: new Map() }));
      node = child;
    }
    node.mapping = mapping;
  }
  return { domainName: domain.domainName, accountId: domain.accountId, root, ...(domain.mutualTls ? { truststoreUri: domain.mutualTls.truststoreUri } : {}) };
}

export function compileDomains(domains: DomainNameConfig[] = []): CompiledDomains {
  const exact = new Map<string, CompiledDomain>();
  const wildcards = new Map<string, CompiledDomain>();
  for (const domain of domains) {
    const name = domain.domainName.toLowerCase();
    if (name.startsWith('*.')) wildcards.set(name.slice(1), compileDomain(domain));
    else exact.set(name, compileDomain(domain));
  }
  return { exact, wildcards };
}

/** The domain a host name (lower case, no port) is: the name itself, else the wildcard one label up. */
export function findDomain(domains: CompiledDomains, hostname: string): CompiledDomain | undefined {
  const exact = domains.exact.get(hostname);
  if (exact || domains.wildcards.size === 0) return exact;
  const dot = hostname.indexOf('.');
  return dot < 0 ? undefined : domains.wildcards.get(hostname.slice(dot));
}

/** The longest base path that prefixes `segments` (decoded), `(none)` when nothing longer matches. */
export function matchBasePath(domain: CompiledDomain, segments: string[]): BasePathMatch | undefined {
  let node: BasePathNode | undefined = domain.root;
  let best: BasePathMatch | undefined = node.mapping ? { mapping: node.mapping, consumed: 0 } : undefined;
  for (let i = 0; i < segments.length; i++) {
    node = node.children.get(segments[i]!);
    if (!node) break;
    if (node.mapping) best = { mapping: node.mapping, consumed: i + 1 };
  }
  return best;
}
