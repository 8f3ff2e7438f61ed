// CreateUsagePlan, GetUsagePlan, GetUsagePlans, UpdateUsagePlan, DeleteUsagePlan; the plan's keys
// and usage have their handlers in plan-keys.ts and usage.ts.
import type { EntityManager } from 'typeorm';
import { transaction } from '../../db/data-source.js';
import { bumpConfigVersion } from '../config-channel/version.js';
import { badRequest } from '../protocol/errors.js';
import { newId } from '../protocol/ids.js';
import type { Context, Handlers } from '../protocol/operation.js';
import { paginate } from '../protocol/pagination.js';
import { applyPatches } from '../protocol/patch.js';
import type {
  CreateUsagePlanRequest,
  DeleteUsagePlanRequest,
  GetUsagePlanRequest,
  GetUsagePlansRequest,
  UpdateUsagePlanRequest,
  UsagePlan,
  UsagePlans,
} from '../protocol/shapes.js';
import { taggable } from '../tags/handlers.js';
import { deleteTags, readTags, writeTags } from '../tags/store.js';
import { validateTags } from '../tags/validate.js';
import { UsagePlanEntity, type UsagePlanData, type UsagePlanRow } from './entity.js';
import { checkApiStagesExist, normalizeApiStages, normalizeQuota, normalizeThrottle } from './limits.js';
import { apiStageId, findUsagePlan, toUsagePlan, usagePlanArn } from './lookup.js';
import { checkNoStageClash, lockKeysOfPlan } from './membership.js';
import { usagePlanPatchErrors, usagePlanPatchRules, type UsagePlanChange } from './patch-rules.js';
import { usagePlanKeyHandlers } from './plan-keys.js';
import { usageHandlers } from './usage.js';

// Taggable as `arn:aws:apigateway:{region}::/usageplans/{id}`.
taggable.usageplans = async (em, ctx, [id, ...rest]) => rest.length === 0 && em.getRepository(UsagePlanEntity).existsBy({ id, accountId: ctx.accountId });

const nonEmpty = (value: string | undefined) => (value === undefined || value === '' ? undefined : value);

async function CreateUsagePlan(input: CreateUsagePlanRequest, ctx: Context): Promise<UsagePlan> {
  if (input.tags) validateTags(input.tags);
  const description = nonEmpty(input.description);
  const data: UsagePlanData = {
    ...(description !== undefined ? { description } : {}),
    apiStages: [],
    ...(input.throttle ? { throttle: normalizeThrottle(input.throttle) } : {}),
    ...(input.quota ? { quota: normalizeQuota(input.quota) } : {}),
  };
  return transaction(ctx.db, async (em) => {
    await checkApiStagesExist(em, ctx, input.apiStages ?? []);
    data.apiStages = normalizeApiStages(input.apiStages ?? []);
    const row: UsagePlanRow = { id: newId(6), accountId: ctx.accountId, name: input.name, createdDate: new Date(), data };
    await em.getRepository(UsagePlanEntity).insert(row);
    const tags = input.tags && Object.keys(input.tags).length ? input.tags : undefined;
    if (tags) await writeTags(em, ctx.accountId, usagePlanArn(ctx.region, row.id), tags);
    await bumpConfigVersion(em);
    return toUsagePlan(row, tags);
  });
}

async function GetUsagePlan(input: GetUsagePlanRequest, ctx: Context): Promise<UsagePlan> {
  const em = ctx.db.dataSource.manager;
  const row = await findUsagePlan(em, ctx, input.usagePlanId);
  return toUsagePlan(row, await readTags(em, ctx.accountId, usagePlanArn(ctx.region, row.id)));
}

async function GetUsagePlans(input: GetUsagePlansRequest, ctx: Context): Promise<UsagePlans> {
  const em = ctx.db.dataSource.manager;
  const query = em.getRepository(UsagePlanEntity).createQueryBuilder('p').where('p.accountId = :accountId', { accountId: ctx.accountId });
  if (input.keyId) query.innerJoin('UsagePlanKey', 'k', 'k.usagePlanId = p.id AND k.keyId = :keyId', { keyId: input.keyId });
  const rows = await query.orderBy('p.createdDate', 'ASC').addOrderBy('p.id', 'ASC').getMany();
  const page = paginate(rows, input.limit, input.position);
  const items = await Promise.all(
    page.items.map(async (row) => {
      const tags = await readTags(em, ctx.accountId, usagePlanArn(ctx.region, row.id));
      return toUsagePlan(row, Object.keys(tags).length ? tags : undefined);
    }),
  );
  return { items, position: page.position };
}

/** Stages the update adds must exist, and must not meet a key of the plan in another of its plans. */
async function checkAddedStages(em: EntityManager, ctx: Context, before: UsagePlanData, after: UsagePlanData, planId: string): Promise<void> {
  const had = new Set((before.apiStages ?? []).map(apiStageId));
  const added = (after.apiStages ?? []).filter((s) => !had.has(apiStageId(s)));
  if (!added.length) return;
  await checkApiStagesExist(em, ctx, added);
  for (const keyId of await lockKeysOfPlan(em, planId)) await checkNoStageClash(em, ctx, planId, keyId, added);
}

async function UpdateUsagePlan(input: UpdateUsagePlanRequest, ctx: Context): Promise<UsagePlan> {
  return transaction(ctx.db, async (em) => {
    const row = await findUsagePlan(em, ctx, input.usagePlanId, true);
    const change = applyPatches<UsagePlanChange>(
      { id: row.id, name: row.name, data: structuredClone(row.data) },
      input.patchOperations,
      usagePlanPatchRules,
      usagePlanPatchErrors,
    );
    if (change.data.quota) change.data.quota = normalizeQuota(change.data.quota);
    if (change.data.throttle) change.data.throttle = normalizeThrottle(change.data.throttle);
    await checkAddedStages(em, ctx, row.data, change.data, row.id);
    row.name = change.name;
    row.data = change.data;
    await em.getRepository(UsagePlanEntity).update({ id: row.id, accountId: ctx.accountId }, { name: row.name, data: row.data });
    await bumpConfigVersion(em);
    return toUsagePlan(row, await readTags(em, ctx.accountId, usagePlanArn(ctx.region, row.id)));
  });
}

async function DeleteUsagePlan(input: DeleteUsagePlanRequest, ctx: Context): Promise<void> {
  await transaction(ctx.db, async (em) => {
    const row = await findUsagePlan(em, ctx, input.usagePlanId, true);
    const [stage] = row.data.apiStages ?? [];
    if (stage) throw badRequest(`Cannot delete Usage Plan ${row.id} because there are API Stages associated with it, including ${apiStageId(stage)}`);
    // Its keys, usage and quota adjustments go by cascade.
    await em.getRepository(UsagePlanEntity).delete({ id: row.id, accountId: ctx.accountId });
    await deleteTags(em, ctx.accountId, usagePlanArn(ctx.region, row.id));
    await bumpConfigVersion(em);
  });
}

export const usagePlanHandlers: Handlers = {
  CreateUsagePlan,
  GetUsagePlan,
  GetUsagePlans,
  UpdateUsagePlan,
  DeleteUsagePlan,
  ...usagePlanKeyHandlers,
  ...usageHandlers,
};
