// CreateDomainName, GetDomainName, GetDomainNames, UpdateDomainName, DeleteDomainName. Base path
// mappings and access associations have their handlers in base-path-mappings.ts and access-associations.ts.
import { config } from '../../config.js';
import { Not } from 'typeorm';
import { transaction } from '../../db/data-source.js';
import { bumpConfigVersion } from '../config-channel/version.js';
import { badRequest, conflict } from '../protocol/errors.js';
import { newId } from '../protocol/ids.js';
import type { Context, Handlers } from '../protocol/operation.js';
import { paginate } from '../protocol/pagination.js';
import { applyPatches, standardPatchErrors, type PatchRule } from '../protocol/patch.js';
import type {
  CreateDomainNameRequest,
  DeleteDomainNameRequest,
  DomainName,
  DomainNames,
  GetDomainNameRequest,
  GetDomainNamesRequest,
  UpdateDomainNameRequest,
} from '../protocol/shapes.js';
import { taggable } from '../tags/handlers.js';
import { deleteTags, readTags, writeTags } from '../tags/store.js';
import { validateTags } from '../tags/validate.js';
import { accessAssociationHandlers, sharedWith } from './access-associations.js';
import { basePathMappingHandlers } from './base-path-mappings.js';
import { DomainNameEntity, type DomainNameData, type DomainNameRow } from './entity.js';
import { domainNameArn, domainNameTagArn, findDomainName, toDomainName } from './lookup.js';
import { checkDomainName, checkDomainNameText } from './validate.js';

// Taggable as `arn:aws:apigateway:{region}::/domainnames/{name}` (a private one: `{name}+{domainNameId}`).
taggable.domainnames = async (em, ctx, [segment, ...rest]) => {
  if (rest.length !== 0 || !segment) return false;
  const plus = segment.lastIndexOf('+');
  const where = plus < 0
    ? { domainName: segment, private: false, accountId: ctx.accountId }
    : { domainName: segment.slice(0, plus), id: segment.slice(plus + 1), private: true, accountId: ctx.accountId };
  return em.getRepository(DomainNameEntity).existsBy(where);
};

const domainNameExists = () => conflict('The domain name you provided already exists.');

const text = (value: string | undefined) => (value === undefined || value === '' ? undefined : value);

/** `d` and 13 characters, as CloudFront names its distributions. */
const distributionDomainName = () => `d${newId(13)}.cloudfront.net`;

async function CreateDomainName(input: CreateDomainNameRequest, ctx: Context): Promise<DomainName> {
  checkDomainNameText(input.domainName);
  if (input.tags) validateTags(input.tags);
  const types = input.endpointConfiguration?.types ?? ['EDGE'];
  const type = types[0];
  const now = new Date();
  const certificateArn = text(input.certificateArn);
  const certificateName = text(input.certificateName);
  const data: DomainNameData = {
    ...(certificateName !== undefined ? { certificateName } : {}),
    ...(certificateArn !== undefined ? { certificateArn } : {}),
    // Whichever certificate the endpoint type uses, when it was given.
    ...(certificateArn !== undefined || certificateName !== undefined || input.certificateBody || text(input.regionalCertificateArn) !== undefined
      ? { certificateUploadDate: now.getTime() }
      : {}),
    ...(text(input.regionalCertificateName) !== undefined ? { regionalCertificateName: input.regionalCertificateName } : {}),
    ...(text(input.regionalCertificateArn) !== undefined ? { regionalCertificateArn: input.regionalCertificateArn } : {}),
    endpointConfiguration: { types, ipAddressType: input.endpointConfiguration?.ipAddressType ?? (type === 'PRIVATE' ? 'dualstack' : 'ipv4') },
    securityPolicy: input.securityPolicy ?? 'TLS_1_2',
    ...(input.endpointAccessMode !== undefined ? { endpointAccessMode: input.endpointAccessMode } : {}),
    ...(input.mutualTlsAuthentication?.truststoreUri !== undefined
      ? { mutualTlsAuthentication: { truststoreUri: input.mutualTlsAuthentication.truststoreUri, ...(input.mutualTlsAuthentication.truststoreVersion ? { truststoreVersion: input.mutualTlsAuthentication.truststoreVersion } : {}) } }
      : {}),
    ...(text(input.ownershipVerificationCertificateArn) !== undefined ? { ownershipVerificationCertificateArn: input.ownershipVerificationCertificateArn } : {}),
    ...(text(input.policy) !== undefined ? { policy: input.policy } : {}),
    routingMode: input.routingMode ?? 'BASE_PATH_MAPPING_ONLY',
    ...(type === 'EDGE' ? { distributionDomainName: distributionDomainName() } : {}),
  };
  checkDomainName(data);
  return transaction(ctx.db, async (em) => {
    const isPrivate = type === 'PRIVATE';
    // Workers route public names by Host: one account owns a public name.
    if (!isPrivate && (await em.query('SELECT 1 FROM domain_names WHERE lower(domain_name) = lower($1) AND NOT private', [input.domainName])).length) {
      throw domainNameExists();
    }
    const row: DomainNameRow = { id: newId(10), accountId: ctx.accountId, domainName: input.domainName, private: isPrivate, createdDate: now, data };
    try {
      await em.getRepository(DomainNameEntity).insert(row);
    } catch (err) {
      if ((err as { code?: string }).code === '23505') throw domainNameExists();
      throw err;
    }
    const tags = input.tags && Object.keys(input.tags).length ? input.tags : {};
    if (Object.keys(tags).length) await writeTags(em, ctx.accountId, domainNameTagArn(ctx.region, row), tags);
    await bumpConfigVersion(em);
    return toDomainName(row, ctx.region, tags);
  });
}

