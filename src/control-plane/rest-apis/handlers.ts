// CreateRestApi, GetRestApi, GetRestApis, UpdateRestApi, DeleteRestApi.
import type { EntityManager } from 'typeorm';
import { transaction } from '../../db/data-source.js';
import { bumpConfigVersion } from '../config-channel/version.js';
import { createDefaultModels } from '../models/defaults.js';
import { ResourceEntity } from '../resources/entity.js';
import { badRequest } from '../protocol/errors.js';
import { newId } from '../protocol/ids.js';
import type { Context, Handlers } from '../protocol/operation.js';
import { paginate } from '../protocol/pagination.js';
import { applyPatches, patchBoolean, type PatchRule } from '../protocol/patch.js';
import type {
  CreateRestApiRequest,
  DeleteRestApiRequest,
  EndpointConfiguration,
  GetRestApiRequest,
  GetRestApisRequest,
  RestApi,
  UpdateRestApiRequest,
} from '../protocol/shapes.js';
import { StageEntity } from '../stages/entity.js';
import { stageArn } from '../stages/handlers.js';
import { deleteTags, readTags, writeTags } from '../tags/store.js';
import { validateTags } from '../tags/validate.js';
import { cloneRestApi } from './clone.js';
import { RestApiEntity, type RestApiRow } from './entity.js';
import { findRestApi, restApiArn } from './lookup.js';

const MAX_COMPRESSION = 10485760;
const compressionError = () => badRequest(`Invalid minimum compression size, must be between 0 and ${MAX_COMPRESSION}`);

function checkEndpointConfiguration(given: EndpointConfiguration | undefined): Required<Pick<EndpointConfiguration, 'types' | 'ipAddressType'>> & EndpointConfiguration {
  const types = given?.types ?? ['EDGE'];
  if (types.length === 0) throw badRequest('REGIONAL Configuration and EDGE Configuration cannot be both DISABLED.');
  if (types.length > 1) throw badRequest('Cannot create an api with multiple Endpoint Types.');
  const isPrivate = types[0] === 'PRIVATE';
  const ipAddressType = given?.ipAddressType ?? (isPrivate ? 'dualstack' : 'ipv4');
  if (isPrivate && ipAddressType !== 'dualstack') throw badRequest('Only dualstack ipAddressType is supported for Private APIs.');
  return { ...given, types, ipAddressType };
}

function checkPolicy(policy: string | undefined) {
  if (policy === undefined || policy === '') return;
  try {
    const parsed = JSON.parse(policy);
    if (typeof parsed !== 'object' || parsed === null) throw new Error();
  } catch {
    throw badRequest('Invalid policy document. Please check the policy syntax and try again.');
  }
}

export function toRestApi(row: RestApiRow, tags: Record<string, string> | undefined): RestApi {
  return {
    id: row.id,
    name: row.name,
    createdDate: row.createdDate,
    rootResourceId: row.rootResourceId,
    ...row.data,
    ...(tags ? { tags } : {}),
  };
}

const nonEmptyTags = (tags: Record<string, string>) => (Object.keys(tags).length ? tags : undefined);

async function CreateRestApi(input: CreateRestApiRequest, ctx: Context): Promise<RestApi> {
  if (input.description === '') throw badRequest('Description cannot be an empty string');
  if (input.name.trim() === '') throw badRequest('Invalid REST API name specified');
  const min = input.minimumCompressionSize;
  if (min !== undefined && (min < 0 || min > MAX_COMPRESSION)) throw compressionError();
  const endpointConfiguration = checkEndpointConfiguration(input.endpointConfiguration);
  checkPolicy(input.policy);
  if (input.tags) validateTags(input.tags);

  return transaction(ctx.db, async (em) => {
    const id = newId();
    const rootResourceId = newId();
    const row: RestApiRow = {
      id,
      accountId: ctx.accountId,
      name: input.name,
      createdDate: new Date(),
      rootResourceId,
      data: {
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.version !== undefined ? { version: input.version } : {}),
        ...(input.binaryMediaTypes?.length ? { binaryMediaTypes: input.binaryMediaTypes } : {}),
        ...(min !== undefined ? { minimumCompressionSize: min } : {}),
        apiKeySource: input.apiKeySource ?? 'HEADER',
        endpointConfiguration,
        ...(input.policy ? { policy: input.policy } : {}),
        disableExecuteApiEndpoint: input.disableExecuteApiEndpoint ?? false,
      },
    };
    if (input.cloneFrom) {
      const source = await findRestApi(em, ctx, input.cloneFrom);
      await em.getRepository(RestApiEntity).insert(row);
      await cloneRestApi(em, source, row);
    } else {
      await em.getRepository(RestApiEntity).insert(row);
      await em.getRepository(ResourceEntity).insert({ id: rootResourceId, accountId: ctx.accountId, restApiId: id, parentId: null, pathPart: null, path: '/' });
      await createDefaultModels(em, ctx.accountId, id);
    }
    if (input.tags) await writeTags(em, ctx.accountId, restApiArn(ctx.region, id), input.tags);
    return toRestApi(row, input.tags && nonEmptyTags(input.tags));
  });
}

