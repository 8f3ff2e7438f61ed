// CreateRestApi with cloneFrom: copies the source API's resources, methods, models, request
// validators, authorizers and gateway responses under new ids, in the caller's transaction.
import type { EntityManager } from 'typeorm';
import { AuthorizerEntity } from '../authorizers/entity.js';
import { GatewayResponseEntity } from '../gateway-responses/entity.js';
import { MethodEntity } from '../methods/entity.js';
import { ModelEntity } from '../models/entity.js';
import { newId } from '../protocol/ids.js';
import { RequestValidatorEntity } from '../request-validators/entity.js';
import { ResourceEntity } from '../resources/entity.js';
import type { RestApiRow } from './entity.js';

export async function cloneRestApi(em: EntityManager, source: RestApiRow, target: RestApiRow): Promise<void> {
  const base = { accountId: target.accountId, restApiId: target.id };
  const ids = new Map<string, string>();
  const remap = (id: string | undefined) => (id === undefined ? undefined : ids.get(id) ?? id);

  for (const entity of [ModelEntity, RequestValidatorEntity, AuthorizerEntity] as const) {
    const rows = await em.getRepository(entity).findBy({ restApiId: source.id });
    for (const row of rows) {
      const id = newId(6);
      ids.set(row.id, id);
      await em.getRepository(entity).insert({ ...row, ...base, id, data: { ...row.data, id } } as never);
    }
  }

  const resources = await em.getRepository(ResourceEntity).find({ where: { restApiId: source.id }, order: { path: 'ASC' } });
  for (const resource of resources) ids.set(resource.id, resource.parentId === null ? target.rootResourceId : newId());
  // Parents sort before their children by path, so each insert finds its parent already there.
  for (const resource of resources) {
    await em.getRepository(ResourceEntity).insert({ ...resource, ...base, id: ids.get(resource.id)!, parentId: resource.parentId && ids.get(resource.parentId)! });
  }

  const methods = await em.getRepository(MethodEntity).findBy({ restApiId: source.id });
  for (const method of methods) {
    const data = { ...method.data, authorizerId: remap(method.data.authorizerId), requestValidatorId: remap(method.data.requestValidatorId) };
    await em.getRepository(MethodEntity).insert({ ...method, ...base, resourceId: ids.get(method.resourceId)!, data });
  }

  const responses = await em.getRepository(GatewayResponseEntity).findBy({ restApiId: source.id });
  for (const response of responses) await em.getRepository(GatewayResponseEntity).insert({ ...response, ...base });
}
