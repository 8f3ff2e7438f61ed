// Builds the worker config of a given version from the stages and the deployments they point at,
// the API keys and the usage plans.
import type { DataSource, EntityManager } from 'typeorm';
import type { Stage } from '../protocol/shapes.js';
import { clientCertificateWorkerConfig } from '../client-certificates/worker-config.js';
import { domainNameWorkerConfig } from '../domain-names/worker-config.js';
import { usagePlanWorkerConfig } from '../usage-plans/worker-config.js';
import { vpcLinkWorkerConfig } from '../vpc-links/worker-config.js';
import { CONFIG_FORMAT, type DeploymentSnapshot, type StageConfig, type ThrottleConfig, type WorkerConfig, type WorkerIdentities } from '../../shared/worker-config.js';

type StageRecord = { rest_api_id: string; stage_name: string; deployment_id: string; data: Stage & { authorizersCacheEpoch?: number; cacheEpoch?: number } };

function toStageConfig(row: StageRecord): StageConfig {
  const data = row.data ?? {};
  return {
    restApiId: row.rest_api_id,
    stageName: row.stage_name,
    deploymentId: row.deployment_id,
    variables: data.variables ?? {},
    methodSettings: data.methodSettings ?? {},
    tracingEnabled: data.tracingEnabled ?? false,
    cacheClusterEnabled: data.cacheClusterEnabled ?? false,
    ...(data.cacheClusterSize ? { cacheClusterSize: data.cacheClusterSize } : {}),
    ...(data.clientCertificateId ? { clientCertificateId: data.clientCertificateId } : {}),
    ...(data.accessLogSettings ? { accessLogSettings: data.accessLogSettings } : {}),
    ...(data.canarySettings ? { canarySettings: data.canarySettings } : {}),
    ...(data.authorizersCacheEpoch ? { authorizersCacheEpoch: data.authorizersCacheEpoch } : {}),
    ...(data.cacheEpoch ? { cacheEpoch: data.cacheEpoch } : {}),
  };
}

/** Account-level throttles that UpdateAccount changed (workers apply AWS's default to every other account). */
async function accountThrottles(em: EntityManager): Promise<Record<string, ThrottleConfig>> {
  const rows: { account_id: string; throttle: { rateLimit?: number; burstLimit?: number } }[] = await em.query(
    `SELECT account_id, data->'throttleSettings' AS throttle FROM accounts WHERE data ? 'throttleSettings' ORDER BY account_id`,
  );
  return Object.fromEntries(rows.map((r) => [r.account_id, { rateLimit: r.throttle.rateLimit ?? 10000, burstLimit: r.throttle.burstLimit ?? 5000 }]));
}

/** Reads version, stages and snapshots in one repeatable-read transaction, so they agree. */
export async function buildWorkerConfig(dataSource: DataSource, identities?: WorkerIdentities): Promise<WorkerConfig> {
  return dataSource.transaction('REPEATABLE READ', async (em) => {
    const [{ version }] = (await em.query('SELECT version FROM config_state WHERE id = 1')) as [{ version: string }];
    const stages: StageRecord[] = await em.query('SELECT rest_api_id, stage_name, deployment_id, data FROM stages ORDER BY rest_api_id, stage_name');
    const ids = new Set(stages.map((s) => s.deployment_id));
    for (const s of stages) if (s.data?.canarySettings?.deploymentId) ids.add(s.data.canarySettings.deploymentId);
    const deployments: Record<string, DeploymentSnapshot> = {};
    if (ids.size) {
      const rows: { id: string; snapshot: DeploymentSnapshot }[] = await em.query('SELECT id, snapshot FROM deployments WHERE id = ANY($1)', [[...ids]]);
      for (const row of rows) deployments[row.id] = row.snapshot;
    }
    return { format: CONFIG_FORMAT, version: Number(version), stages: stages.map(toStageConfig), deployments, ...(await usagePlanWorkerConfig(em)), accountThrottles: await accountThrottles(em), ...(identities ? { identities } : {}),
      domainNames: await domainNameWorkerConfig(em), clientCertificates: await clientCertificateWorkerConfig(em), vpcLinks: await vpcLinkWorkerConfig(em) };
  });
}
