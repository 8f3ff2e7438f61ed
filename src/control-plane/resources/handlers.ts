// CreateResource, GetResource, GetResources (embed=methods), UpdateResource (rename, re-parent), DeleteResource.
import type { EntityManager } from 'typeorm';
import { In, Like } from 'typeorm';
import { transaction } from '../../db/data-source.js';
import { MethodEntity } from '../methods/entity.js';
import { badRequest, conflict, notFound } from '../protocol/errors.js';
import { newId } from '../protocol/ids.js';
import type { Context, Handlers } from '../protocol/operation.js';
import { paginate } from '../protocol/pagination.js';
import { applyPatches, standardPatchErrors, type PatchRule } from '../protocol/patch.js';
import type {
  CreateResourceRequest,
  DeleteResourceRequest,
  GetResourceRequest,
  GetResourcesRequest,
  Method,
  Resource,
  UpdateResourceRequest,
} from '../protocol/shapes.js';
import { findRestApi } from '../rest-apis/lookup.js';
import { ResourceEntity, type ResourceRow } from './entity.js';
import { childPath, pathPartKind } from './path-part.js';

export const resourceNotFound = () => notFound('Invalid Resource identifier specified');

export async function findResource(em: EntityManager, ctx: Context, restApiId: string, resourceId: string): Promise<ResourceRow> {
  const row = await em.getRepository(ResourceEntity).findOneBy({ id: resourceId, restApiId, accountId: ctx.accountId });
  if (!row) throw resourceNotFound();
  return row;
}

/** A new child may not clash with its siblings: same name, or a second variable part. */
async function checkSiblings(em: EntityManager, restApiId: string, parent: ResourceRow, pathPart: string, self?: string) {
  if (parent.pathPart && pathPartKind(parent.pathPart) === 'greedy') {
    throw badRequest(`Cannot create a child of a resource with a greedy path variable: ${parent.pathPart}`);
  }
  const siblings = (await em.getRepository(ResourceEntity).findBy({ restApiId, parentId: parent.id })).filter((s) => s.id !== self);
  if (siblings.some((s) => s.pathPart === pathPart)) throw conflict(`Another resource with the same parent already has this name: ${pathPart}`);
  if (pathPartKind(pathPart) !== 'literal') {
    const variableSibling = siblings.find((s) => s.pathPart && pathPartKind(s.pathPart) !== 'literal');
    if (variableSibling) {
      throw badRequest(`A sibling (${variableSibling.pathPart}) of this resource already has a variable path part -- only one is allowed`);
    }
  }
}

function toResource(row: ResourceRow, methods?: Record<string, Method>): Resource {
  return {
    id: row.id,
    ...(row.parentId ? { parentId: row.parentId } : {}),
    ...(row.pathPart !== null ? { pathPart: row.pathPart } : {}),
    path: row.path,
    ...(methods && Object.keys(methods).length ? { resourceMethods: methods } : {}),
  };
}

async function methodsOf(em: EntityManager, resourceIds: string[], embed: boolean): Promise<Map<string, Record<string, Method>>> {
  const byResource = new Map<string, Record<string, Method>>();
  if (!resourceIds.length) return byResource;
  const rows = await em.getRepository(MethodEntity).findBy({ resourceId: In(resourceIds) });
  for (const row of rows) {
    const methods = byResource.get(row.resourceId) ?? {};
    methods[row.httpMethod] = embed ? row.data : {};
    byResource.set(row.resourceId, methods);
  }
  return byResource;
}

const wantsMethods = (embed: string[] | undefined) => Boolean(embed?.includes('methods'));

async function CreateResource(input: CreateResourceRequest, ctx: Context): Promise<Resource> {
  return transaction(ctx.db, async (em) => {
    // The lock makes the sibling checks and the insert one step for concurrent creates.
    await findRestApi(em, ctx, input.restApiId, true);
    const parent = await findResource(em, ctx, input.restApiId, input.parentId);
    pathPartKind(input.pathPart);
    await checkSiblings(em, input.restApiId, parent, input.pathPart);
    const row: ResourceRow = {
      id: newId(),
      accountId: ctx.accountId,
      restApiId: input.restApiId,
      parentId: parent.id,
      pathPart: input.pathPart,
      path: childPath(parent.path, input.pathPart),
    };
    await em.getRepository(ResourceEntity).insert(row);
    return toResource(row);
  });
}

