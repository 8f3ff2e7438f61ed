// CreateDomainNameAccessAssociation, GetDomainNameAccessAssociations, RejectDomainNameAccessAssociation,
// DeleteDomainNameAccessAssociation: which VPC endpoints may reach a private custom domain name. The
// creator (the endpoint's account: the name's owner, or an account its managementPolicy allows to
// `apigateway:CreateAccessAssociation`) deletes an association; the domain name's owner rejects it.
import { In, type EntityManager } from 'typeorm';
import { transaction } from '../../db/data-source.js';
import { badRequest, conflict, notFound } from '../protocol/errors.js';
import type { Context, Handlers } from '../protocol/operation.js';
import { paginate } from '../protocol/pagination.js';
import type {
  CreateDomainNameAccessAssociationRequest,
  DeleteDomainNameAccessAssociationRequest,
  DomainNameAccessAssociation,
  DomainNameAccessAssociations,
  GetDomainNameAccessAssociationsRequest,
  RejectDomainNameAccessAssociationRequest,
} from '../protocol/shapes.js';
import { taggable } from '../tags/handlers.js';
import { deleteTags, readTags, writeTags } from '../tags/store.js';
import { validateTags } from '../tags/validate.js';
import { compilePolicy, evaluate } from '../../data-plane/auth/policy.js';
import { AccessAssociationEntity, DomainNameEntity, type AccessAssociationRow, type DomainNameRow } from './entity.js';
import { domainNameArn } from './lookup.js';

const associationNotFound = () => notFound('Invalid domain name access association identifier specified');

const DOMAIN_NAME_ARN = /^arn:aws:apigateway:([a-z0-9-]+):(\d{12}):\/domainnames\/([^/+]+)\+([a-z0-9]+)$/;
const VPC_ENDPOINT_ID = /^vpce-[0-9a-f]{8,17}$/;

/** `arn:aws:apigateway:{region}:{owner}:/domainnameaccessassociations/domainname/{name}+{id}/vpcesource/{vpce}`, in its creator's account. */
const associationArn = (region: string, owner: string, domain: DomainNameRow, source: string) =>
  `arn:aws:apigateway:${region}:${owner}:/domainnameaccessassociations/domainname/${domain.domainName}+${domain.id}/vpcesource/${source}`;

const tagArn = (arn: string) => arn.replace(/^(arn:aws:apigateway:[a-z0-9-]+:)\d{12}:/, '$1:');

// Taggable as `.../domainnameaccessassociations/domainname/{name}+{id}/vpcesource/{vpce}`, by its creator.
taggable.domainnameaccessassociations = async (em, ctx, segments) => {
  const rows: unknown[] = await em.query(
    `SELECT 1 FROM domain_name_access_associations WHERE account_id = $1 AND arn LIKE $2`,
    [ctx.accountId, `%:/domainnameaccessassociations/${segments.join('/').replace(/[%_\\]/g, '\\$&')}`],
  );
  return rows.length > 0;
};

/** Whether a private name's managementPolicy lets `accountId` create access associations with it. */
export function sharedWith(domain: DomainNameRow, region: string, accountId: string): boolean {
  if (domain.data.managementPolicy === undefined) return false;
  try {
    const policy = compilePolicy(JSON.parse(domain.data.managementPolicy));
    const decision = evaluate(policy, {
      action: 'apigateway:CreateAccessAssociation',
      resource: domainNameArn(region, domain),
      principal: { aws: [accountId, `arn:aws:iam::${accountId}:root`] },
      conditions: { 'aws:PrincipalAccount': accountId },
    });
    return decision === 'Allow';
  } catch {
    return false;
  }
}

/** The private domain name an ARN names: the caller's own, or (`shared`) another account's that its managementPolicy shares. */
async function privateDomainOf(em: EntityManager, ctx: Context, arn: string, shared = false): Promise<DomainNameRow> {
  const match = DOMAIN_NAME_ARN.exec(arn);
  if (!match) throw badRequest(`Invalid domain name ARN specified: ${arn}`);
  const [, region, account, domainName, id] = match;
  const row = region === ctx.region ? await em.getRepository(DomainNameEntity).findOneBy({ id, domainName, private: true, accountId: account }) : null;
  if (!row || (row.accountId !== ctx.accountId && !(shared && sharedWith(row, ctx.region, ctx.accountId)))) {
    throw notFound('Invalid domain name identifier specified');
  }
  return row;
}

