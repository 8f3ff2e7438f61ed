// The part of the worker config that API keys and usage plans make: keys by value hash with their
// plans, and plans with their stages, throttles, quota and UpdateUsage's adjustments.
import type { EntityManager } from 'typeorm';
import { addDays, utcDay } from '../../shared/quota.js';
import type { ApiKeyConfig, ThrottleConfig, UsagePlanConfig, WorkerConfig } from '../../shared/worker-config.js';
import type { ApiKeyData } from '../api-keys/entity.js';
import type { ThrottleSettings } from '../protocol/shapes.js';
import type { UsagePlanData } from './entity.js';

// A quota period is at most a month: older adjustments can no longer apply.
const ADJUSTMENT_HORIZON_DAYS = 31;

const throttleOf = (t: ThrottleSettings): ThrottleConfig => ({ rateLimit: t.rateLimit ?? 0, burstLimit: t.burstLimit ?? 0 });

function toPlanConfig(row: { id: string; account_id: string; data: UsagePlanData }): UsagePlanConfig {
  const { apiStages = [], throttle, quota } = row.data;
  return {
    id: row.id,
    accountId: row.account_id,
    apiStages: apiStages.map((s) => ({
      restApiId: s.apiId!,
      stageName: s.stage!,
      methodThrottles: Object.fromEntries(Object.entries(s.throttle ?? {}).map(([key, t]) => [key, throttleOf(t)])),
    })),
    ...(throttle ? { throttle: throttleOf(throttle) } : {}),
    ...(quota?.limit !== undefined && quota.period ? { quota: { limit: quota.limit, offset: quota.offset ?? 0, period: quota.period } } : {}),
    quotaAdjustments: {},
  };
}

/** Inside the caller's (repeatable-read) transaction, so that it agrees with the rest of the config. */
export async function usagePlanWorkerConfig(em: EntityManager): Promise<Pick<WorkerConfig, 'apiKeys' | 'usagePlans'>> {
  const keys: { id: string; account_id: string; value_hash: string; data: ApiKeyData }[] = await em.query(
    'SELECT id, account_id, value_hash, data FROM api_keys ORDER BY id',
  );
  const members: { usage_plan_id: string; key_id: string }[] = await em.query('SELECT usage_plan_id, key_id FROM usage_plan_keys ORDER BY usage_plan_id');
  const plans: { id: string; account_id: string; data: UsagePlanData }[] = await em.query('SELECT id, account_id, data FROM usage_plans ORDER BY id');
  const adjustments: { usage_plan_id: string; key_id: string; period_start: string; delta: string }[] = await em.query(
    `SELECT usage_plan_id, key_id, period_start::text AS period_start, delta FROM usage_quota_adjustments
     WHERE period_start >= $1::date ORDER BY period_start`,
    [addDays(utcDay(), -ADJUSTMENT_HORIZON_DAYS)],
  );
  const plansOfKey = new Map<string, string[]>();
  for (const m of members) plansOfKey.set(m.key_id, [...(plansOfKey.get(m.key_id) ?? []), m.usage_plan_id]);
  const apiKeys: ApiKeyConfig[] = keys.map((k) => ({
    id: k.id,
    accountId: k.account_id,
    valueHash: k.value_hash,
    enabled: k.data.enabled,
    usagePlanIds: plansOfKey.get(k.id) ?? [],
    stageKeys: k.data.stageKeys,
  }));
  const usagePlans = plans.map(toPlanConfig);
  const byId = new Map(usagePlans.map((p) => [p.id, p]));
  // Later periods come last and win: a key has at most one adjustment that can still apply.
  for (const a of adjustments) {
    const plan = byId.get(a.usage_plan_id);
    if (plan) plan.quotaAdjustments[a.key_id] = { periodStart: a.period_start, delta: Number(a.delta) };
  }
  return { apiKeys, usagePlans };
}
