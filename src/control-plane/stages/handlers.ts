// CreateStage, GetStage, GetStages, UpdateStage, DeleteStage; and deployToStage for CreateDeployment.
import type { EntityManager } from 'typeorm';
import { transaction } from '../../db/data-source.js';
import { bumpConfigVersion } from '../config-channel/version.js';
import { DeploymentEntity } from '../deployments/entity.js';
import { badRequest, conflict, notFound, type ApiError } from '../protocol/errors.js';
import type { Context, Handlers } from '../protocol/operation.js';
import { applyPatches, patchBoolean, shownValue, type PatchErrors, type PatchOp, type PatchRule } from '../protocol/patch.js';
import type {
  CanarySettings,
  CreateDeploymentRequest,
  CreateStageRequest,
  DeleteStageRequest,
  FlushStageAuthorizersCacheRequest,
  FlushStageCacheRequest,
  GetStageRequest,
  GetStagesRequest,
  PatchOperation,
  Stage,
  Stages,
  UpdateStageRequest,
} from '../protocol/shapes.js';
import { findRestApi, restApiArn } from '../rest-apis/lookup.js';
import { deleteTags, readTags, writeTags } from '../tags/store.js';
import { validateTags } from '../tags/validate.js';
import { canaryRules, checkPercentTraffic, invalidCopy, promotionRules, type StageChange } from './canary.js';
import { StageEntity, type StageData, type StageRow } from './entity.js';
import { methodSettingRules } from './method-settings.js';

