// Finding an account's RestApi, failing as API Gateway does for ids it does not know.
import type { EntityManager } from 'typeorm';
import { notFound } from '../protocol/errors.js';
import type { Context } from '../protocol/operation.js';
import { RestApiEntity, type RestApiRow } from './entity.js';

export const apiNotFound = (ctx: Context, restApiId: string) => notFound(`Invalid API identifier specified ${ctx.accountId}:${restApiId}`);

export async function findRestApi(em: EntityManager, ctx: Context, restApiId: string, lock = false): Promise<RestApiRow> {
  const row = await em.getRepository(RestApiEntity).findOne({
    where: { id: restApiId, accountId: ctx.accountId },
    ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
  });
  if (!row) throw apiNotFound(ctx, restApiId);
  return row;
}

export const restApiArn = (region: string, restApiId: string) => `arn:aws:apigateway:${region}::/restapis/${restApiId}`;
