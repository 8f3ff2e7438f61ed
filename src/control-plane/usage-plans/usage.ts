// Usage of a plan's keys: the daily counts workers report (recordUsage), GetUsage's daily
// [used, remaining] per key, and UpdateUsage's change to a key's remaining quota for the current
// quota period (kept as an adjustment of that period's allowance, so later requests still count).
import type { EntityManager } from 'typeorm';
import { transaction, type Database } from '../../db/data-source.js';
import { quotaPeriodStart, addDays, utcDay, type Quota } from '../../shared/quota.js';
import type { UsageReport } from '../../shared/worker-config.js';
import { apiKeyNotFound } from '../api-keys/lookup.js';
import { bumpConfigVersion } from '../config-channel/version.js';
import { badRequest } from '../protocol/errors.js';
import type { Context, Handlers } from '../protocol/operation.js';
import { paginate } from '../protocol/pagination.js';
import { applyPatches, patchInteger, standardPatchErrors, type PatchRule } from '../protocol/patch.js';
import type { GetUsageRequest, UpdateUsageRequest, Usage } from '../protocol/shapes.js';
import type { UsagePlanRow } from './entity.js';
import { findUsagePlan } from './lookup.js';
import { planHasKey } from './membership.js';

/** A real calendar day written `YYYY-MM-DD`. */
export function isDay(text: unknown): text is string {
  return typeof text === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(Date.parse(`${text}T00:00:00Z`)) && utcDay(new Date(`${text}T00:00:00Z`)) === text;
}

export type RecordedUsage = { recorded: number; ignored: number };

/**
 * Adds a batch of worker reports in one statement, so the batch counts whole or not at all. Counts
 * for the same plan, key and day are summed; a key no longer in the plan is ignored.
 */
export async function recordUsage(db: Database, reports: UsageReport[]): Promise<RecordedUsage> {
  const totals = new Map<string, UsageReport>();
  for (const r of reports) {
    const id = JSON.stringify([r.usagePlanId, r.keyId, r.day]);
    const seen = totals.get(id);
    totals.set(id, { ...r, count: (seen?.count ?? 0) + r.count });
  }
  const batch = [...totals.values()];
  if (!batch.length) return { recorded: 0, ignored: 0 };
  const rows: unknown[] = await transaction(db, (em) =>
    em.query(
      `INSERT INTO usage (usage_plan_id, key_id, day, account_id, used)
       SELECT r.plan, r.key, r.day::date, m.account_id, r.count
       FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[]) AS r(plan, key, day, count)
       JOIN usage_plan_keys m ON m.usage_plan_id = r.plan AND m.key_id = r.key
       ON CONFLICT (usage_plan_id, key_id, day) DO UPDATE SET used = usage.used + EXCLUDED.used
       RETURNING 1`,
      [batch.map((r) => r.usagePlanId), batch.map((r) => r.keyId), batch.map((r) => r.day), batch.map((r) => r.count)],
    ),
  );
  return { recorded: rows.length, ignored: batch.length - rows.length };
}

/** [used, remaining] per day from `startDate` to `endDate`, by key id. */
async function usageTable(em: EntityManager, plan: UsagePlanRow, keyIds: string[], startDate: string, endDate: string): Promise<Record<string, number[][]>> {
  const quota = plan.data.quota as Quota | undefined;
  // Remaining quota counts from the start of the period that holds the first day asked for.
  const from = quota ? quotaPeriodStart(quota, startDate) : startDate;
  const used: { key_id: string; day: string; used: string }[] = await em.query(
    `SELECT key_id, day::text AS day, used FROM usage WHERE usage_plan_id = $1 AND key_id = ANY($2) AND day BETWEEN $3::date AND $4::date`,
    [plan.id, keyIds, from, endDate],
  );
  const adjustments: { key_id: string; period_start: string; delta: string }[] = await em.query(
    `SELECT key_id, period_start::text AS period_start, delta FROM usage_quota_adjustments
     WHERE usage_plan_id = $1 AND key_id = ANY($2) AND period_start BETWEEN $3::date AND $4::date`,
    [plan.id, keyIds, from, endDate],
  );
  const usedOn = new Map(used.map((u) => [`${u.key_id} ${u.day}`, Number(u.used)]));
  const deltaOf = new Map(adjustments.map((a) => [`${a.key_id} ${a.period_start}`, Number(a.delta)]));
  const table: Record<string, number[][]> = {};
  for (const keyId of keyIds) {
    const days: number[][] = [];
    let periodStart = '';
    let usedInPeriod = 0;
    for (let day = from; day <= endDate; day = addDays(day, 1)) {
      const start = quota ? quotaPeriodStart(quota, day) : day;
      if (start !== periodStart) {
        periodStart = start;
        usedInPeriod = 0;
      }
      const usedToday = usedOn.get(`${keyId} ${day}`) ?? 0;
      usedInPeriod += usedToday;
      const allowance = quota ? quota.limit + (deltaOf.get(`${keyId} ${periodStart}`) ?? 0) : 0;
      if (day >= startDate) days.push([usedToday, Math.max(0, allowance - usedInPeriod)]);
    }
    table[keyId] = days;
  }
  return table;
}

