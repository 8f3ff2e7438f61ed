// CreateBasePathMapping, GetBasePathMapping, GetBasePathMappings, UpdateBasePathMapping,
// DeleteBasePathMapping: which API stage a custom domain name's base path serves. `(none)` is the
// empty base path; multi-level paths (`v1/orders`) are for regional and private names with TLS 1.2.
import type { EntityManager } from 'typeorm';
import { transaction } from '../../db/data-source.js';
import { bumpConfigVersion } from '../config-channel/version.js';
import { badRequest, conflict, notFound } from '../protocol/errors.js';
import type { Context, Handlers } from '../protocol/operation.js';
import { paginate } from '../protocol/pagination.js';
import { applyPatches, standardPatchErrors, type PatchRule } from '../protocol/patch.js';
import type {
  BasePathMapping,
  BasePathMappings,
  CreateBasePathMappingRequest,
  DeleteBasePathMappingRequest,
  GetBasePathMappingRequest,
  GetBasePathMappingsRequest,
  UpdateBasePathMappingRequest,
} from '../protocol/shapes.js';
import { RestApiEntity } from '../rest-apis/entity.js';
import { StageEntity } from '../stages/entity.js';
import { BasePathMappingEntity, type BasePathMappingRow, type DomainNameRow } from './entity.js';
import { endpointTypeOf, findDomainName } from './lookup.js';
import { normalizeBasePath } from './validate.js';

const mappingNotFound = () => notFound('Invalid base path mapping identifier specified');
const mappingExists = () => conflict('Base path already exists for this domain name');

const text = (value: string | undefined) => (value === undefined || value === '' ? undefined : value);

const allowsMultiLevel = (domain: DomainNameRow) => endpointTypeOf(domain) !== 'EDGE' && domain.data.securityPolicy !== 'TLS_1_0';

/** The base path as a URI names it: `(none)` or the stored path. */
const basePathOf = (path: string | undefined) => (path === undefined || path === '(none)' ? '' : path.replace(/^\/+|\/+$/g, ''));

function toBasePathMapping(row: BasePathMappingRow): BasePathMapping {
  return { basePath: row.basePath === '' ? '(none)' : row.basePath, restApiId: row.restApiId, ...(row.stage !== null ? { stage: row.stage } : {}) };
}

async function checkTarget(em: EntityManager, ctx: Context, restApiId: string | undefined, stage: string | null): Promise<void> {
  if (!restApiId || !(await em.getRepository(RestApiEntity).existsBy({ id: restApiId, accountId: ctx.accountId }))) {
    throw badRequest('Invalid REST API identifier specified');
  }
  if (stage !== null && !(await em.getRepository(StageEntity).existsBy({ restApiId, stageName: stage, accountId: ctx.accountId }))) {
    throw badRequest('Invalid stage identifier specified');
  }
}

async function findMapping(em: EntityManager, domain: DomainNameRow, basePath: string, lock = false): Promise<BasePathMappingRow> {
  const row = await em.getRepository(BasePathMappingEntity).findOne({
    where: { domainId: domain.id, basePath },
    ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
  });
  if (!row) throw mappingNotFound();
  return row;
}

async function CreateBasePathMapping(input: CreateBasePathMappingRequest, ctx: Context): Promise<BasePathMapping> {
  return transaction(ctx.db, async (em) => {
    const domain = await findDomainName(em, ctx, input.domainName, text(input.domainNameId), true);
    const basePath = normalizeBasePath(input.basePath, allowsMultiLevel(domain));
    const stage = text(input.stage) ?? null;
    await checkTarget(em, ctx, input.restApiId, stage);
    if (await em.getRepository(BasePathMappingEntity).existsBy({ domainId: domain.id, basePath })) throw mappingExists();
    const row: BasePathMappingRow = { domainId: domain.id, basePath, accountId: ctx.accountId, restApiId: input.restApiId, stage };
    await em.getRepository(BasePathMappingEntity).insert(row);
    await bumpConfigVersion(em);
    return toBasePathMapping(row);
  });
}

async function GetBasePathMapping(input: GetBasePathMappingRequest, ctx: Context): Promise<BasePathMapping> {
  const em = ctx.db.dataSource.manager;
  const domain = await findDomainName(em, ctx, input.domainName, text(input.domainNameId));
  return toBasePathMapping(await findMapping(em, domain, basePathOf(input.basePath)));
}

async function GetBasePathMappings(input: GetBasePathMappingsRequest, ctx: Context): Promise<BasePathMappings> {
  const em = ctx.db.dataSource.manager;
  const domain = await findDomainName(em, ctx, input.domainName, text(input.domainNameId));
  const rows = await em.getRepository(BasePathMappingEntity).find({ where: { domainId: domain.id }, order: { basePath: 'ASC' } });
  const page = paginate(rows, input.limit, input.position);
  return { items: page.items.map(toBasePathMapping), position: page.position };
}

type MappingChange = { row: BasePathMappingRow; multiLevel: boolean };

const basePathMappingPatchRules: PatchRule<MappingChange>[] = [
  { path: '/basePath', ops: ['replace'], apply: (change, op) => { change.row.basePath = normalizeBasePath(op.value, change.multiLevel); } },
  { path: '/restapiId', ops: ['replace'], apply: (change, op) => { change.row.restApiId = op.value ?? ''; } },
  { path: '/stage', ops: ['replace'], apply: (change, op) => { change.row.stage = text(op.value) ?? null; } },
];

async function UpdateBasePathMapping(input: UpdateBasePathMappingRequest, ctx: Context): Promise<BasePathMapping> {
  return transaction(ctx.db, async (em) => {
    const domain = await findDomainName(em, ctx, input.domainName, text(input.domainNameId), true);
    const row = await findMapping(em, domain, basePathOf(input.basePath), true);
    const { row: changed } = applyPatches<MappingChange>(
      { row: { ...row }, multiLevel: allowsMultiLevel(domain) },
      input.patchOperations,
      basePathMappingPatchRules,
      standardPatchErrors(basePathMappingPatchRules),
    );
    await checkTarget(em, ctx, changed.restApiId, changed.stage);
    const repository = em.getRepository(BasePathMappingEntity);
    if (changed.basePath !== row.basePath && (await repository.existsBy({ domainId: domain.id, basePath: changed.basePath }))) throw mappingExists();
    await repository.update(
      { domainId: domain.id, basePath: row.basePath },
      { basePath: changed.basePath, restApiId: changed.restApiId, stage: changed.stage },
    );
    await bumpConfigVersion(em);
    return toBasePathMapping(changed);
  });
}

async function DeleteBasePathMapping(input: DeleteBasePathMappingRequest, ctx: Context): Promise<void> {
  await transaction(ctx.db, async (em) => {
    const domain = await findDomainName(em, ctx, input.domainName, text(input.domainNameId), true);
    const row = await findMapping(em, domain, basePathOf(input.basePath), true);
    await em.getRepository(BasePathMappingEntity).delete({ domainId: domain.id, basePath: row.basePath });
    await bumpConfigVersion(em);
  });
}

export const basePathMappingHandlers: Handlers = {
  CreateBasePathMapping,
  GetBasePathMapping,
  GetBasePathMappings,
  UpdateBasePathMapping,
  DeleteBasePathMapping,
};
