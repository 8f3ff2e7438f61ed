// CreateVpcLink, GetVpcLink, GetVpcLinks, UpdateVpcLink, DeleteVpcLink. A link's target (a network
// load balancer ARN) is mapped to backend addresses by the workers' PORTICO_VPC_LINK_TARGETS.
import type { EntityManager } from 'typeorm';
import { transaction } from '../../db/data-source.js';
import { bumpConfigVersion } from '../config-channel/version.js';
import { badRequest, notFound } from '../protocol/errors.js';
import { newId } from '../protocol/ids.js';
import type { Context, Handlers } from '../protocol/operation.js';
import { paginate } from '../protocol/pagination.js';
import { applyPatches, standardPatchErrors, type PatchRule } from '../protocol/patch.js';
import type {
  CreateVpcLinkRequest,
  DeleteVpcLinkRequest,
  GetVpcLinkRequest,
  GetVpcLinksRequest,
  UpdateVpcLinkRequest,
  VpcLink,
  VpcLinks,
} from '../protocol/shapes.js';
import { taggable } from '../tags/handlers.js';
import { deleteTags, readTags, writeTags } from '../tags/store.js';
import { validateTags } from '../tags/validate.js';
import { VpcLinkEntity, type VpcLinkRow } from './entity.js';
import { provisioningMs, vpcLinkState } from './status.js';

export const vpcLinkNotFound = () => notFound('Invalid Vpc Link identifier specified');

export const vpcLinkArn = (region: string, id: string) => `arn:aws:apigateway:${region}::/vpclinks/${id}`;

// Taggable as `arn:aws:apigateway:{region}::/vpclinks/{id}`.
taggable.vpclinks = async (em, ctx, [id, ...rest]) => {
  if (rest.length !== 0) return false;
  const row = await em.getRepository(VpcLinkEntity).findOneBy({ id, accountId: ctx.accountId });
  return row !== null && vpcLinkState(row).status !== 'GONE';
};

const ARN = /^arn:[a-z0-9-]+:[a-z0-9-]+:[a-z0-9-]*:\d{0,12}:.+$/;

function checkName(name: string | undefined): string {
  if (name === undefined || name.trim() === '') throw badRequest('Name cannot be empty');
  return name;
}

function checkTargetArns(targetArns: string[]): void {
  // A REST API's VPC link targets exactly one network load balancer.
  if (targetArns.length !== 1) throw badRequest('A VPC link must target exactly one network load balancer ARN');
  for (const arn of targetArns) if (!ARN.test(arn)) throw badRequest(`Invalid ARN. ARN is not well formed ${arn}`);
}

/** Removes links whose deletion has completed (they no longer show as DELETING). */
async function purgeDeleted(em: EntityManager, accountId: string): Promise<void> {
  await em.query(`DELETE FROM vpc_links WHERE account_id = $1 AND deleted_date < $2`, [accountId, new Date(Date.now() - provisioningMs())]);
}

export async function findVpcLink(em: EntityManager, ctx: Context, id: string, lock = false, at = Date.now()): Promise<VpcLinkRow> {
  const row = await em.getRepository(VpcLinkEntity).findOne({
    where: { id, accountId: ctx.accountId },
    ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
  });
  if (!row || vpcLinkState(row, at).status === 'GONE') throw vpcLinkNotFound();
  return row;
}

/** `at`: the moment the status is read at, the same one the row was found live at. */
function toVpcLink(row: VpcLinkRow, tags?: Record<string, string>, withStatusMessage = true, at = Date.now()): VpcLink {
  const state = vpcLinkState(row, at);
  return {
    id: row.id,
    name: row.name,
    ...(row.data.description !== undefined ? { description: row.data.description } : {}),
    targetArns: row.data.targetArns,
    ...(state.status !== 'GONE' ? { status: state.status } : {}),
    ...(withStatusMessage && 'statusMessage' in state && state.statusMessage ? { statusMessage: state.statusMessage } : {}),
    ...(tags ? { tags } : {}),
  };
}

