// Usage plans, the API keys in them, the daily usage workers report, and UpdateUsage's
// remaining-quota adjustments per quota period.
import { EntitySchema } from 'typeorm';
import type { UsagePlan } from '../protocol/shapes.js';

/** UsagePlan members kept in `data`; id, name and tags live elsewhere. */
export type UsagePlanData = Omit<UsagePlan, 'id' | 'name' | 'tags'>;

export type UsagePlanRow = { id: string; accountId: string; name: string; createdDate: Date; data: UsagePlanData };

export const UsagePlanEntity = new EntitySchema<UsagePlanRow>({
  name: 'UsagePlan',
  tableName: 'usage_plans',
  columns: {
    id: { type: 'varchar', primary: true },
    accountId: { type: 'char', name: 'account_id' },
    name: { type: 'text' },
    createdDate: { type: 'timestamptz', name: 'created_date' },
    data: { type: 'jsonb' },
  },
});

export type UsagePlanKeyRow = { usagePlanId: string; keyId: string; accountId: string; createdDate: Date };

export const UsagePlanKeyEntity = new EntitySchema<UsagePlanKeyRow>({
  name: 'UsagePlanKey',
  tableName: 'usage_plan_keys',
  columns: {
    usagePlanId: { type: 'varchar', primary: true, name: 'usage_plan_id' },
    keyId: { type: 'varchar', primary: true, name: 'key_id' },
    accountId: { type: 'char', name: 'account_id' },
    createdDate: { type: 'timestamptz', name: 'created_date' },
  },
});

/** Requests a key made under a plan on one UTC day (`YYYY-MM-DD`). */
export type UsageRow = { usagePlanId: string; keyId: string; day: string; accountId: string; used: string };

export const UsageEntity = new EntitySchema<UsageRow>({
  name: 'Usage',
  tableName: 'usage',
  columns: {
    usagePlanId: { type: 'varchar', primary: true, name: 'usage_plan_id' },
    keyId: { type: 'varchar', primary: true, name: 'key_id' },
    day: { type: 'date', primary: true },
    accountId: { type: 'char', name: 'account_id' },
    used: { type: 'bigint' },
  },
});

/** UpdateUsage's change to a key's remaining quota in the quota period starting on `periodStart`. */
export type QuotaAdjustmentRow = { usagePlanId: string; keyId: string; periodStart: string; accountId: string; delta: string };

export const QuotaAdjustmentEntity = new EntitySchema<QuotaAdjustmentRow>({
  name: 'UsageQuotaAdjustment',
  tableName: 'usage_quota_adjustments',
  columns: {
    usagePlanId: { type: 'varchar', primary: true, name: 'usage_plan_id' },
    keyId: { type: 'varchar', primary: true, name: 'key_id' },
    periodStart: { type: 'date', primary: true, name: 'period_start' },
    accountId: { type: 'char', name: 'account_id' },
    delta: { type: 'bigint' },
  },
});
