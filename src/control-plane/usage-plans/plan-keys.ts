// CreateUsagePlanKey, GetUsagePlanKey, GetUsagePlanKeys, DeleteUsagePlanKey: the API keys of a plan.
import { transaction } from '../../db/data-source.js';
import { ApiKeyEntity, type ApiKeyRow } from '../api-keys/entity.js';
import { apiKeyNotFound, findApiKey } from '../api-keys/lookup.js';
import { bumpConfigVersion } from '../config-channel/version.js';
import { badRequest } from '../protocol/errors.js';
import type { Context, Handlers } from '../protocol/operation.js';
import { paginate } from '../protocol/pagination.js';
import type {
  CreateUsagePlanKeyRequest,
  DeleteUsagePlanKeyRequest,
  GetUsagePlanKeyRequest,
  GetUsagePlanKeysRequest,
  UsagePlanKey,
  UsagePlanKeys,
} from '../protocol/shapes.js';
import { UsagePlanKeyEntity } from './entity.js';
import { findUsagePlan } from './lookup.js';
import { addKeyToPlan, planHasKey } from './membership.js';

const KEY_TYPE = 'API_KEY';

const toUsagePlanKey = (key: ApiKeyRow): UsagePlanKey => ({
  id: key.id,
  type: KEY_TYPE,
  value: key.value,
  ...(key.name !== null ? { name: key.name } : {}),
});

async function CreateUsagePlanKey(input: CreateUsagePlanKeyRequest, ctx: Context): Promise<UsagePlanKey> {
  if (input.keyType !== KEY_TYPE) throw badRequest(`Invalid key type specified: ${input.keyType}. Must be one of: [${KEY_TYPE}]`);
  return transaction(ctx.db, async (em) => {
    const plan = await findUsagePlan(em, ctx, input.usagePlanId, true);
    const key = await findApiKey(em, ctx, input.keyId, true);
    await addKeyToPlan(em, ctx, plan, key);
    await bumpConfigVersion(em);
    return toUsagePlanKey(key);
  });
}

/** The plan's key; the plan must be the caller's and hold the key. */
async function planKey(ctx: Context, usagePlanId: string, keyId: string): Promise<ApiKeyRow> {
  const em = ctx.db.dataSource.manager;
  await findUsagePlan(em, ctx, usagePlanId);
  if (!(await planHasKey(em, usagePlanId, keyId))) throw apiKeyNotFound();
  return findApiKey(em, ctx, keyId);
}

async function GetUsagePlanKey(input: GetUsagePlanKeyRequest, ctx: Context): Promise<UsagePlanKey> {
  return toUsagePlanKey(await planKey(ctx, input.usagePlanId, input.keyId));
}

/** Newest member first, as recorded; a plan the caller does not have lists no keys rather than failing, as AWS does. */
async function GetUsagePlanKeys(input: GetUsagePlanKeysRequest, ctx: Context): Promise<UsagePlanKeys> {
  const em = ctx.db.dataSource.manager;
  const query = em
    .getRepository(ApiKeyEntity)
    .createQueryBuilder('k')
    .innerJoin('UsagePlanKey', 'm', 'm.keyId = k.id AND m.usagePlanId = :usagePlanId', { usagePlanId: input.usagePlanId })
    .where('k.accountId = :accountId AND m.accountId = :accountId', { accountId: ctx.accountId });
  if (input.nameQuery) query.andWhere('starts_with(k.name, :prefix)', { prefix: input.nameQuery });
  const rows = await query.orderBy('m.createdDate', 'DESC').addOrderBy('k.id', 'DESC').getMany();
  const page = paginate(rows, input.limit, input.position);
  return { items: page.items.map(toUsagePlanKey), position: page.position };
}

async function DeleteUsagePlanKey(input: DeleteUsagePlanKeyRequest, ctx: Context): Promise<void> {
  await transaction(ctx.db, async (em) => {
    await findUsagePlan(em, ctx, input.usagePlanId, true);
    if (!(await planHasKey(em, input.usagePlanId, input.keyId))) throw apiKeyNotFound();
    await em.getRepository(UsagePlanKeyEntity).delete({ usagePlanId: input.usagePlanId, keyId: input.keyId, accountId: ctx.accountId });
    await bumpConfigVersion(em);
  });
}

export const usagePlanKeyHandlers: Handlers = { CreateUsagePlanKey, GetUsagePlanKey, GetUsagePlanKeys, DeleteUsagePlanKey };
