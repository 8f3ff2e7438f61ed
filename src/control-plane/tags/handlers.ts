// TagResource, UntagResource, GetTags, for every taggable resource by its ARN
// (`arn:aws:apigateway:{region}::/restapis/{id}` or `.../restapis/{id}/stages/{name}`, with or without the account id).
import type { EntityManager } from 'typeorm';
import { transaction } from '../../db/data-source.js';
import { badRequest, notFound } from '../protocol/errors.js';
import type { Context, Handlers } from '../protocol/operation.js';
import type { GetTagsRequest, TagResourceRequest, Tags, UntagResourceRequest } from '../protocol/shapes.js';
import { RestApiEntity } from '../rest-apis/entity.js';
import { StageEntity } from '../stages/entity.js';
import { readTags, writeTags } from './store.js';
import { validateTags } from './validate.js';

/** Checks that the resource a tag path names exists in the caller's account. */
export type TaggableResolver = (em: EntityManager, ctx: Context, segments: string[]) => Promise<boolean>;

/** Taggable resource kinds by the first segment of their path; families register theirs here. */
export const taggable: Record<string, TaggableResolver> = {
  restapis: async (em, ctx, [id, ...rest]) => {
    if (rest.length === 0) return em.getRepository(RestApiEntity).existsBy({ id, accountId: ctx.accountId });
    const [kind, stageName] = rest;
    return rest.length === 2 && kind === 'stages' && em.getRepository(StageEntity).existsBy({ restApiId: id, stageName, accountId: ctx.accountId });
  },
};

/** Canonical ARN (no account, as API Gateway writes them) and the path it names. */
async function resolveArn(em: EntityManager, ctx: Context, resourceArn: string): Promise<string> {
  const match = /^arn:aws:apigateway:([a-z0-9-]+):(\d{12})?:(\/.+)$/.exec(resourceArn);
  if (!match) throw badRequest('Invalid ARN specified in the request');
  const [, region, account, path] = match;
  if ((account && account !== ctx.accountId) || region !== ctx.region) throw notFound('Invalid resource identifier specified');
  const segments = path!.split('/').slice(1);
  const resolver = taggable[segments[0]!];
  if (!resolver) throw badRequest('Invalid ARN specified in the request');
  if (!(await resolver(em, ctx, segments.slice(1)))) throw notFound('Invalid resource identifier specified');
  return `arn:aws:apigateway:${region}::${path}`;
}

async function TagResource(input: TagResourceRequest, ctx: Context): Promise<void> {
  validateTags(input.tags);
  await transaction(ctx.db, async (em) => {
    const arn = await resolveArn(em, ctx, input.resourceArn);
    const tags = { ...(await readTags(em, ctx.accountId, arn)), ...input.tags };
    validateTags(tags);
    await writeTags(em, ctx.accountId, arn, tags);
  });
}

async function UntagResource(input: UntagResourceRequest, ctx: Context): Promise<void> {
  await transaction(ctx.db, async (em) => {
    const arn = await resolveArn(em, ctx, input.resourceArn);
    const tags = await readTags(em, ctx.accountId, arn);
    for (const key of input.tagKeys) delete tags[key];
    await writeTags(em, ctx.accountId, arn, tags);
  });
}

async function GetTags(input: GetTagsRequest, ctx: Context): Promise<Tags> {
  const em = ctx.db.dataSource.manager;
  const arn = await resolveArn(em, ctx, input.resourceArn);
  return { tags: await readTags(em, ctx.accountId, arn) };
}

export const tagHandlers: Handlers = { TagResource, UntagResource, GetTags };
