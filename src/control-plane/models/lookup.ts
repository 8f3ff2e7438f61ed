// Finding a model of an API by name, failing as API Gateway does (also when the API is unknown).
import type { EntityManager } from 'typeorm';
import type { ApiChildRow } from '../../db/api-child-entity.js';
import { ApiError, notFound } from '../protocol/errors.js';
import type { Context } from '../protocol/operation.js';
import type { Model } from '../protocol/shapes.js';
import { findRestApi } from '../rest-apis/lookup.js';
import { ModelEntity } from './entity.js';

export type ModelRow = ApiChildRow<Model>;

export const modelNotFound = (name: string) => notFound(`Invalid model name specified: ${name}`);

export async function findModel(em: EntityManager, ctx: Context, restApiId: string, name: string): Promise<ModelRow> {
  const row = await em.getRepository(ModelEntity).findOneBy({ restApiId, name, accountId: ctx.accountId });
  if (!row) throw modelNotFound(name);
  return row;
}

/**
 * For changes: locks the API row for the rest of the transaction, so that one API's models and
 * methods change one after another, then finds the model. An unknown API names the model, as AWS does.
 */
export async function lockModel(em: EntityManager, ctx: Context, restApiId: string, name: string): Promise<ModelRow> {
  try {
    await findRestApi(em, ctx, restApiId, true);
  } catch (e) {
    throw e instanceof ApiError && e.type === 'NotFoundException' ? modelNotFound(name) : e;
  }
  return findModel(em, ctx, restApiId, name);
}

/** An API's models by name. */
export async function modelsOf(em: EntityManager, ctx: Context, restApiId: string): Promise<ModelRow[]> {
  const rows = await em.getRepository(ModelEntity).findBy({ restApiId, accountId: ctx.accountId });
  // Code-point order, the same whatever the database's collation.
  return rows.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
