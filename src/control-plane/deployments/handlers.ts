// CreateDeployment, GetDeployment (embed=apisummary), GetDeployments, UpdateDeployment, DeleteDeployment.
import type { EntityManager } from 'typeorm';
import { transaction } from '../../db/data-source.js';
import { bumpConfigVersion } from '../config-channel/version.js';
import { badRequest, notFound } from '../protocol/errors.js';
import { newId } from '../protocol/ids.js';
import type { Context, Handlers } from '../protocol/operation.js';
import { paginate } from '../protocol/pagination.js';
import { applyPatches, standardPatchErrors, type PatchRule } from '../protocol/patch.js';
import type {
  CreateDeploymentRequest,
  DeleteDeploymentRequest,
  Deployment,
  Deployments,
  GetDeploymentRequest,
  GetDeploymentsRequest,
  UpdateDeploymentRequest,
} from '../protocol/shapes.js';
import { findRestApi } from '../rest-apis/lookup.js';
import { StageEntity } from '../stages/entity.js';
import { checkStageName, checkVariables, deployToStage } from '../stages/handlers.js';
import { DeploymentEntity, type DeploymentRow } from './entity.js';
import { freezeApi } from './snapshot.js';

const DEPLOYMENT_ID_LENGTH = 6;

export const deploymentNotFound = () => notFound('Invalid Deployment identifier specified');

async function findDeployment(em: EntityManager, ctx: Context, restApiId: string, deploymentId: string): Promise<DeploymentRow> {
  const row = await em.getRepository(DeploymentEntity).findOneBy({ id: deploymentId, restApiId, accountId: ctx.accountId });
  if (!row) throw deploymentNotFound();
  return row;
}

function toDeployment(row: DeploymentRow, withApiSummary = false): Deployment {
  return {
    id: row.id,
    ...(row.description !== null ? { description: row.description } : {}),
    createdDate: row.createdDate,
    ...(withApiSummary ? { apiSummary: row.apiSummary } : {}),
  };
}

/** A canary release needs the stage it goes to; AWS says so before looking at anything else. */
function checkCanaryStageName(input: CreateDeploymentRequest): void {
  if (input.canarySettings && !input.stageName) {
    throw badRequest(
      `Invalid deployment content specified.Non null and non empty stageName must be provided for canary deployment. Provided value is ${input.stageName ?? 'null'}`,
    );
  }
}

async function CreateDeployment(input: CreateDeploymentRequest, ctx: Context): Promise<Deployment> {
  checkCanaryStageName(input);
  // An empty stageName deploys without touching any stage, as AWS does.
  if (input.stageName) checkStageName(input.stageName);
  if (input.variables) checkVariables(input.variables);
  return transaction(ctx.db, async (em) => {
    const api = await findRestApi(em, ctx, input.restApiId, true);
    const id = newId(DEPLOYMENT_ID_LENGTH);
    const { snapshot, apiSummary } = await freezeApi(em, api, id);
    const row: DeploymentRow = {
      id,
      accountId: ctx.accountId,
      restApiId: api.id,
      createdDate: new Date(),
      description: input.description || null,
      apiSummary,
      snapshot,
    };
    await em.getRepository(DeploymentEntity).insert(row);
    if (input.stageName) await deployToStage(em, ctx, api.id, id, { ...input, stageName: input.stageName });
    return toDeployment(row);
  });
}

async function GetDeployment(input: GetDeploymentRequest, ctx: Context): Promise<Deployment> {
  const em = ctx.db.dataSource.manager;
  await findRestApi(em, ctx, input.restApiId);
  const row = await findDeployment(em, ctx, input.restApiId, input.deploymentId);
  return toDeployment(row, Boolean(input.embed?.some((e) => e.toLowerCase() === 'apisummary')));
}

async function GetDeployments(input: GetDeploymentsRequest, ctx: Context): Promise<Deployments> {
  const em = ctx.db.dataSource.manager;
  await findRestApi(em, ctx, input.restApiId);
  const rows = await em.getRepository(DeploymentEntity).find({
    where: { restApiId: input.restApiId, accountId: ctx.accountId },
    select: { id: true, description: true, createdDate: true },
    order: { createdDate: 'ASC', id: 'ASC' },
  });
  const page = paginate(rows, input.limit, input.position);
  return { items: page.items.map((row) => toDeployment(row)), position: page.position };
}

const deploymentPatchRules: PatchRule<DeploymentRow>[] = [
  { path: '/description', ops: ['replace'], apply: (row, op) => {
    row.description = op.value || null;
  } },
];

/** Only the description changes: what workers serve stays as frozen, so the config version stays too. */
async function UpdateDeployment(input: UpdateDeploymentRequest, ctx: Context): Promise<Deployment> {
  return transaction(ctx.db, async (em) => {
    await findRestApi(em, ctx, input.restApiId, true);
    const row = await findDeployment(em, ctx, input.restApiId, input.deploymentId);
    applyPatches(row, input.patchOperations, deploymentPatchRules, standardPatchErrors(deploymentPatchRules));
    await em.getRepository(DeploymentEntity).update({ id: row.id }, { description: row.description });
    return toDeployment(row);
  });
}

/** A stage serving the deployment, directly or as its canary, keeps it alive. */
async function isServed(em: EntityManager, restApiId: string, deploymentId: string): Promise<boolean> {
  const stages = await em.getRepository(StageEntity).findBy({ restApiId });
  return stages.some((s) => s.deploymentId === deploymentId || s.data.canarySettings?.deploymentId === deploymentId);
}

async function DeleteDeployment(input: DeleteDeploymentRequest, ctx: Context): Promise<void> {
  await transaction(ctx.db, async (em) => {
    await findRestApi(em, ctx, input.restApiId, true);
    const row = await findDeployment(em, ctx, input.restApiId, input.deploymentId);
    if (await isServed(em, input.restApiId, row.id)) throw badRequest('Active stages pointing to this deployment must be moved or deleted');
    await em.getRepository(DeploymentEntity).delete({ id: row.id });
    await bumpConfigVersion(em);
  });
}

export const deploymentHandlers: Handlers = { CreateDeployment, GetDeployment, GetDeployments, UpdateDeployment, DeleteDeployment };
