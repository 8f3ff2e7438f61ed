// Finding a method of a resource (with its responses and integration), failing as API Gateway does:
// an unknown API or resource is reported as an unknown resource, then an unknown method.
import type { EntityManager } from 'typeorm';
import { notFound } from '../protocol/errors.js';
import type { Context } from '../protocol/operation.js';
import { findResource } from '../resources/handlers.js';
import { findRestApi } from '../rest-apis/lookup.js';
import { MethodEntity, type MethodRow } from './entity.js';

export const methodNotFound = () => notFound('Invalid Method identifier specified');

/**
 * Checks the resource (scoped to the API and account) and, with `lock`, locks the API row for the
 * rest of the transaction, so concurrent changes to one API's methods apply one after another.
 */
export async function findMethodResource(em: EntityManager, ctx: Context, restApiId: string, resourceId: string, lock = false) {
  const resource = await findResource(em, ctx, restApiId, resourceId);
  if (lock) await findRestApi(em, ctx, restApiId, true);
  return resource;
}

export async function findMethod(em: EntityManager, ctx: Context, restApiId: string, resourceId: string, httpMethod: string, lock = false): Promise<MethodRow> {
  await findMethodResource(em, ctx, restApiId, resourceId, lock);
  const row = await em.getRepository(MethodEntity).findOneBy({ resourceId, httpMethod, accountId: ctx.accountId });
  if (!row) throw methodNotFound();
  return row;
}

export async function saveMethod(em: EntityManager, row: MethodRow): Promise<void> {
  await em.getRepository(MethodEntity).save(row);
}