async function GetResource(input: GetResourceRequest, ctx: Context): Promise<Resource> {
  const em = ctx.db.dataSource.manager;
  await findRestApi(em, ctx, input.restApiId);
  const row = await findResource(em, ctx, input.restApiId, input.resourceId);
  const methods = await methodsOf(em, [row.id], wantsMethods(input.embed));
  return toResource(row, methods.get(row.id));
}

async function GetResources(input: GetResourcesRequest, ctx: Context) {
  const em = ctx.db.dataSource.manager;
  await findRestApi(em, ctx, input.restApiId);
  const rows = await em.getRepository(ResourceEntity).find({ where: { restApiId: input.restApiId, accountId: ctx.accountId }, order: { path: 'ASC' } });
  const page = paginate(rows, input.limit, input.position);
  const methods = await methodsOf(em, page.items.map((r) => r.id), wantsMethods(input.embed));
  return { items: page.items.map((r) => toResource(r, methods.get(r.id))), position: page.position };
}

type ResourceChange = { row: ResourceRow; parentId?: string; pathPart?: string };

const resourcePatchRules: PatchRule<ResourceChange>[] = [
  { path: '/parentId', ops: ['replace'], apply: (change, op) => {
    if (change.row.parentId === null) throw badRequest('Root resource cannot update its parentId.');
    change.parentId = op.value ?? '';
  } },
  { path: '/pathPart', ops: ['replace'], apply: (change, op) => {
    if (change.row.parentId === null) throw badRequest('Root resource cannot update its pathPart.');
    change.pathPart = op.value ?? '';
  } },
];

async function UpdateResource(input: UpdateResourceRequest, ctx: Context): Promise<Resource> {
  return transaction(ctx.db, async (em) => {
    await findRestApi(em, ctx, input.restApiId, true);
    const row = await findResource(em, ctx, input.restApiId, input.resourceId);
    const change = applyPatches<ResourceChange>({ row }, input.patchOperations, resourcePatchRules, standardPatchErrors(resourcePatchRules));
    if (change.parentId === undefined && change.pathPart === undefined) return toResource(row);

    const pathPart = change.pathPart ?? row.pathPart!;
    pathPartKind(pathPart);
    const parent = await findResource(em, ctx, input.restApiId, change.parentId ?? row.parentId!);
    if (parent.id === row.id || parent.path.startsWith(row.path === '/' ? '/' : `${row.path}/`)) {
      throw badRequest('Resources cannot be cyclical.');
    }
    await checkSiblings(em, input.restApiId, parent, pathPart, row.id);

    const oldPath = row.path;
    const newPath = childPath(parent.path, pathPart);
    const repo = em.getRepository(ResourceEntity);
    const descendants = await repo.findBy({ restApiId: input.restApiId, path: Like(`${oldPath.replace(/[\\%_]/g, '\\$&')}/%`) });
    // Move the subtree out of the way first so the unique path index never sees a transient clash.
    for (const d of [row, ...descendants]) await repo.update({ id: d.id }, { path: `#moving/${d.id}` });
    for (const d of descendants) await repo.update({ id: d.id }, { path: newPath + d.path.slice(oldPath.length) });
    Object.assign(row, { parentId: parent.id, pathPart, path: newPath });
    await repo.update({ id: row.id }, { parentId: parent.id, pathPart, path: newPath });
    return toResource(row);
  });
}

async function DeleteResource(input: DeleteResourceRequest, ctx: Context): Promise<void> {
  await transaction(ctx.db, async (em) => {
    await findRestApi(em, ctx, input.restApiId, true);
    const row = await findResource(em, ctx, input.restApiId, input.resourceId);
    if (row.parentId === null) throw badRequest('Cannot delete the root resource.');
    // Children and their methods go by cascade.
    await em.getRepository(ResourceEntity).delete({ id: row.id });
  });
}

export const resourceHandlers: Handlers = { CreateResource, GetResource, GetResources, UpdateResource, DeleteResource };
