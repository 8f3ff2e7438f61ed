// Finding a request validator of an API, failing as API Gateway does (also when the API is unknown).
import type { EntityManager } from 'typeorm';
import type { ApiChildRow } from '../../db/api-child-entity.js';
import { ApiError, notFound } from '../protocol/errors.js';
import type { Context } from '../protocol/operation.js';
import type { RequestValidator } from '../protocol/shapes.js';
import { findRestApi } from '../rest-apis/lookup.js';
import { RequestValidatorEntity } from './entity.js';

export type RequestValidatorRow = ApiChildRow<RequestValidator>;

export const requestValidatorNotFound = () => notFound('Invalid Request Validator identifier specified');

export async function findRequestValidator(em: EntityManager, ctx: Context, restApiId: string, id: string): Promise<RequestValidatorRow> {
  const row = await em.getRepository(RequestValidatorEntity).findOneBy({ id, restApiId, accountId: ctx.accountId });
  if (!row) throw requestValidatorNotFound();
  return row;
}

/**
 * For changes: locks the API row for the rest of the transaction, so that validators and the methods
 * using them change one after another, then finds the validator. An unknown API reads as an unknown validator.
 */
export async function lockRequestValidator(em: EntityManager, ctx: Context, restApiId: string, id: string): Promise<RequestValidatorRow> {
  try {
    await findRestApi(em, ctx, restApiId, true);
  } catch (e) {
    throw e instanceof ApiError && e.type === 'NotFoundException' ? requestValidatorNotFound() : e;
  }
  return findRequestValidator(em, ctx, restApiId, id);
}