async function GetDomainName(input: GetDomainNameRequest, ctx: Context): Promise<DomainName> {
  const em = ctx.db.dataSource.manager;
  const row = await findDomainName(em, ctx, input.domainName, text(input.domainNameId));
  return toDomainName(row, ctx.region, await readTags(em, ctx.accountId, domainNameTagArn(ctx.region, row)));
}

async function GetDomainNames(input: GetDomainNamesRequest, ctx: Context): Promise<DomainNames> {
  const em = ctx.db.dataSource.manager;
  if (input.resourceOwner === 'OTHER_ACCOUNTS') {
    // Other accounts' private names whose managementPolicy lets the caller create access associations, named only.
    const shared = (await em.getRepository(DomainNameEntity).find({ where: { private: true, accountId: Not(ctx.accountId) }, order: { domainName: 'ASC', id: 'ASC' } }))
      .filter((row) => sharedWith(row, ctx.region, ctx.accountId));
    const page = paginate(shared, input.limit, input.position);
    return { items: page.items.map((row) => ({ domainName: row.domainName, domainNameId: row.id, domainNameArn: domainNameArn(ctx.region, row) })), position: page.position };
  }
  const rows = await em.getRepository(DomainNameEntity).find({ where: { accountId: ctx.accountId }, order: { domainName: 'ASC', id: 'ASC' } });
  const page = paginate(rows, input.limit, input.position);
  const items = await Promise.all(
    page.items.map(async (row) => {
      const tags = await readTags(em, ctx.accountId, domainNameTagArn(ctx.region, row));
      return toDomainName(row, ctx.region, Object.keys(tags).length ? tags : undefined);
    }),
  );
  return { items, position: page.position };
}

type TextKey = 'certificateName' | 'certificateArn' | 'regionalCertificateName' | 'regionalCertificateArn' | 'ownershipVerificationCertificateArn' | 'policy' | 'managementPolicy';

const CERTIFICATE_KEYS: TextKey[] = ['certificateName', 'certificateArn', 'regionalCertificateName', 'regionalCertificateArn'];

const replaceText = (key: TextKey): PatchRule<DomainNameRow> => ({
  path: `/${key}`,
  ops: ['replace'],
  apply: (row, op) => {
    const value = text(op.value);
    if (value === undefined) delete row.data[key];
    else row.data[key] = value;
    if (CERTIFICATE_KEYS.includes(key)) row.data.certificateUploadDate = Date.now();
  },
});

