// Builds the worker config of a given version from the stages and the deployments they point at,
// the API keys and the usage plans.
import type { DataSource } from 'typeorm';
import type { Stage } from '../protocol/shapes.js';
import { usagePlanWorkerConfig } from '../usage-plans/worker-config.js';
import { CONFIG_FORMAT, type DeploymentSnapshot, type StageConfig, type WorkerConfig, type WorkerIdentities } from '../../shared/worker-config.js';

type StageRecord = { rest_api_id: string; stage_name: string; deployment_id: string; data: Stage & { authorizersCacheEpoch?: number } };

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
  };
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
    return { format: CONFIG_FORMAT, version: Number(version), stages: stages.map(toStageConfig), deployments, ...(await usagePlanWorkerConfig(em)), ...(identities ? { identities } : {}) };
  });
}
