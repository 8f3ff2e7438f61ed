// CreateAuthorizer, GetAuthorizer, GetAuthorizers, UpdateAuthorizer, DeleteAuthorizer, TestInvokeAuthorizer.
import type { EntityManager } from 'typeorm';
import { testInvokeAuthorizer } from '../../data-plane/auth/test-invoke.js';
import type { ApiChildRow } from '../../db/api-child-entity.js';
import { transaction } from '../../db/data-source.js';
import { MethodEntity } from '../methods/entity.js';
import { ApiError, badRequest, conflict, limitExceeded, notFound } from '../protocol/errors.js';
import { newId } from '../protocol/ids.js';
import type { Context, Handlers } from '../protocol/operation.js';
import { paginate } from '../protocol/pagination.js';
import { applyPatches, patchInteger, standardPatchErrors, type PatchRule } from '../protocol/patch.js';
import type {
  Authorizer,
  Authorizers,
  AuthorizerType,
  CreateAuthorizerRequest,
  DeleteAuthorizerRequest,
  GetAuthorizerRequest,
  GetAuthorizersRequest,
  TestInvokeAuthorizerRequest,
  TestInvokeAuthorizerResponse,
  UpdateAuthorizerRequest,
} from '../protocol/shapes.js';
import { ResourceEntity } from '../resources/entity.js';
import { findRestApi } from '../rest-apis/lookup.js';
import { AuthorizerEntity } from './entity.js';

type AuthorizerRow = ApiChildRow<Authorizer>;

/** API Gateway's quota of authorizers per REST API. */
const MAX_AUTHORIZERS = 10;
const MAX_TTL = 3600;
const AUTHORIZER_TYPES: AuthorizerType[] = ['TOKEN', 'REQUEST', 'COGNITO_USER_POOLS'];

const REGION = '[a-z]{2}(?:-[a-z]+)+-\\d';
const LAMBDA_URI = new RegExp(`^arn:aws:apigateway:${REGION}:lambda:path/.+$`);
const USER_POOL_ARN = new RegExp(`^arn:aws:cognito-idp:${REGION}:\\d{12}:userpool/[\\w-]+$`);
const HEADER_SOURCE = /^method\.request\.header\.[a-zA-Z0-9._-]+$/;
const REQUEST_SOURCE = /^(?:method\.request\.(?:header|querystring)\.[^\s,]+|stageVariables\.[a-zA-Z0-9_]+|context\.[a-zA-Z0-9._-]+)$/;

export const authorizerNotFound = () => notFound('Invalid Authorizer identifier specified');

async function findAuthorizer(em: EntityManager, ctx: Context, restApiId: string, authorizerId: string): Promise<AuthorizerRow> {
  const row = await em.getRepository(AuthorizerEntity).findOneBy({ id: authorizerId, restApiId, accountId: ctx.accountId });
  if (!row) throw authorizerNotFound();
  return row;
}

// Checks of a whole authorizer, run after create and after every update, since a change of type
// changes which members are required.

function checkName(name: string | undefined) {
  if (!name?.trim()) throw badRequest('Authorizer name must be a non-empty string');
}

function checkTtl(ttl: number | undefined) {
  if (ttl !== undefined && (ttl < 0 || ttl > MAX_TTL)) {
    throw badRequest(`Invalid authorizerResultTtlInSeconds, must be between 0 and ${MAX_TTL}`);
  }
}

function checkLambdaUri(uri: string | undefined) {
  if (!uri || !LAMBDA_URI.test(uri)) {
    throw badRequest(`Invalid Authorizer URI: ${uri ?? 'null'}. Authorizer URI should be a valid API Gateway ARN that represents a Lambda function invocation.`);
  }
}

/** TOKEN and COGNITO_USER_POOLS authorizers read the token from exactly one request header. */
function checkTokenSource(source: string | undefined) {
  if (!source || !HEADER_SOURCE.test(source)) {
    throw badRequest(`Invalid token source expression: ${source ?? 'null'}. The source must be a method request header, matching 'method.request.header.[a-zA-Z0-9._-]+'`);
  }
}