async function GetRestApi(input: GetRestApiRequest, ctx: Context): Promise<RestApi> {
  const em = ctx.db.dataSource.manager;
  const row = await findRestApi(em, ctx, input.restApiId);
  return toRestApi(row, nonEmptyTags(await readTags(em, ctx.accountId, restApiArn(ctx.region, row.id))));
}

async function GetRestApis(input: GetRestApisRequest, ctx: Context) {
  const em = ctx.db.dataSource.manager;
  const rows = await em.getRepository(RestApiEntity).find({ where: { accountId: ctx.accountId }, order: { createdDate: 'ASC', id: 'ASC' } });
  const page = paginate(rows, input.limit, input.position);
  const items = await Promise.all(page.items.map(async (row) => toRestApi(row, nonEmptyTags(await readTags(em, ctx.accountId, restApiArn(ctx.region, row.id))))));
  return { items, position: page.position };
}

type Patchable = RestApiRow;

const restApiPatchRules: PatchRule<Patchable>[] = [
  { path: '/name', ops: ['replace'], apply: (api, op) => {
    if (!op.value) throw badRequest('Invalid REST API name specified');
    api.name = op.value;
  } },
  { path: '/description', ops: ['replace', 'remove'], apply: (api, op) => {
    if (op.op === 'remove' || !op.value) delete api.data.description;
    else api.data.description = op.value;
  } },
  { path: '/version', ops: ['replace', 'remove'], apply: (api, op) => {
    if (op.op === 'remove' || !op.value) delete api.data.version;
    else api.data.version = op.value;
  } },
  { path: '/policy', ops: ['replace', 'remove'], apply: (api, op) => {
    if (op.op === 'remove' || !op.value) delete api.data.policy;
    else {
      checkPolicy(op.value);
      api.data.policy = op.value;
    }
  } },
  { path: '/apiKeySource', ops: ['replace'], apply: (api, op) => {
    if (op.value !== 'HEADER' && op.value !== 'AUTHORIZER') {
      throw badRequest(`Invalid apiKeySource. Must be one of: [HEADER, AUTHORIZER]`);
    }
    api.data.apiKeySource = op.value;
  } },
  { path: '/disableExecuteApiEndpoint', ops: ['replace'], apply: (api, op) => {
    api.data.disableExecuteApiEndpoint = patchBoolean(op);
  } },
  { path: '/minimumCompressionSize', ops: ['replace'], apply: (api, op) => {
    if (op.value === undefined || op.value === null || op.value === '') {
      delete api.data.minimumCompressionSize;
      return;
    }
    if (!/^-?\d+$/.test(op.value)) throw compressionError();
    const size = Number(op.value);
    if (size < 0 || size > MAX_COMPRESSION) throw compressionError();
    api.data.minimumCompressionSize = size;
  } },
  { path: '/binaryMediaTypes/*', ops: ['add', 'remove', 'replace'], apply: (api, op, [mediaType]) => {
    const types = api.data.binaryMediaTypes ?? [];
    if (op.op === 'add') {
      if (!types.includes(mediaType!)) types.push(mediaType!);
    } else if (op.op === 'remove') {
      types.splice(0, types.length, ...types.filter((t) => t !== mediaType));
    } else {
      if (!op.value) throw badRequest(`Invalid patch value '' for path /binaryMediaTypes/${mediaType}`);
      const kept = types.filter((t) => t !== mediaType);
      if (!kept.includes(op.value)) kept.push(op.value);
      types.splice(0, types.length, ...kept);
    }
    if (types.length) api.data.binaryMediaTypes = types;
    else delete api.data.binaryMediaTypes;
  } },
  { path: '/endpointConfiguration/types/*', ops: ['replace'], apply: (api, op) => {
    if (op.value !== 'EDGE' && op.value !== 'REGIONAL' && op.value !== 'PRIVATE') {
      throw badRequest('Invalid EndpointTypes specified. Valid options are REGIONAL,EDGE,PRIVATE');
    }
    const configuration = api.data.endpointConfiguration ?? {};
    configuration.types = [op.value];
    if (op.value === 'PRIVATE') configuration.ipAddressType = 'dualstack';
    api.data.endpointConfiguration = configuration;
  } },
  { path: '/endpointConfiguration/ipAddressType', ops: ['replace'], apply: (api, op) => {
    if (op.value !== 'ipv4' && op.value !== 'dualstack') throw badRequest('ipAddressType must be either ipv4 or dualstack.');
    const configuration = api.data.endpointConfiguration ?? {};
    if (configuration.types?.[0] === 'PRIVATE' && op.value !== 'dualstack') {
      throw badRequest('Only dualstack ipAddressType is supported for Private APIs.');
    }
    configuration.ipAddressType = op.value;
    api.data.endpointConfiguration = configuration;
  } },
  { path: '/endpointConfiguration/vpcEndpointIds/*', ops: ['add', 'remove', 'replace'], apply: (api, op, [id]) => {
    const configuration = api.data.endpointConfiguration ?? {};
    const ids = (configuration.vpcEndpointIds ?? []).filter((v) => v !== id);
    if (op.op === 'add') ids.push(id!);
    if (op.op === 'replace' && op.value) ids.push(op.value);
    configuration.vpcEndpointIds = ids.length ? ids : undefined;
    api.data.endpointConfiguration = configuration;
  } },
];