function toAssociation(row: AccessAssociationRow, domainArn: string, tags?: Record<string, string>): DomainNameAccessAssociation {
  return {
    domainNameAccessAssociationArn: row.arn,
    domainNameArn: domainArn,
    accessAssociationSourceType: row.sourceType as 'VPCE',
    accessAssociationSource: row.source,
    ...(tags ? { tags } : {}),
  };
}

async function CreateDomainNameAccessAssociation(input: CreateDomainNameAccessAssociationRequest, ctx: Context): Promise<DomainNameAccessAssociation> {
  if (input.accessAssociationSourceType !== 'VPCE') throw badRequest('Invalid access association source type specified. Valid values are VPCE');
  if (!VPC_ENDPOINT_ID.test(input.accessAssociationSource)) throw badRequest(`Invalid VPC endpoint identifier specified: ${input.accessAssociationSource}`);
  if (input.tags) validateTags(input.tags);
  return transaction(ctx.db, async (em) => {
    const domain = await privateDomainOf(em, ctx, input.domainNameArn, true);
    const repository = em.getRepository(AccessAssociationEntity);
    if (await repository.existsBy({ domainId: domain.id, sourceType: 'VPCE', source: input.accessAssociationSource })) {
      throw conflict('A domain name access association already exists for this domain name and access association source');
    }
    const row: AccessAssociationRow = {
      arn: associationArn(ctx.region, ctx.accountId, domain, input.accessAssociationSource),
      accountId: ctx.accountId,
      domainId: domain.id,
      domainAccountId: domain.accountId,
      sourceType: 'VPCE',
      source: input.accessAssociationSource,
      createdDate: new Date(),
    };
    await repository.insert(row);
    const tags = input.tags && Object.keys(input.tags).length ? input.tags : {};
    if (Object.keys(tags).length) await writeTags(em, ctx.accountId, tagArn(row.arn), tags);
    return toAssociation(row, domainNameArn(ctx.region, domain), tags);
  });
}

async function GetDomainNameAccessAssociations(input: GetDomainNameAccessAssociationsRequest, ctx: Context): Promise<DomainNameAccessAssociations> {
  const em = ctx.db.dataSource.manager;
  const repository = em.getRepository(AccessAssociationEntity);
  // SELF: the associations the caller created; OTHER_ACCOUNTS: those other accounts created with the caller's names.
  const rows = input.resourceOwner === 'OTHER_ACCOUNTS'
    ? (await repository.find({ where: { domainAccountId: ctx.accountId }, order: { createdDate: 'ASC', arn: 'ASC' } })).filter((r) => r.accountId !== ctx.accountId)
    : await repository.find({ where: { accountId: ctx.accountId }, order: { createdDate: 'ASC', arn: 'ASC' } });
  const page = paginate(rows, input.limit, input.position);
  const domains = new Map(
    (await em.getRepository(DomainNameEntity).findBy({ id: In([...new Set(page.items.map((r) => r.domainId))]) })).map((d) => [d.id, d]),
  );
  const items = await Promise.all(
    page.items.map(async (row) => {
      const tags = await readTags(em, row.accountId, tagArn(row.arn));
      return toAssociation(row, domainNameArn(ctx.region, domains.get(row.domainId)!), Object.keys(tags).length ? tags : undefined);
    }),
  );
  return { items, position: page.position };
}

async function RejectDomainNameAccessAssociation(input: RejectDomainNameAccessAssociationRequest, ctx: Context): Promise<void> {
  await transaction(ctx.db, async (em) => {
    const domain = await privateDomainOf(em, ctx, input.domainNameArn);
    const row = await em.getRepository(AccessAssociationEntity).findOneBy({ arn: input.domainNameAccessAssociationArn, domainId: domain.id });
    if (!row) throw associationNotFound();
    await em.getRepository(AccessAssociationEntity).delete({ arn: row.arn });
    await deleteTags(em, row.accountId, tagArn(row.arn));
  });
}

async function DeleteDomainNameAccessAssociation(input: DeleteDomainNameAccessAssociationRequest, ctx: Context): Promise<void> {
  await transaction(ctx.db, async (em) => {
    const row = await em.getRepository(AccessAssociationEntity).findOneBy({ arn: input.domainNameAccessAssociationArn, accountId: ctx.accountId });
    if (!row) throw associationNotFound();
    await em.getRepository(AccessAssociationEntity).delete({ arn: row.arn });
    await deleteTags(em, ctx.accountId, tagArn(row.arn));
  });
}

export const accessAssociationHandlers: Handlers = {
  CreateDomainNameAccessAssociation,
  GetDomainNameAccessAssociations,
  RejectDomainNameAccessAssociation,
  DeleteDomainNameAccessAssociation,
};