/** REQUEST authorizers name any number of sources; they key the result cache, so caching needs one. */
function checkRequestSources(source: string | undefined, ttl: number | undefined) {
  const sources = (source ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  for (const s of sources) {
    if (!REQUEST_SOURCE.test(s)) {
      throw badRequest(
        `Invalid identity source expression: ${s}. The source must be one of method.request.header.{name}, method.request.querystring.{name}, stageVariables.{name} or context.{name}`,
      );
    }
  }
  // An unset TTL means AWS's default of 300 seconds: caching is on.
  if (!sources.length && (ttl === undefined || ttl > 0)) {
    throw badRequest('Identity source is required when authorization caching is enabled (authorizerResultTtlInSeconds greater than 0)');
  }
}

function checkValidationExpression(expression: string | undefined) {
  if (expression === undefined) return;
  try {
    new RegExp(expression);
  } catch {
    throw badRequest(`Invalid identity validation expression specified: ${expression}`);
  }
}

function checkProviderArns(arns: string[] | undefined) {
  if (!arns?.length) throw badRequest('A COGNITO_USER_POOLS authorizer requires at least one provider ARN');
  const invalid = arns.find((arn) => !USER_POOL_ARN.test(arn));
  if (invalid !== undefined) throw badRequest(`Invalid provider ARN specified: ${invalid}. Must be of the form arn:aws:cognito-idp:{region}:{account_id}:userpool/{user_pool_id}`);
}

export function checkAuthorizer(a: Authorizer) {
  checkName(a.name);
  checkTtl(a.authorizerResultTtlInSeconds);
  if (a.type === 'COGNITO_USER_POOLS') {
    checkProviderArns(a.providerARNs);
    checkTokenSource(a.identitySource);
    return;
  }
  checkLambdaUri(a.authorizerUri);
  if (a.type === 'TOKEN') checkTokenSource(a.identitySource);
  else checkRequestSources(a.identitySource, a.authorizerResultTtlInSeconds);
  checkValidationExpression(a.identityValidationExpression);
}

/** AWS fills authType, an OpenAPI-only label, from the type when the caller leaves it out. */
const defaultAuthType = (type: AuthorizerType) => (type === 'COGNITO_USER_POOLS' ? 'cognito_user_pools' : 'custom');

/** Drops empty optional strings, which AWS treats as absent. */
const given = (value: string | undefined) => (value ? value : undefined);

/** Members left undefined are dropped on the way to the database and to the wire alike. */
function newAuthorizer(input: CreateAuthorizerRequest): Authorizer {
  return {
    id: newId(6),
    name: input.name,
    type: input.type,
    providerARNs: input.providerARNs?.length ? input.providerARNs : undefined,
    authType: given(input.authType) ?? defaultAuthType(input.type),
    authorizerUri: given(input.authorizerUri),
    authorizerCredentials: given(input.authorizerCredentials),
    identitySource: given(input.identitySource),
    identityValidationExpression: given(input.identityValidationExpression),
    authorizerResultTtlInSeconds: input.authorizerResultTtlInSeconds,
  };
}

/** CreateAuthorizer answers an unknown API with a conflict, as AWS does, once the input has passed its checks. */
async function lockApiForCreate(em: EntityManager, ctx: Context, restApiId: string) {
  try {
    await findRestApi(em, ctx, restApiId, true);
  } catch (e) {
    if (e instanceof ApiError && e.type === 'NotFoundException') {
      throw conflict('Unable to complete operation due to concurrent modification. Please try again later.');
    }
    throw e;
  }
}

async function CreateAuthorizer(input: CreateAuthorizerRequest, ctx: Context): Promise<Authorizer> {
  const authorizer = newAuthorizer(input);
  checkAuthorizer(authorizer);
  return transaction(ctx.db, async (em) => {
    await lockApiForCreate(em, ctx, input.restApiId);
    const repo = em.getRepository(AuthorizerEntity);
    if ((await repo.countBy({ restApiId: input.restApiId, accountId: ctx.accountId })) >= MAX_AUTHORIZERS) {
      throw limitExceeded(`Cannot create more than ${MAX_AUTHORIZERS} authorizers for an API`);
    }
    await repo.insert({ id: authorizer.id!, accountId: ctx.accountId, restApiId: input.restApiId, name: authorizer.name!, data: authorizer });
    return authorizer;
  });
}

async function GetAuthorizer(input: GetAuthorizerRequest, ctx: Context): Promise<Authorizer> {
  const em = ctx.db.dataSource.manager;
  await findRestApi(em, ctx, input.restApiId);
  return (await findAuthorizer(em, ctx, input.restApiId, input.authorizerId)).data;
}

async function GetAuthorizers(input: GetAuthorizersRequest, ctx: Context): Promise<Authorizers> {
  const em = ctx.db.dataSource.manager;
  await findRestApi(em, ctx, input.restApiId);
  const rows = await em.getRepository(AuthorizerEntity).find({
    where: { restApiId: input.restApiId, accountId: ctx.accountId },
    order: { name: 'ASC', id: 'ASC' },
  });
  const page = paginate(rows, input.limit, input.position);
  return { items: page.items.map((row) => row.data), position: page.position };
}

/** A patch that sets an optional string to nothing removes it. */
function setOptional(authorizer: Authorizer, member: 'identityValidationExpression' | 'authorizerCredentials' | 'authType', value: string | undefined) {
  if (value) authorizer[member] = value;
  else delete authorizer[member];
}

const authorizerPatchRules: PatchRule<Authorizer>[] = [
  { path: '/name', ops: ['replace'], apply: (a, op) => {
    a.name = op.value ?? '';
  } },
  { path: '/type', ops: ['replace'], apply: (a, op) => {
    if (!AUTHORIZER_TYPES.includes(op.value as AuthorizerType)) {
      throw badRequest(`Invalid authorizer type: ${op.value ?? 'null'}. Must be one of: [${AUTHORIZER_TYPES.join(', ')}]`);
    }
    a.type = op.value as AuthorizerType;
  } },
  { path: '/authorizerUri', ops: ['replace'], apply: (a, op) => {
    a.authorizerUri = given(op.value);
  } },
  { path: '/identitySource', ops: ['replace'], apply: (a, op) => {
    a.identitySource = given(op.value);
  } },
  { path: '/identityValidationExpression', ops: ['replace'], apply: (a, op) => setOptional(a, 'identityValidationExpression', op.value) },
  { path: '/authorizerCredentials', ops: ['replace'], apply: (a, op) => setOptional(a, 'authorizerCredentials', op.value) },
  { path: '/authType', ops: ['replace'], apply: (a, op) => setOptional(a, 'authType', op.value) },
  { path: '/authorizerResultTtlInSeconds', ops: ['replace'], apply: (a, op) => {
    a.authorizerResultTtlInSeconds = patchInteger(op, `Invalid authorizerResultTtlInSeconds, must be between 0 and ${MAX_TTL}`);
  } },
  { path: '/providerARNs', ops: ['add', 'remove'], apply: (a, op) => {
    if (!op.value) throw badRequest(`Invalid null or empty value for path ${op.path}`);
    const arns = (a.providerARNs ?? []).filter((arn) => arn !== op.value);
    if (op.op === 'add') arns.push(op.value);
    if (arns.length) a.providerARNs = arns;
    else delete a.providerARNs;
  } },
];

async function UpdateAuthorizer(input: UpdateAuthorizerRequest, ctx: Context): Promise<Authorizer> {
  return transaction(ctx.db, async (em) => {
    await findRestApi(em, ctx, input.restApiId, true);
    const row = await findAuthorizer(em, ctx, input.restApiId, input.authorizerId);
    const authorizer = applyPatches(structuredClone(row.data), input.patchOperations, authorizerPatchRules, standardPatchErrors(authorizerPatchRules));
    checkAuthorizer(authorizer);
    await em.getRepository(AuthorizerEntity).update({ id: row.id }, { name: authorizer.name!, data: authorizer });
    return authorizer;
  });
}

/** The first method that authorizes with `authorizerId`, named as AWS names it: `GET//pets`. */
async function methodUsing(em: EntityManager, restApiId: string, authorizerId: string): Promise<string | undefined> {
  const method = await em
    .getRepository(MethodEntity)
    .createQueryBuilder('m')
    .where('m.rest_api_id = :restApiId', { restApiId })
    .andWhere(`m.data ->> 'authorizerId' = :authorizerId`, { authorizerId })
    .getOne();
  if (!method) return undefined;
  const resource = await em.getRepository(ResourceEntity).findOneBy({ id: method.resourceId });
  return `${method.httpMethod}/${resource?.path ?? ''}`;
}

async function DeleteAuthorizer(input: DeleteAuthorizerRequest, ctx: Context): Promise<void> {
  await transaction(ctx.db, async (em) => {
    await findRestApi(em, ctx, input.restApiId, true);
    const row = await findAuthorizer(em, ctx, input.restApiId, input.authorizerId);
    const method = await methodUsing(em, input.restApiId, row.id);
    if (method) throw conflict(`Cannot delete authorizer '${row.name}', is referenced in method: ${method}`);
    await em.getRepository(AuthorizerEntity).delete({ id: row.id });
  });
}

/** Runs the authorizer as it is now defined (deployed or not) on the request the caller describes. */
async function TestInvokeAuthorizer(input: TestInvokeAuthorizerRequest, ctx: Context): Promise<TestInvokeAuthorizerResponse> {
  const em = ctx.db.dataSource.manager;
  await findRestApi(em, ctx, input.restApiId);
  const { data: authorizer } = await findAuthorizer(em, ctx, input.restApiId, input.authorizerId);
  if (!ctx.testInvoke) throw new ApiError('InternalFailure', 500, 'Test invocations are not available on this control plane');
  const { restApiId, headers, multiValueHeaders, pathWithQueryString, body, stageVariables } = input;
  return testInvokeAuthorizer({ accountId: ctx.accountId, restApiId, authorizer, headers, multiValueHeaders, pathWithQueryString, body, stageVariables }, ctx.testInvoke);
}

export const authorizerHandlers: Handlers = { CreateAuthorizer, GetAuthorizer, GetAuthorizers, UpdateAuthorizer, DeleteAuthorizer, TestInvokeAuthorizer };