async function keysOfPlan(em: EntityManager, planId: string, keyId: string | undefined): Promise<string[]> {
  const rows: { key_id: string }[] = await em.query(
    `SELECT key_id FROM usage_plan_keys WHERE usage_plan_id = $1 AND ($2::text IS NULL OR key_id = $2) ORDER BY key_id`,
    [planId, keyId ?? null],
  );
  return rows.map((r) => r.key_id);
}

async function GetUsage(input: GetUsageRequest, ctx: Context): Promise<Usage> {
  if (!isDay(input.startDate)) throw badRequest(`Invalid start date: ${input.startDate}. Dates are written yyyy-MM-dd`);
  if (!isDay(input.endDate)) throw badRequest(`Invalid end date: ${input.endDate}. Dates are written yyyy-MM-dd`);
  if (input.startDate > input.endDate) throw badRequest('The start date must not be after the end date');
  const em = ctx.db.dataSource.manager;
  const plan = await findUsagePlan(em, ctx, input.usagePlanId);
  const page = paginate(await keysOfPlan(em, plan.id, input.keyId), input.limit, input.position);
  return {
    usagePlanId: plan.id,
    startDate: input.startDate,
    endDate: input.endDate,
    items: await usageTable(em, plan, page.items, input.startDate, input.endDate),
    position: page.position,
  };
}

type UsageChange = { keyId: string; remaining?: number };

const usagePatchRules: PatchRule<UsageChange>[] = [
  { path: '/remaining', ops: ['replace'], apply: (change, op) => {
    change.remaining = remainingValue(patchInteger(op, `Invalid remaining quota value: ${op.value ?? 'null'}`));
  } },
  { path: '/keys/*/remaining', ops: ['replace'], apply: (change, op, [keyId]) => {
    if (keyId !== change.keyId) throw apiKeyNotFound();
    change.remaining = remainingValue(patchInteger(op, `Invalid remaining quota value: ${op.value ?? 'null'}`));
  } },
];

function remainingValue(n: number): number {
  if (n < 0) throw badRequest(`Invalid remaining quota value: ${n}`);
  return n;
}

async function UpdateUsage(input: UpdateUsageRequest, ctx: Context): Promise<Usage> {
  return transaction(ctx.db, async (em) => {
    const plan = await findUsagePlan(em, ctx, input.usagePlanId, true);
    if (!(await planHasKey(em, plan.id, input.keyId))) throw apiKeyNotFound();
    const change = applyPatches<UsageChange>({ keyId: input.keyId }, input.patchOperations, usagePatchRules, standardPatchErrors(usagePatchRules));
    const quota = plan.data.quota as Quota | undefined;
    if (!quota) throw badRequest(`Usage Plan ${plan.id} has no quota to change the remaining requests of`);
    const today = utcDay();
    const periodStart = quotaPeriodStart(quota, today);
    if (change.remaining !== undefined) {
      const [{ used }] = (await em.query(
        `SELECT COALESCE(SUM(used), 0) AS used FROM usage WHERE usage_plan_id = $1 AND key_id = $2 AND day BETWEEN $3::date AND $4::date`,
        [plan.id, input.keyId, periodStart, today],
      )) as [{ used: string }];
      // remaining = limit + delta - used, so that later requests keep counting down from here.
      const delta = change.remaining - (quota.limit - Number(used));
      await em.query(
        `INSERT INTO usage_quota_adjustments (usage_plan_id, key_id, period_start, account_id, delta) VALUES ($1, $2, $3::date, $4, $5)
         ON CONFLICT (usage_plan_id, key_id, period_start) DO UPDATE SET delta = EXCLUDED.delta`,
        [plan.id, input.keyId, periodStart, ctx.accountId, delta],
      );
      await bumpConfigVersion(em);
    }
    return { usagePlanId: plan.id, startDate: periodStart, endDate: today, items: await usageTable(em, plan, [input.keyId], periodStart, today) };
  });
}

export const usageHandlers: Handlers = { GetUsage, UpdateUsage };
