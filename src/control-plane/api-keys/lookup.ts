// Finding an account's API key, and the ApiKey shape API Gateway answers with.
import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { notFound } from '../protocol/errors.js';
import type { Context } from '../protocol/operation.js';
import type { ApiKey } from '../protocol/shapes.js';
import { ApiKeyEntity, type ApiKeyRow } from './entity.js';

export const apiKeyNotFound = () => notFound('Invalid API Key identifier specified');

export const apiKeyArn = (region: string, id: string) => `arn:aws:apigateway:${region}::/apikeys/${id}`;

/** What workers match `x-api-key` against: the lower-case hex SHA-256 of the value. */
export const apiKeyValueHash = (value: string) => createHash('sha256').update(value, 'utf8').digest('hex');

export async function findApiKey(em: EntityManager, ctx: Context, id: string, lock = false): Promise<ApiKeyRow> {
  const row = await em.getRepository(ApiKeyEntity).findOne({
    where: { id, accountId: ctx.accountId },
    ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
  });
  if (!row) throw apiKeyNotFound();
  return row;
}

/** The key's value only when asked for; `tags` when given (reads answer `{}` for none, lists omit them). */
export function toApiKey(row: ApiKeyRow, options: { includeValue: boolean; tags?: Record<string, string> }): ApiKey {
  return {
    id: row.id,
    ...(options.includeValue ? { value: row.value } : {}),
    ...(row.name !== null ? { name: row.name } : {}),
    ...(row.customerId !== null ? { customerId: row.customerId } : {}),
    ...(row.data.description !== undefined ? { description: row.data.description } : {}),
    enabled: row.data.enabled,
    createdDate: row.createdDate,
    lastUpdatedDate: row.lastUpdatedDate,
    stageKeys: row.data.stageKeys,
    ...(options.tags ? { tags: options.tags } : {}),
  };
}
