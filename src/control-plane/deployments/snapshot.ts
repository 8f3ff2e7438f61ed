// Freezes an API into the immutable DeploymentSnapshot the workers serve, and its apiSummary.
import type { EntityManager } from 'typeorm';
import { AuthorizerEntity } from '../authorizers/entity.js';
import { GatewayResponseEntity } from '../gateway-responses/entity.js';
import { MethodEntity, type MethodRow } from '../methods/entity.js';
import { ModelEntity } from '../models/entity.js';
import { badRequest } from '../protocol/errors.js';
import type { Method } from '../protocol/shapes.js';
import { RequestValidatorEntity } from '../request-validators/entity.js';
import { ResourceEntity, type ResourceRow } from '../resources/entity.js';
import type { RestApiRow } from '../rest-apis/entity.js';
import type { DeploymentSnapshot, SnapshotResource } from '../../shared/worker-config.js';
import type { ApiSummary } from './entity.js';

/** AWS refuses to deploy an API with nothing to serve, or with a method that has no integration. */
function checkDeployable(methods: Method[]): void {
  if (!methods.length) throw badRequest("The REST API doesn't contain any methods");
  if (methods.some((m) => !m.methodIntegration)) throw badRequest('No integration defined for method');
}

function methodsByResource(methods: MethodRow[]): Map<string, Record<string, Method>> {
  const byResource = new Map<string, Record<string, Method>>();
  for (const method of methods) {
    const entry = byResource.get(method.resourceId) ?? {};
    entry[method.httpMethod] = method.data;
    byResource.set(method.resourceId, entry);
  }
  return byResource;
}

function toSnapshotResource(row: ResourceRow, methods: Record<string, Method> | undefined): SnapshotResource {
  return {
    id: row.id,
    path: row.path,
    ...(row.pathPart !== null ? { pathPart: row.pathPart } : {}),
    ...(row.parentId !== null ? { parentId: row.parentId } : {}),
    methods: methods ?? {},
  };
}

function apiSummaryOf(resources: SnapshotResource[]): ApiSummary {
  const summary: ApiSummary = {};
  for (const resource of resources) {
    const entries = Object.entries(resource.methods);
    if (!entries.length) continue;
    summary[resource.path] = Object.fromEntries(
      entries.map(([httpMethod, m]) => [httpMethod, { authorizationType: m.authorizationType, apiKeyRequired: m.apiKeyRequired ?? false }]),
    );
  }
  return summary;
}

function apiSettings(api: RestApiRow): DeploymentSnapshot['api'] {
  const { binaryMediaTypes, minimumCompressionSize, apiKeySource, disableExecuteApiEndpoint, policy, endpointConfiguration } = api.data;
  return { name: api.name, binaryMediaTypes, minimumCompressionSize, apiKeySource, disableExecuteApiEndpoint, policy, endpointConfiguration };
}

/**
 * Reads everything a worker needs from the API as it is now (inside the caller's transaction, with
 * the API row locked, so no concurrent change lands half-way) and copies it into a snapshot.
 * TestInvokeMethod runs such a snapshot of the undeployed API as it is.
 */
export async function snapshotApi(em: EntityManager, api: RestApiRow, deploymentId: string): Promise<DeploymentSnapshot> {
  const byApi = { restApiId: api.id, accountId: api.accountId };
  const methods = await em.getRepository(MethodEntity).findBy(byApi);
  const resourceRows = await em.getRepository(ResourceEntity).find({ where: byApi, order: { path: 'ASC' } });
  const methodsOf = methodsByResource(methods);
  const resources = resourceRows.map((row) => toSnapshotResource(row, methodsOf.get(row.id)));
  const models = await em.getRepository(ModelEntity).find({ where: byApi, order: { name: 'ASC' } });
  const requestValidators = await em.getRepository(RequestValidatorEntity).find({ where: byApi, order: { name: 'ASC' } });
  const authorizers = await em.getRepository(AuthorizerEntity).find({ where: byApi, order: { name: 'ASC' } });
  const gatewayResponses = await em.getRepository(GatewayResponseEntity).find({ where: byApi, order: { responseType: 'ASC' } });
  return {
    restApiId: api.id,
    deploymentId,
    accountId: api.accountId,
    api: apiSettings(api),
    resources,
    models: models.map((r) => r.data),
    requestValidators: requestValidators.map((r) => r.data),
    authorizers: authorizers.map((r) => r.data),
    gatewayResponses: gatewayResponses.map((r) => r.data),
  };
}

/** CreateDeployment's snapshot: the API as it is now, refused when it has nothing deployable. */
export async function freezeApi(em: EntityManager, api: RestApiRow, deploymentId: string): Promise<{ snapshot: DeploymentSnapshot; apiSummary: ApiSummary }> {
  const snapshot = await snapshotApi(em, api, deploymentId);
  checkDeployable(snapshot.resources.flatMap((r) => Object.values(r.methods)));
  return { snapshot, apiSummary: apiSummaryOf(snapshot.resources) };
}