const restApiPatchErrors = {
  invalidPath: (op: { path?: string }) => badRequest(`Invalid patch path ${op.path ?? 'null'}`),
  invalidOp: (op: { path?: string }, allowed: string[]) =>
    op.path?.startsWith('/endpointConfiguration/types')
      ? badRequest("Invalid patch operation specified. Must be 'add'|'remove'|'replace'")
      : badRequest(`Invalid patch operation specified. Must be one of: [${allowed.join(', ')}]`),
};

async function UpdateRestApi(input: UpdateRestApiRequest, ctx: Context): Promise<RestApi> {
  return transaction(ctx.db, async (em) => {
    const row = await findRestApi(em, ctx, input.restApiId, true);
    applyPatches(row, input.patchOperations, restApiPatchRules, restApiPatchErrors);
    await em.getRepository(RestApiEntity).save(row);
    return toRestApi(row, await readTags(em, ctx.accountId, restApiArn(ctx.region, row.id)));
  });
}

async function DeleteRestApi(input: DeleteRestApiRequest, ctx: Context): Promise<void> {
  await transaction(ctx.db, async (em: EntityManager) => {
    const row = await findRestApi(em, ctx, input.restApiId, true);
    const stages = await em.getRepository(StageEntity).findBy({ restApiId: row.id });
    // Resources, methods, models, validators, authorizers, gateway responses, deployments and stages go by cascade.
    await em.getRepository(RestApiEntity).delete({ id: row.id, accountId: ctx.accountId });
    await deleteTags(em, ctx.accountId, restApiArn(ctx.region, row.id));
    for (const stage of stages) await deleteTags(em, ctx.accountId, stageArn(ctx.region, row.id, stage.stageName));
    // Its stages vanish from what workers serve.
    await bumpConfigVersion(em);
  });
}

export const restApiHandlers: Handlers = { CreateRestApi, GetRestApi, GetRestApis, UpdateRestApi, DeleteRestApi };
