// ImportApiKeys: keys from API Gateway's API key file, a CSV with the Name and Key columns and
// optionally Description, Enabled (true unless given) and UsagePlanIds (quoted, comma-separated),
// headers in any case and order, other columns ignored. A value the account already has updates
// that key: the newest import wins. Each row imports whole or not at all; a row that cannot be
// imported is a warning, or fails the whole import with `failonwarnings`.
import type { EntityManager } from 'typeorm';
import { transaction } from '../../db/data-source.js';
import { bumpConfigVersion } from '../config-channel/version.js';
import { ApiError, badRequest } from '../protocol/errors.js';
import { newId } from '../protocol/ids.js';
import type { Context, Handlers } from '../protocol/operation.js';
import type { ApiKeyIds, ImportApiKeysRequest } from '../protocol/shapes.js';
import { findUsagePlan } from '../usage-plans/lookup.js';
import { addKeyToPlan, planHasKey } from '../usage-plans/membership.js';
import { parseCsv } from './csv.js';
import { ApiKeyEntity, type ApiKeyRow } from './entity.js';
import { insertApiKey } from './store.js';
import { checkDescription, checkName, checkValue, keyWithValue } from './validate.js';

type KeyRecord = { name?: string; value: string; description?: string; enabled: boolean; usagePlanIds: string[] };

const COLUMNS = ['name', 'key', 'description', 'enabled', 'usageplanids'] as const;
type Column = (typeof COLUMNS)[number];

function columnsOf(header: string[]): Partial<Record<Column, number>> {
  const names = header.map((h) => h.trim().toLowerCase());
  const columns: Partial<Record<Column, number>> = {};
  for (const column of COLUMNS) if (names.includes(column)) columns[column] = names.indexOf(column);
  if (columns.name === undefined || columns.key === undefined) throw badRequest('Invalid API key file: the Name and Key columns are required');
  return columns;
}

function recordOf(fields: string[], columns: Partial<Record<Column, number>>): KeyRecord {
  const field = (column: Column) => (columns[column] === undefined ? '' : (fields[columns[column]!] ?? ''));
  const value = field('key');
  checkValue(value);
  const name = field('name') || undefined;
  if (name !== undefined) checkName(name);
  const description = field('description') || undefined;
  if (description !== undefined) checkDescription(description);
  const enabled = field('enabled') === '' || field('enabled').toLowerCase() === 'true';
  const usagePlanIds = field('usageplanids').split(',').map((id) => id.trim()).filter(Boolean);
  return { name, value, description, enabled, usagePlanIds };
}

/** Creates the key, or updates the account's key with that value; then adds it to its plans. */
async function importKey(em: EntityManager, ctx: Context, record: KeyRecord): Promise<string> {
  const now = new Date();
  const existing = await keyWithValue(em, ctx, record.value);
  const data = { ...(record.description !== undefined ? { description: record.description } : {}), enabled: record.enabled };
  let key: ApiKeyRow;
  if (existing) {
    key = { ...existing, name: record.name ?? null, lastUpdatedDate: now, data: { ...data, stageKeys: existing.data.stageKeys } };
    await em.getRepository(ApiKeyEntity).update({ id: key.id, accountId: ctx.accountId }, { name: key.name, lastUpdatedDate: now, data: key.data });
  } else {
    key = await insertApiKey(em, ctx, { id: newId(10), name: record.name ?? null, value: record.value, customerId: null, createdDate: now, lastUpdatedDate: now, data: { ...data, stageKeys: [] } });
  }
  for (const planId of record.usagePlanIds) {
    const plan = await findUsagePlan(em, ctx, planId, true);
    if (!(await planHasKey(em, plan.id, key.id))) await addKeyToPlan(em, ctx, plan, key);
  }
  return key.id;
}

async function ImportApiKeys(input: ImportApiKeysRequest, ctx: Context): Promise<ApiKeyIds> {
  const [header, ...rows] = parseCsv(input.body.toString('utf8'));
  if (!header) throw badRequest('Invalid API key file: the Name and Key columns are required');
  const columns = columnsOf(header);
  return transaction(ctx.db, async (em) => {
    const ids: string[] = [];
    const warnings: string[] = [];
    for (const [i, fields] of rows.entries()) {
      await em.query('SAVEPOINT import_key');
      try {
        const id = await importKey(em, ctx, recordOf(fields, columns));
        if (!ids.includes(id)) ids.push(id);
        await em.query('RELEASE SAVEPOINT import_key');
      } catch (err) {
        if (!(err instanceof ApiError)) throw err;
        await em.query('ROLLBACK TO SAVEPOINT import_key');
        warnings.push(`Line ${i + 2}: ${err.message}`);
      }
    }
    if (warnings.length && input.failOnWarnings) throw badRequest(warnings.join('; '));
    if (ids.length) await bumpConfigVersion(em);
    return { ids, ...(warnings.length ? { warnings } : {}) };
  });
}

export const importApiKeyHandlers: Handlers = { ImportApiKeys };
