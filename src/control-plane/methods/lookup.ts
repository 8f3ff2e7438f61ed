// Finding a method of a resource (with its responses and integration), failing as API Gateway does.
import type { EntityManager } from 'typeorm';
import { notFound } from '../protocol/errors.js';
import type { Context } from '../protocol/operation.js';
import { findResource } from '../resources/handlers.js';
import { findRestApi } from '../rest-apis/lookup.js';
import { MethodEntity, type MethodRow } from './entity.js';

export const methodNotFound = () => notFound('Invalid Method identifier specified');

/**
 * Checks the API and the resource, then finds the method. With `lock`, the API row is locked for the
 * rest of the transaction, so concurrent changes to one API's methods apply one after another.
 */
export async function findMethod(em: EntityManager, ctx: Context, restApiId: string, resourceId: string, httpMethod: string, lock = false): Promise<MethodRow> {
  await findRestApi(em, ctx, restApiId, lock);
  await findResource(em, ctx, restApiId, resourceId);
  const row = await em.getRepository(MethodEntity).findOneBy({ resourceId, httpMethod, accountId: ctx.accountId });
  if (!row) throw methodNotFound();
  return row;
}

export async function saveMethod(em: EntityManager, row: MethodRow): Promise<void> {
  await em.getRepository(MethodEntity).save(row);
}
