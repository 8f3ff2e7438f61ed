// Which API keys are in which usage plans, and the rule that binds them: a key may not be in two
// plans that share an API stage, or a request on that stage would have two plans to count against.
import type { EntityManager } from 'typeorm';
import type { ApiKeyRow } from '../api-keys/entity.js';
import { conflict } from '../protocol/errors.js';
import type { Context } from '../protocol/operation.js';
import type { ApiStage } from '../protocol/shapes.js';
import { UsagePlanEntity, UsagePlanKeyEntity, type UsagePlanRow } from './entity.js';
import { apiStageId } from './lookup.js';

const stageClash = (planId: string, keyId: string, stage: string) =>
  conflict(`Usage Plan ${planId} cannot be added because API Key ${keyId} cannot reference multiple Usage Plans with the same API Stage: ${stage}`);

/** The account's plans that hold the key, other than `exceptPlanId`. */
async function otherPlansOf(em: EntityManager, ctx: Context, keyId: string, exceptPlanId: string): Promise<UsagePlanRow[]> {
  return em
    .getRepository(UsagePlanEntity)
    .createQueryBuilder('p')
    .innerJoin('UsagePlanKey', 'k', 'k.usagePlanId = p.id')
    .where('k.keyId = :keyId AND p.accountId = :accountId AND p.id <> :exceptPlanId', { keyId, accountId: ctx.accountId, exceptPlanId })
    .getMany();
}

/** Throws when the key, in plan `planId` with `stages`, would meet one of those stages in another plan. */
export async function checkNoStageClash(em: EntityManager, ctx: Context, planId: string, keyId: string, stages: ApiStage[]): Promise<void> {
  if (!stages.length) return;
  const wanted = new Set(stages.map(apiStageId));
  for (const other of await otherPlansOf(em, ctx, keyId, planId)) {
    const shared = (other.data.apiStages ?? []).map(apiStageId).find((s) => wanted.has(s));
    if (shared) throw stageClash(planId, keyId, shared);
  }
}

export const planHasKey = (em: EntityManager, planId: string, keyId: string) => em.getRepository(UsagePlanKeyEntity).existsBy({ usagePlanId: planId, keyId });

/** Adds a key to a plan, both rows locked by the caller; a key already there is a conflict. */
export async function addKeyToPlan(em: EntityManager, ctx: Context, plan: UsagePlanRow, key: ApiKeyRow): Promise<void> {
  if (await planHasKey(em, plan.id, key.id)) throw conflict(`Usage Plan ${plan.id} already contains API Key ${key.id}`);
  await checkNoStageClash(em, ctx, plan.id, key.id, plan.data.apiStages ?? []);
  await em.getRepository(UsagePlanKeyEntity).insert({ usagePlanId: plan.id, keyId: key.id, accountId: ctx.accountId, createdDate: new Date() });
}

/** The ids of the plan's keys, locked, so that no key joins another plan meanwhile. */
export async function lockKeysOfPlan(em: EntityManager, planId: string): Promise<string[]> {
  const rows: { id: string }[] = await em.query(
    'SELECT k.id FROM api_keys k JOIN usage_plan_keys m ON m.key_id = k.id WHERE m.usage_plan_id = $1 ORDER BY k.id FOR UPDATE OF k',
    [planId],
  );
  return rows.map((r) => r.id);
}
