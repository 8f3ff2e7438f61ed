// Writing API keys: values are unique per account, and workers match them by hash.
import type { EntityManager } from 'typeorm';
import type { Context } from '../protocol/operation.js';
import { ApiKeyEntity, type ApiKeyRow } from './entity.js';
import { apiKeyValueHash } from './lookup.js';
import { apiKeyExists, keyWithValue } from './validate.js';

/** Inserts a new key; a value the account already has is a conflict (checked again by the unique index). */
export async function insertApiKey(em: EntityManager, ctx: Context, row: Omit<ApiKeyRow, 'valueHash' | 'accountId'>): Promise<ApiKeyRow> {
  if (await keyWithValue(em, ctx, row.value)) throw apiKeyExists();
  const full: ApiKeyRow = { ...row, accountId: ctx.accountId, valueHash: apiKeyValueHash(row.value) };
  try {
    await em.getRepository(ApiKeyEntity).insert(full);
  } catch (err) {
    if ((err as { code?: string }).code === '23505') throw apiKeyExists();
    throw err;
  }
  return full;
}