const STAGE_NAME = /^[A-Za-z0-9_-]{1,128}$/;
const VARIABLE_NAME = /^\w+$/;
// AWS's message names the space among the symbols it accepts, beyond the documented pattern.
const VARIABLE_VALUE = /^[A-Za-z0-9\-._~:/?#&=, ]+$/;
const CACHE_CLUSTER_SIZES = ['0.5', '1.6', '6.1', '13.5', '28.4', '58.2', '118', '237'] as const;
const DEFAULT_CACHE_CLUSTER_SIZE = '0.5';

export const stageNotFound = () => notFound('Invalid stage identifier specified');
const deploymentDoesNotExist = () => badRequest('Deployment id does not exist');

export const stageArn = (region: string, restApiId: string, stageName: string) => `${restApiArn(region, restApiId)}/stages/${stageName}`;

export function checkStageName(stageName: string): void {
  if (!STAGE_NAME.test(stageName)) throw badRequest('Stage name only allows a-zA-Z0-9_');
}

export function checkVariables(variables: Record<string, string>): void {
  for (const [name, value] of Object.entries(variables)) checkVariable(name, value);
}

function checkVariable(name: string, value: string | undefined): void {
  if (!VARIABLE_NAME.test(name)) throw badRequest(`Invalid stage variable name: ${name}.  Please use names with only word characters.`);
  if (value === undefined || !VARIABLE_VALUE.test(value)) {
    throw badRequest(
      `Invalid stage variable value: ${value ?? 'null'}.  Please use values with alphanumeric characters and the symbols ' ', -', '.', '_', ':', '/', '?', '&', '=', and ','.`,
    );
  }
}

async function checkDeploymentExists(em: EntityManager, ctx: Context, restApiId: string, deploymentId: string): Promise<void> {
  if (!(await em.getRepository(DeploymentEntity).existsBy({ id: deploymentId, restApiId, accountId: ctx.accountId }))) throw deploymentDoesNotExist();
}

export async function findStage(em: EntityManager, ctx: Context, restApiId: string, stageName: string): Promise<StageRow> {
  const row = await em.getRepository(StageEntity).findOneBy({ restApiId, stageName, accountId: ctx.accountId });
  if (!row) throw stageNotFound();
  return row;
}

const nonEmpty = <T extends object>(value: T | undefined): value is T => value !== undefined && Object.keys(value).length > 0;

function toStage(row: StageRow, tags: Record<string, string> | undefined): Stage {
  const { cacheClusterEnabled = false, tracingEnabled = false, methodSettings = {}, variables, authorizersCacheEpoch: _epoch, cacheEpoch: _cacheEpoch, ...rest } = row.data;
  return {
    deploymentId: row.deploymentId,
    stageName: row.stageName,
    ...rest,
    cacheClusterEnabled,
    cacheClusterStatus: cacheClusterEnabled ? 'AVAILABLE' : 'NOT_AVAILABLE',
    methodSettings,
    ...(nonEmpty(variables) ? { variables } : {}),
    tracingEnabled,
    ...(nonEmpty(tags) ? { tags } : {}),
    createdDate: row.createdDate,
    lastUpdatedDate: row.lastUpdatedDate,
  };
}

async function readStage(em: EntityManager, ctx: Context, row: StageRow): Promise<Stage> {
  return toStage(row, await readTags(em, ctx.accountId, stageArn(ctx.region, row.restApiId, row.stageName)));
}

/** An enabled cache cluster without a size gets AWS's smallest. */
function cacheCluster(enabled: boolean | undefined, size: StageData['cacheClusterSize']): Pick<StageData, 'cacheClusterEnabled' | 'cacheClusterSize'> {
  const cacheClusterSize = size ?? (enabled ? DEFAULT_CACHE_CLUSTER_SIZE : undefined);
  return { cacheClusterEnabled: enabled ?? false, ...(cacheClusterSize ? { cacheClusterSize } : {}) };
}

function newStageRow(ctx: Context, restApiId: string, stageName: string, deploymentId: string, data: StageData): StageRow {
  const now = new Date();
  return { restApiId, stageName, accountId: ctx.accountId, deploymentId, createdDate: now, lastUpdatedDate: now, data };
}

/** The canary of a stage: its deployment (the stage's own unless named), AWS's defaults for the rest. */
async function canaryOf(em: EntityManager, ctx: Context, restApiId: string, stageDeploymentId: string, given: CanarySettings): Promise<CanarySettings> {
  const deploymentId = given.deploymentId ?? stageDeploymentId;
  await checkDeploymentExists(em, ctx, restApiId, deploymentId);
  if (given.stageVariableOverrides) checkVariables(given.stageVariableOverrides);
  checkPercentTraffic(given.percentTraffic);
  return {
    deploymentId,
    percentTraffic: given.percentTraffic ?? 0,
    ...(given.stageVariableOverrides ? { stageVariableOverrides: given.stageVariableOverrides } : {}),
    useStageCache: given.useStageCache ?? false,
  };
}

async function CreateStage(input: CreateStageRequest, ctx: Context): Promise<Stage> {
  checkStageName(input.stageName);
  if (input.variables) checkVariables(input.variables);
  if (input.tags) validateTags(input.tags);
  return transaction(ctx.db, async (em) => {
    await findRestApi(em, ctx, input.restApiId, true);
    await checkDeploymentExists(em, ctx, input.restApiId, input.deploymentId);
    if (await em.getRepository(StageEntity).existsBy({ restApiId: input.restApiId, stageName: input.stageName })) throw conflict('Stage already exists');
    const canarySettings = input.canarySettings && (await canaryOf(em, ctx, input.restApiId, input.deploymentId, input.canarySettings));
    const row = newStageRow(ctx, input.restApiId, input.stageName, input.deploymentId, {
      ...(input.description ? { description: input.description } : {}),
      ...cacheCluster(input.cacheClusterEnabled, input.cacheClusterSize),
      methodSettings: {},
      ...(nonEmpty(input.variables) ? { variables: input.variables } : {}),
      ...(input.documentationVersion ? { documentationVersion: input.documentationVersion } : {}),
      ...(canarySettings ? { canarySettings } : {}),
      tracingEnabled: input.tracingEnabled ?? false,
    });
    await em.getRepository(StageEntity).insert(row);
    if (input.tags) await writeTags(em, ctx.accountId, stageArn(ctx.region, row.restApiId, row.stageName), input.tags);
    await bumpConfigVersion(em);
    return toStage(row, input.tags);
  });
}

export type StageDeployment = Omit<CreateDeploymentRequest, 'restApiId' | 'description' | 'stageName'> & { stageName: string };

/** A canary deployment goes to an existing stage's canary; the stage itself keeps its deployment. */
async function deployCanary(em: EntityManager, ctx: Context, stage: StageRow | null, deploymentId: string, input: StageDeployment): Promise<void> {
  if (!stage) {
    throw badRequest(`Invalid deployment content specified.Stage ${input.stageName} must already be created before making a canary release deployment`);
  }
  stage.data.canarySettings = await canaryOf(em, ctx, stage.restApiId, stage.deploymentId, { ...input.canarySettings, deploymentId });
  stage.lastUpdatedDate = new Date();
  await em.getRepository(StageEntity).save(stage);
}

/** Points an existing stage at the new deployment, applying what the call sets; or creates the stage. */
async function pointStage(em: EntityManager, ctx: Context, restApiId: string, stage: StageRow | null, deploymentId: string, input: StageDeployment): Promise<void> {
  const repo = em.getRepository(StageEntity);
  if (!stage) {
    await repo.insert(
      newStageRow(ctx, restApiId, input.stageName, deploymentId, {
        ...(input.stageDescription ? { description: input.stageDescription } : {}),
        ...cacheCluster(input.cacheClusterEnabled, input.cacheClusterSize),
        methodSettings: {},
        ...(nonEmpty(input.variables) ? { variables: input.variables } : {}),
        tracingEnabled: input.tracingEnabled ?? false,
      }),
    );
    return;
  }
  stage.deploymentId = deploymentId;
  if (input.stageDescription) stage.data.description = input.stageDescription;
  if (input.cacheClusterEnabled !== undefined || input.cacheClusterSize !== undefined) {
    Object.assign(stage.data, cacheCluster(input.cacheClusterEnabled ?? stage.data.cacheClusterEnabled, input.cacheClusterSize ?? stage.data.cacheClusterSize));
  }
  if (nonEmpty(input.variables)) stage.data.variables = { ...stage.data.variables, ...input.variables };
  if (input.tracingEnabled !== undefined) stage.data.tracingEnabled = input.tracingEnabled;
  stage.lastUpdatedDate = new Date();
  await repo.save(stage);
}

/** CreateDeployment's `stageName`: creates or moves the stage (or its canary), inside the caller's transaction. */
export async function deployToStage(em: EntityManager, ctx: Context, restApiId: string, deploymentId: string, input: StageDeployment): Promise<void> {
  const stage = await em.getRepository(StageEntity).findOneBy({ restApiId, stageName: input.stageName, accountId: ctx.accountId });
  if (input.canarySettings) await deployCanary(em, ctx, stage, deploymentId, input);
  else await pointStage(em, ctx, restApiId, stage, deploymentId, input);
  await bumpConfigVersion(em);
}

async function GetStage(input: GetStageRequest, ctx: Context): Promise<Stage> {
  const em = ctx.db.dataSource.manager;
  await findRestApi(em, ctx, input.restApiId);
  return readStage(em, ctx, await findStage(em, ctx, input.restApiId, input.stageName));
}

async function GetStages(input: GetStagesRequest, ctx: Context): Promise<Stages> {
  const em = ctx.db.dataSource.manager;
  await findRestApi(em, ctx, input.restApiId);
  const rows = await em.getRepository(StageEntity).find({
    where: { restApiId: input.restApiId, accountId: ctx.accountId, ...(input.deploymentId ? { deploymentId: input.deploymentId } : {}) },
    order: { createdDate: 'ASC', stageName: 'ASC' },
  });
  return { item: await Promise.all(rows.map((row) => readStage(em, ctx, row))) };
}

function optionalText(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

function accessLogValue(op: PatchOperation): string {
  if (!op.value) throw badRequest('Access Log value must not be empty');
  return op.value;
}

const stagePatchRules: PatchRule<StageChange>[] = [
  ...promotionRules,
  { path: '/description', ops: ['replace'], apply: (change, op) => {
    change.data.description = optionalText(op.value);
  } },
  { path: '/documentationVersion', ops: ['replace'], apply: (change, op) => {
    change.data.documentationVersion = optionalText(op.value);
  } },
  { path: '/cacheClusterEnabled', ops: ['replace'], apply: (change, op) => {
    Object.assign(change.data, cacheCluster(patchBoolean(op), change.data.cacheClusterSize));
  } },
  { path: '/cacheClusterSize', ops: ['replace'], apply: (change, op) => {
    const size = CACHE_CLUSTER_SIZES.find((s) => s === op.value);
    if (!size) throw badRequest(`Invalid cache cluster size: ${shownValue(op)}. Must be one of: [${CACHE_CLUSTER_SIZES.join(', ')}]`);
    change.data.cacheClusterSize = size;
  } },
  { path: '/clientCertificateId', ops: ['replace'], apply: (change, op) => {
    change.data.clientCertificateId = optionalText(op.value);
  } },
  { path: '/tracingEnabled', ops: ['replace'], apply: (change, op) => {
    change.data.tracingEnabled = patchBoolean(op);
  } },
  { path: '/variables/*', ops: ['add', 'replace', 'remove'], apply: (change, op, [name]) => {
    const variables = { ...change.data.variables };
    if (op.op === 'remove') delete variables[name!];
    else {
      checkVariable(name!, op.value);
      variables[name!] = op.value!;
    }
    change.data.variables = variables;
  } },
  { path: '/accessLogSettings', ops: ['remove'], apply: (change) => {
    delete change.data.accessLogSettings;
  } },
  { path: '/accessLogSettings/destinationArn', ops: ['add', 'replace'], apply: (change, op) => {
    change.data.accessLogSettings = { ...change.data.accessLogSettings, destinationArn: accessLogValue(op) };
  } },
  { path: '/accessLogSettings/format', ops: ['add', 'replace'], apply: (change, op) => {
    change.data.accessLogSettings = { ...change.data.accessLogSettings, format: accessLogValue(op) };
  } },
  ...canaryRules,
  ...methodSettingRules.map((rule): PatchRule<StageChange> => ({ ...rule, apply: (change, op, params) => rule.apply(change.data, op, params) })),
];

// AWS's list of the paths UpdateStage takes, verbatim (its missing commas included).
const STAGE_PATHS =
  '[/deploymentId, /description, /cacheClusterEnabled, /cacheClusterSize, /clientCertificateId, /accessLogSettings, /accessLogSettings/destinationArn, /accessLogSettings/format, /{resourcePath}/{httpMethod}/metrics/enabled, /{resourcePath}/{httpMethod}/logging/dataTrace, /{resourcePath}/{httpMethod}/logging/loglevel, /{resourcePath}/{httpMethod}/throttling/burstLimit/{resourcePath}/{httpMethod}/throttling/rateLimit/{resourcePath}/{httpMethod}/caching/ttlInSeconds, /{resourcePath}/{httpMethod}/caching/enabled, /{resourcePath}/{httpMethod}/caching/dataEncrypted, /{resourcePath}/{httpMethod}/caching/requireAuthorizationForCacheControl, /{resourcePath}/{httpMethod}/caching/unauthorizedCacheControlHeaderStrategy, /*/*/metrics/enabled, /*/*/logging/dataTrace, /*/*/logging/loglevel, /*/*/throttling/burstLimit /*/*/throttling/rateLimit /*/*/caching/ttlInSeconds, /*/*/caching/enabled, /*/*/caching/dataEncrypted, /*/*/caching/requireAuthorizationForCacheControl, /*/*/caching/unauthorizedCacheControlHeaderStrategy, /variables/{variable_name}, /tracingEnabled]';

function invalidStagePath(op: PatchOperation): ApiError {
  if (op.path?.startsWith('/accessLogSettings')) {
    return badRequest('Invalid accessLogSettings path. Must be one of : [/accessLogSettings/destinationArn, /accessLogSettings/format]');
  }
  return badRequest(`Invalid method setting path: ${op.path ?? 'null'}. Must be one of: ${STAGE_PATHS}`);
}

/** A path only the method-setting removal (or `/accessLogSettings` removal) takes is, for any other op, an unknown path. */
const stagePatchErrors: PatchErrors = {
  invalidPath: (op) => (op.op === 'copy' ? invalidCopy(op) : invalidStagePath(op)),
  invalidOp: (op, allowed: PatchOp[]) => {
    if (op.op === 'copy') return invalidCopy(op);
    return allowed.length === 1 && allowed[0] === 'remove' ? invalidStagePath(op) : badRequest(`Invalid ${op.op} operation with path: ${op.path}`);
  },
};

async function UpdateStage(input: UpdateStageRequest, ctx: Context): Promise<Stage> {
  return transaction(ctx.db, async (em) => {
    await findRestApi(em, ctx, input.restApiId, true);
    const row = await findStage(em, ctx, input.restApiId, input.stageName);
    const change = applyPatches<StageChange>(
      { data: structuredClone(row.data), currentDeploymentId: row.deploymentId },
      input.patchOperations,
      stagePatchRules,
      stagePatchErrors,
    );
    if (change.deploymentId !== undefined) {
      await checkDeploymentExists(em, ctx, input.restApiId, change.deploymentId);
      row.deploymentId = change.deploymentId;
    }
    if (change.canaryDeploymentId !== undefined) await checkDeploymentExists(em, ctx, input.restApiId, change.canaryDeploymentId);
    if (change.data.canarySettings?.stageVariableOverrides) checkVariables(change.data.canarySettings.stageVariableOverrides);
    row.data = change.data;
    row.lastUpdatedDate = new Date();
    await em.getRepository(StageEntity).save(row);
    await bumpConfigVersion(em);
    return readStage(em, ctx, row);
  });
}

async function DeleteStage(input: DeleteStageRequest, ctx: Context): Promise<void> {
  await transaction(ctx.db, async (em) => {
    await findRestApi(em, ctx, input.restApiId, true);
    const row = await findStage(em, ctx, input.restApiId, input.stageName);
    await em.getRepository(StageEntity).delete({ restApiId: row.restApiId, stageName: row.stageName });
    await deleteTags(em, ctx.accountId, stageArn(ctx.region, row.restApiId, row.stageName));
    await bumpConfigVersion(em);
  });
}

/**
 * Every worker drops the stage's cached authorizer results: the stage gets a new epoch with the
 * config version this bumps, and a result cached under another epoch is never served again.
 */
async function FlushStageAuthorizersCache(input: FlushStageAuthorizersCacheRequest, ctx: Context): Promise<void> {
  await transaction(ctx.db, async (em) => {
    await findRestApi(em, ctx, input.restApiId, true);
    const row = await findStage(em, ctx, input.restApiId, input.stageName);
    // Only ever compared for equality; increasing, so it never repeats one a worker may still hold.
    row.data = { ...row.data, authorizersCacheEpoch: Math.max(Date.now(), (row.data.authorizersCacheEpoch ?? 0) + 1) };
    await em.getRepository(StageEntity).save(row);
    await bumpConfigVersion(em);
  });
}

/**
 * Every worker drops the stage's cached method responses, as FlushStageAuthorizersCache does for
 * authorizer results: a new cache epoch goes out with the config version this bumps.
 */
async function FlushStageCache(input: FlushStageCacheRequest, ctx: Context): Promise<void> {
  await transaction(ctx.db, async (em) => {
    await findRestApi(em, ctx, input.restApiId, true);
    const row = await findStage(em, ctx, input.restApiId, input.stageName);
    row.data = { ...row.data, cacheEpoch: Math.max(Date.now(), (row.data.cacheEpoch ?? 0) + 1) };
    await em.getRepository(StageEntity).save(row);
    await bumpConfigVersion(em);
  });
}

export const stageHandlers: Handlers = { CreateStage, GetStage, GetStages, UpdateStage, DeleteStage, FlushStageAuthorizersCache, FlushStageCache };