async function CreateVpcLink(input: CreateVpcLinkRequest, ctx: Context): Promise<VpcLink> {
  const name = checkName(input.name);
  checkTargetArns(input.targetArns ?? []);
  if (input.tags) validateTags(input.tags);
  return transaction(ctx.db, async (em) => {
    const description = input.description === undefined || input.description === '' ? undefined : input.description;
    const row: VpcLinkRow = {
      id: newId(6),
      accountId: ctx.accountId,
      name,
      createdDate: new Date(),
      deletedDate: null,
      data: { ...(description !== undefined ? { description } : {}), targetArns: [...input.targetArns] },
    };
    await em.getRepository(VpcLinkEntity).insert(row);
    const tags = input.tags && Object.keys(input.tags).length ? input.tags : undefined;
    if (tags) await writeTags(em, ctx.accountId, vpcLinkArn(ctx.region, row.id), tags);
    await bumpConfigVersion(em);
    // As AWS answers creation: PENDING, without a status message.
    return toVpcLink(row, tags, false);
  });
}

async function GetVpcLink(input: GetVpcLinkRequest, ctx: Context): Promise<VpcLink> {
  const em = ctx.db.dataSource.manager;
  const at = Date.now();
  const row = await findVpcLink(em, ctx, input.vpcLinkId, false, at);
  return toVpcLink(row, await readTags(em, ctx.accountId, vpcLinkArn(ctx.region, row.id)), true, at);
}

async function GetVpcLinks(input: GetVpcLinksRequest, ctx: Context): Promise<VpcLinks> {
  const em = ctx.db.dataSource.manager;
  await purgeDeleted(em, ctx.accountId);
  const rows = await em.getRepository(VpcLinkEntity).find({ where: { accountId: ctx.accountId }, order: { createdDate: 'ASC', id: 'ASC' } });
  const at = Date.now();
  const page = paginate(rows.filter((row) => vpcLinkState(row, at).status !== 'GONE'), input.limit, input.position);
  const items = await Promise.all(
    page.items.map(async (row) => {
      const tags = await readTags(em, ctx.accountId, vpcLinkArn(ctx.region, row.id));
      return toVpcLink(row, Object.keys(tags).length ? tags : undefined, true, at);
    }),
  );
  return { items, position: page.position };
}

const vpcLinkPatchRules: PatchRule<VpcLinkRow>[] = [
  { path: '/name', ops: ['replace'], apply: (row, op) => { row.name = checkName(op.value); } },
  { path: '/description', ops: ['replace'], apply: (row, op) => {
    if (op.value === undefined || op.value === '') delete row.data.description;
    else row.data.description = op.value;
  } },
];

async function UpdateVpcLink(input: UpdateVpcLinkRequest, ctx: Context): Promise<VpcLink> {
  return transaction(ctx.db, async (em) => {
    const at = Date.now();
    const row = await findVpcLink(em, ctx, input.vpcLinkId, true, at);
    const changed = applyPatches({ ...row, data: structuredClone(row.data) }, input.patchOperations, vpcLinkPatchRules, standardPatchErrors(vpcLinkPatchRules));
    await em.getRepository(VpcLinkEntity).update({ id: row.id, accountId: ctx.accountId }, { name: changed.name, data: changed.data });
    return toVpcLink(changed, await readTags(em, ctx.accountId, vpcLinkArn(ctx.region, row.id)), true, at);
  });
}

/** Methods whose integration names the link by its id (not through a stage variable), as `{METHOD}:{resourceId}`. */
async function integrationsUsing(em: EntityManager, ctx: Context, id: string): Promise<string[]> {
  const rows: { http_method: string; resource_id: string }[] = await em.query(
    `SELECT http_method, resource_id FROM methods WHERE account_id = $1 AND data->'methodIntegration'->>'connectionType' = 'VPC_LINK'
       AND data->'methodIntegration'->>'connectionId' = $2 ORDER BY resource_id, http_method`,
    [ctx.accountId, id],
  );
  return rows.map((r) => `${r.http_method}:${r.resource_id}`);
}

async function DeleteVpcLink(input: DeleteVpcLinkRequest, ctx: Context): Promise<void> {
  await transaction(ctx.db, async (em) => {
    const row = await findVpcLink(em, ctx, input.vpcLinkId, true);
    if (row.deletedDate) return;
    const users = await integrationsUsing(em, ctx, row.id);
    if (users.length) throw badRequest(`Cannot delete vpc link. Vpc link [${row.id}], is referenced in [${users.join(', ')}] in format of [Method:Resource].`);
    await em.getRepository(VpcLinkEntity).update({ id: row.id, accountId: ctx.accountId }, { deletedDate: new Date() });
    await deleteTags(em, ctx.accountId, vpcLinkArn(ctx.region, row.id));
    await bumpConfigVersion(em);
  });
}

export const vpcLinkHandlers: Handlers = { CreateVpcLink, GetVpcLink, GetVpcLinks, UpdateVpcLink, DeleteVpcLink };