const domainNamePatchRules: PatchRule<DomainNameRow>[] = [
  replaceText('certificateName'),
  replaceText('certificateArn'),
  replaceText('regionalCertificateName'),
  replaceText('regionalCertificateArn'),
  // Converting between EDGE and REGIONAL (`/endpointConfiguration/types/EDGE` → `REGIONAL`, the path
  // naming the current type): the other type's certificate must come in the same update. A private name
  // stays private. The name shows UPDATING while the migration runs.
  { path: '/endpointConfiguration/types/*', ops: ['replace'], apply: (row, op, [named]) => {
    const type = op.value;
    const current = row.data.endpointConfiguration?.types?.[0] ?? 'EDGE';
    if (named !== current || current === 'PRIVATE' || (type !== 'EDGE' && type !== 'REGIONAL')) throw badRequest(`${op.path} Invalid request input`);
    if (type === current) return;
    row.data.endpointConfiguration = { ...row.data.endpointConfiguration, types: [type] };
    row.data.updatingUntil = Date.now() + config.vpcLinkProvisioningMs;
    if (type === 'EDGE') {
      row.data.distributionDomainName ??= distributionDomainName();
      delete row.data.regionalCertificateArn;
      delete row.data.regionalCertificateName;
    } else {
      delete row.data.certificateArn;
      delete row.data.certificateName;
    }
  } },
  { path: '/endpointConfiguration/ipAddressType', ops: ['replace'], apply: (row, op) => {
    row.data.endpointConfiguration = { ...row.data.endpointConfiguration, ipAddressType: op.value as 'ipv4' | 'dualstack' };
  } },
  { path: '/securityPolicy', ops: ['replace'], apply: (row, op) => { row.data.securityPolicy = op.value as DomainNameData['securityPolicy']; } },
  { path: '/endpointAccessMode', ops: ['replace'], apply: (row, op) => { row.data.endpointAccessMode = op.value as DomainNameData['endpointAccessMode']; } },
  { path: '/routingMode', ops: ['replace'], apply: (row, op) => { row.data.routingMode = op.value as DomainNameData['routingMode']; } },
  { path: '/mutualTlsAuthentication/truststoreUri', ops: ['replace'], apply: (row, op) => {
    const uri = text(op.value);
    if (uri === undefined) delete row.data.mutualTlsAuthentication;
    else row.data.mutualTlsAuthentication = { truststoreUri: uri };
  } },
  { path: '/mutualTlsAuthentication/truststoreVersion', ops: ['replace'], apply: (row, op) => {
    if (row.data.mutualTlsAuthentication) row.data.mutualTlsAuthentication = { ...row.data.mutualTlsAuthentication, truststoreVersion: op.value };
  } },
  replaceText('ownershipVerificationCertificateArn'),
  replaceText('policy'),
  // Who may create access associations with a private name (`apigateway:CreateAccessAssociation`).
  replaceText('managementPolicy'),
];

async function UpdateDomainName(input: UpdateDomainNameRequest, ctx: Context): Promise<DomainName> {
  return transaction(ctx.db, async (em) => {
    const row = await findDomainName(em, ctx, input.domainName, text(input.domainNameId), true);
    const changed = applyPatches({ ...row, data: structuredClone(row.data) }, input.patchOperations, domainNamePatchRules, standardPatchErrors(domainNamePatchRules));
    checkDomainName(changed.data);
    await em.getRepository(DomainNameEntity).update({ id: row.id }, { data: changed.data });
    await bumpConfigVersion(em);
    return toDomainName(changed, ctx.region, await readTags(em, ctx.accountId, domainNameTagArn(ctx.region, row)));
  });
}

async function DeleteDomainName(input: DeleteDomainNameRequest, ctx: Context): Promise<void> {
  await transaction(ctx.db, async (em) => {
    const row = await findDomainName(em, ctx, input.domainName, text(input.domainNameId), true);
    // Its base path mappings and access associations go by cascade.
    await em.getRepository(DomainNameEntity).delete({ id: row.id });
    await deleteTags(em, ctx.accountId, domainNameTagArn(ctx.region, row));
    await bumpConfigVersion(em);
  });
}

export const domainNameHandlers: Handlers = {
  CreateDomainName,
  GetDomainName,
  GetDomainNames,
  UpdateDomainName,
  DeleteDomainName,
  ...basePathMappingHandlers,
  ...accessAssociationHandlers,
};
