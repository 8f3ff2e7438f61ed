// CreateApiKey, GetApiKey, GetApiKeys, UpdateApiKey, DeleteApiKey (ImportApiKeys is in import.ts).
import { transaction } from '../../db/data-source.js';
import { bumpConfigVersion } from '../config-channel/version.js';
import { newId } from '../protocol/ids.js';
import type { Context, Handlers } from '../protocol/operation.js';
import { paginate } from '../protocol/pagination.js';
import { applyPatches, standardPatchErrors } from '../protocol/patch.js';
import type {
  ApiKey,
  ApiKeys,
  CreateApiKeyRequest,
  DeleteApiKeyRequest,
  GetApiKeyRequest,
  GetApiKeysRequest,
  UpdateApiKeyRequest,
} from '../protocol/shapes.js';
import { taggable } from '../tags/handlers.js';
import { deleteTags, readTags, writeTags } from '../tags/store.js';
import { validateTags } from '../tags/validate.js';
import { ApiKeyEntity } from './entity.js';
import { importApiKeyHandlers } from './import.js';
import { apiKeyArn, findApiKey, toApiKey } from './lookup.js';
import { apiKeyPatchRules, type ApiKeyChange } from './patch-rules.js';
import { insertApiKey } from './store.js';
import { checkDescription, checkName, checkValue, generateValue, stageKeyOf } from './validate.js';

// Taggable as `arn:aws:apigateway:{region}::/apikeys/{id}`.
taggable.apikeys = async (em, ctx, [id, ...rest]) => rest.length === 0 && em.getRepository(ApiKeyEntity).existsBy({ id, accountId: ctx.accountId });

const nonEmpty = (value: string | undefined) => (value === undefined || value === '' ? undefined : value);

async function CreateApiKey(input: CreateApiKeyRequest, ctx: Context): Promise<ApiKey> {
  const name = nonEmpty(input.name);
  if (name !== undefined) checkName(name);
  const description = nonEmpty(input.description);
  if (description !== undefined) checkDescription(description);
  const given = nonEmpty(input.value);
  if (given !== undefined) checkValue(given);
  if (input.tags) validateTags(input.tags);
  return transaction(ctx.db, async (em) => {
    const stageKeys: string[] = [];
    for (const stageKey of input.stageKeys ?? []) {
      const text = await stageKeyOf(em, ctx, stageKey);
      if (!stageKeys.includes(text)) stageKeys.push(text);
    }
    const now = new Date();
    const row = await insertApiKey(em, ctx, {
      id: newId(10),
      name: name ?? null,
      value: given ?? generateValue(),
      customerId: nonEmpty(input.customerId) ?? null,
      createdDate: now,
      lastUpdatedDate: now,
      data: { ...(description !== undefined ? { description } : {}), enabled: input.enabled ?? false, stageKeys },
    });
    const tags = input.tags && Object.keys(input.tags).length ? input.tags : undefined;
    if (tags) await writeTags(em, ctx.accountId, apiKeyArn(ctx.region, row.id), tags);
    await bumpConfigVersion(em);
    return toApiKey(row, { includeValue: true, tags });
  });
}

async function GetApiKey(input: GetApiKeyRequest, ctx: Context): Promise<ApiKey> {
  const em = ctx.db.dataSource.manager;
  const row = await findApiKey(em, ctx, input.apiKey);
  return toApiKey(row, { includeValue: input.includeValue === true, tags: await readTags(em, ctx.accountId, apiKeyArn(ctx.region, row.id)) });
}

async function GetApiKeys(input: GetApiKeysRequest, ctx: Context): Promise<ApiKeys> {
  const em = ctx.db.dataSource.manager;
  const query = em.getRepository(ApiKeyEntity).createQueryBuilder('k').where('k.accountId = :accountId', { accountId: ctx.accountId });
  if (input.nameQuery) query.andWhere('starts_with(k.name, :prefix)', { prefix: input.nameQuery });
  if (input.customerId) query.andWhere('k.customerId = :customerId', { customerId: input.customerId });
  // API Gateway lists the newest key first.
  const rows = await query.orderBy('k.createdDate', 'DESC').addOrderBy('k.id', 'DESC').getMany();
  // An out-of-range limit is not an error here, as recorded: the default page size applies.
  const limit = input.limit !== undefined && input.limit >= 1 && input.limit <= 500 ? input.limit : undefined;
  const page = paginate(rows, limit, input.position);
  const items = await Promise.all(
    page.items.map(async (row) => {
      const tags = await readTags(em, ctx.accountId, apiKeyArn(ctx.region, row.id));
      return toApiKey(row, { includeValue: input.includeValues === true, tags: Object.keys(tags).length ? tags : undefined });
    }),
  );
  return { items, position: page.position };
}

async function UpdateApiKey(input: UpdateApiKeyRequest, ctx: Context): Promise<ApiKey> {
  return transaction(ctx.db, async (em) => {
    const row = await findApiKey(em, ctx, input.apiKey, true);
    const change = applyPatches<ApiKeyChange>(
      { row: { ...row, data: structuredClone(row.data) }, addStageKeys: [] },
      input.patchOperations,
      apiKeyPatchRules,
      standardPatchErrors(apiKeyPatchRules),
    );
    for (const stageKey of change.addStageKeys) change.row.data.stageKeys.push(await stageKeyOf(em, ctx, stageKey));
    change.row.lastUpdatedDate = new Date();
    const { name, customerId, lastUpdatedDate, data } = change.row;
    await em.getRepository(ApiKeyEntity).update({ id: row.id, accountId: ctx.accountId }, { name, customerId, lastUpdatedDate, data });
    await bumpConfigVersion(em);
    return toApiKey(change.row, { includeValue: false, tags: await readTags(em, ctx.accountId, apiKeyArn(ctx.region, row.id)) });
  });
}

async function DeleteApiKey(input: DeleteApiKeyRequest, ctx: Context): Promise<void> {
  await transaction(ctx.db, async (em) => {
    const row = await findApiKey(em, ctx, input.apiKey, true);
    // Its usage plan memberships, usage and quota adjustments go by cascade.
    await em.getRepository(ApiKeyEntity).delete({ id: row.id, accountId: ctx.accountId });
    await deleteTags(em, ctx.accountId, apiKeyArn(ctx.region, row.id));
    await bumpConfigVersion(em);
  });
}

export const apiKeyHandlers: Handlers = { CreateApiKey, GetApiKey, GetApiKeys, UpdateApiKey, DeleteApiKey, ...importApiKeyHandlers };
