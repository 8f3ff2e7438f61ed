// Writes an import plan into an API, in the caller's transaction: the same rows CreateModel,
// CreateAuthorizer, CreateRequestValidator, CreateResource, PutMethod, PutIntegration and
// PutGatewayResponse write. `overwrite` first clears the API's definition, keeping the ids of
// resources whose paths the document keeps; `merge` adds to it and replaces what has the same name.
import type { EntityManager } from 'typeorm';
import { AuthorizerEntity } from '../authorizers/entity.js';
import { writeParts } from '../documentation/store.js';
import { GatewayResponseEntity } from '../gateway-responses/entity.js';
import { MethodEntity } from '../methods/entity.js';
import { checkAuthorizer, checkModels, checkRequestValidator } from '../methods/validate.js';
import { ModelEntity } from '../models/entity.js';
import { ApiError, badRequest } from '../protocol/errors.js';
import { newId } from '../protocol/ids.js';
import { RequestValidatorEntity } from '../request-validators/entity.js';
import { ResourceEntity } from '../resources/entity.js';
import type { RestApiRow } from '../rest-apis/entity.js';
import type { ImportPlan } from './plan.js';

export type ImportMode = 'create' | 'merge' | 'overwrite';

async function clearDefinition(em: EntityManager, api: RestApiRow, keptPaths: Set<string>) {
  const byApi = { restApiId: api.id, accountId: api.accountId };
  await em.getRepository(MethodEntity).delete(byApi);
  // Deleting a resource takes its subtree with it; a kept path's ancestors are all kept too.
  for (const resource of await em.getRepository(ResourceEntity).findBy(byApi)) {
    if (resource.parentId !== null && !keptPaths.has(resource.path)) await em.getRepository(ResourceEntity).delete({ id: resource.id });
  }
  await em.getRepository(ModelEntity).delete(byApi);
  await em.getRepository(RequestValidatorEntity).delete(byApi);
  await em.getRepository(AuthorizerEntity).delete(byApi);
  await em.getRepository(GatewayResponseEntity).delete(byApi);
}

/** Inserts or (by name) replaces rows of a name-keyed family, returning the ids by name. */
async function upsertByName<T extends { id?: string; name?: string }>(
  em: EntityManager,
  entity: typeof ModelEntity | typeof RequestValidatorEntity | typeof AuthorizerEntity,
  api: RestApiRow,
  items: T[],
): Promise<Map<string, string>> {
  const repo = em.getRepository(entity);
  const ids = new Map<string, string>();
  for (const row of await repo.findBy({ restApiId: api.id, accountId: api.accountId })) ids.set(row.name, row.id);
  for (const item of items) {
    const existing = ids.get(item.name!);
    const id = existing ?? newId(6);
    const data = { id, ...item } as never;
    if (existing) await repo.update({ id }, { data });
    else await repo.insert({ id, accountId: api.accountId, restApiId: api.id, name: item.name!, data });
    ids.set(item.name!, id);
  }
  return ids;
}

async function createResources(em: EntityManager, api: RestApiRow, paths: string[]): Promise<Map<string, string>> {
  const repo = em.getRepository(ResourceEntity);
  const ids = new Map((await repo.findBy({ restApiId: api.id, accountId: api.accountId })).map((r) => [r.path, r.id]));
  const rows = [];
  for (const path of paths) {
    if (ids.has(path)) continue;
    const slash = path.lastIndexOf('/');
    const parentId = ids.get(path.slice(0, slash) || '/')!;
    const id = newId();
    rows.push({ id, accountId: api.accountId, restApiId: api.id, parentId, pathPart: path.slice(slash + 1), path });
    ids.set(path, id);
  }
  // Parents precede their children in `paths`, so each chunk only names parents already written.
  for (const chunk of chunks(rows)) await repo.insert(chunk);
  return ids;
}

/** Rows in groups small enough for one INSERT's bind parameters: a large import is a few statements, not thousands. */
function chunks<T>(rows: T[], size = 200): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

function rethrowAsImportError(context: string) {
  return (e: unknown): never => {
    if (e instanceof ApiError && e.status === 400) throw badRequest(`Errors found during import:\n\t${context}: ${e.message}`);
    throw e;
  };
}

export async function applyPlan(em: EntityManager, api: RestApiRow, plan: ImportPlan, mode: ImportMode): Promise<void> {
  if (mode === 'overwrite') await clearDefinition(em, api, new Set(plan.paths));
  await upsertByName(em, ModelEntity, api, plan.models);
  const validatorIds = await upsertByName(em, RequestValidatorEntity, api, plan.validators);
  const authorizerIds = await upsertByName(em, AuthorizerEntity, api, plan.authorizers);
  const resourceIds = await createResources(em, api, plan.paths);

  const methods = em.getRepository(MethodEntity);
  const methodRows = [];
  for (const planned of plan.methods) {
    const resourceId = resourceIds.get(planned.path)!;
    const method = structuredClone(planned.method);
    if (planned.authorizerName) method.authorizerId = authorizerIds.get(planned.authorizerName);
    if (planned.validatorName) method.requestValidatorId = validatorIds.get(planned.validatorName);
    if (method.methodIntegration) method.methodIntegration.cacheNamespace ??= resourceId;
    const context = `Unable to put method '${method.httpMethod}' on resource at path '${planned.path}'`;
    await checkAuthorizer(em, api.id, method.authorizationType, method.authorizerId).catch(rethrowAsImportError(context));
    await checkRequestValidator(em, api.id, method.requestValidatorId).catch(rethrowAsImportError(context));
    await checkModels(em, api.id, method.requestModels).catch(rethrowAsImportError(context));
    const key = { resourceId, httpMethod: method.httpMethod!, accountId: api.accountId };
    // A new API has no methods to replace; merge and overwrite replace the document's own.
    if (mode !== 'create') await methods.delete(key);
    methodRows.push({ ...key, restApiId: api.id, data: method });
  }
  for (const chunk of chunks(methodRows)) await methods.insert(chunk);

  for (const response of plan.gatewayResponses) {
    await em.getRepository(GatewayResponseEntity).save({ restApiId: api.id, responseType: response.responseType!, accountId: api.accountId, data: response });
  }
  if (plan.documentation && (plan.documentation.length || mode === 'overwrite')) {
    await writeParts(em, api.accountId, api.id, plan.documentation, mode === 'merge' ? 'merge' : 'overwrite');
  }
}
