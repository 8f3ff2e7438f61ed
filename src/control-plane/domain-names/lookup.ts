// Finding an account's domain name (a private one also by its domainNameId), its ARN, and the
// DomainName shape API Gateway answers with, with the names it synthesizes for each endpoint type.
import type { EntityManager } from 'typeorm';
import { notFound } from '../protocol/errors.js';
import type { Context } from '../protocol/operation.js';
import type { DomainName } from '../protocol/shapes.js';
import { DomainNameEntity, type DomainNameRow } from './entity.js';

export const domainNameNotFound = () => notFound('Invalid domain name identifier specified');

/** CloudFront's hosted zone, the alias target of every edge-optimized name. */
export const DISTRIBUTION_HOSTED_ZONE_ID = 'Z2FDTNDATAQYW2';

/** The hosted zones of API Gateway's regional endpoints, by region. */
const REGIONAL_HOSTED_ZONE_IDS: Record<string, string> = {
  'us-east-1': 'Z1UJRXOUMOOFQ8',
  'us-east-2': 'ZOJJZC49E0EPZ',
  'us-west-1': 'Z2MUQ32089INYE',
  'us-west-2': 'Z2OJLYMUO9EFXC',
  'ca-central-1': 'Z19DQILCV0OWEC',
  'eu-west-1': 'ZLY8HYME6SFDD',
  'eu-west-2': 'ZJ5UAJN8Y3Z2Q',
  'eu-west-3': 'Z3KY65QIEKYHQQ',
  'eu-central-1': 'Z1U9ULNL0V5AJ3',
  'ap-northeast-1': 'Z1YSHQZHG15GKL',
  'ap-northeast-2': 'Z20JF4UZKIW1U8',
  'ap-southeast-1': 'ZL327KTPIQFUL',
  'ap-southeast-2': 'Z2RPCDW04V8134',
  'ap-south-1': 'Z3VO1THU9YC4UR',
  'sa-east-1': 'ZCMLWB8V5SYIT',
};

export const regionalHostedZoneId = (region: string) => REGIONAL_HOSTED_ZONE_IDS[region] ?? REGIONAL_HOSTED_ZONE_IDS['us-east-1']!;

export const endpointTypeOf = (row: Pick<DomainNameRow, 'data'>) => row.data.endpointConfiguration?.types?.[0] ?? 'EDGE';

/** A private name's ARN carries the account and the domainNameId; a public one's neither. */
export function domainNameArn(region: string, row: Pick<DomainNameRow, 'domainName' | 'private' | 'id' | 'accountId'>): string {
  return row.private
    ? `arn:aws:apigateway:${region}:${row.accountId}:/domainnames/${row.domainName}+${row.id}`
    : `arn:aws:apigateway:${region}::/domainnames/${row.domainName}`;
}

/** The ARN under which tags are kept (no account, as the tagging operations canonicalize it). */
export function domainNameTagArn(region: string, row: Pick<DomainNameRow, 'domainName' | 'private' | 'id'>): string {
  return `arn:aws:apigateway:${region}::/domainnames/${row.domainName}${row.private ? `+${row.id}` : ''}`;
}

/** A public name by name, or a private one by name and domainNameId. */
export async function findDomainName(em: EntityManager, ctx: Context, domainName: string, domainNameId?: string, lock = false): Promise<DomainNameRow> {
  const row = await em.getRepository(DomainNameEntity).findOne({
    where: domainNameId ? { domainName, id: domainNameId, private: true, accountId: ctx.accountId } : { domainName, private: false, accountId: ctx.accountId },
    ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
  });
  if (!row) throw domainNameNotFound();
  return row;
}

export function toDomainName(row: DomainNameRow, region: string, tags?: Record<string, string>): DomainName {
  const { data } = row;
  const type = endpointTypeOf(row);
  return {
    domainName: row.domainName,
    ...(row.private ? { domainNameId: row.id } : {}),
    domainNameArn: domainNameArn(region, row),
    ...(data.certificateName !== undefined ? { certificateName: data.certificateName } : {}),
    ...(data.certificateArn !== undefined ? { certificateArn: data.certificateArn } : {}),
    ...(data.certificateUploadDate !== undefined ? { certificateUploadDate: new Date(data.certificateUploadDate) } : {}),
    ...(type === 'REGIONAL'
      ? { regionalDomainName: `d-${row.id}.execute-api.${region}.amazonaws.com`, regionalHostedZoneId: regionalHostedZoneId(region) }
      : {}),
    ...(data.regionalCertificateName !== undefined ? { regionalCertificateName: data.regionalCertificateName } : {}),
    ...(data.regionalCertificateArn !== undefined ? { regionalCertificateArn: data.regionalCertificateArn } : {}),
    ...(type === 'EDGE' && data.distributionDomainName
      ? { distributionDomainName: data.distributionDomainName, distributionHostedZoneId: DISTRIBUTION_HOSTED_ZONE_ID }
      : {}),
    endpointConfiguration: { types: [type], ipAddressType: data.endpointConfiguration?.ipAddressType ?? (type === 'PRIVATE' ? 'dualstack' : 'ipv4') },
    domainNameStatus: data.updatingUntil !== undefined && Date.now() < data.updatingUntil ? 'UPDATING' : 'AVAILABLE',
    ...(data.securityPolicy !== undefined ? { securityPolicy: data.securityPolicy } : {}),
    ...(data.endpointAccessMode !== undefined ? { endpointAccessMode: data.endpointAccessMode } : {}),
    ...(data.mutualTlsAuthentication ? { mutualTlsAuthentication: data.mutualTlsAuthentication } : {}),
    ...(data.ownershipVerificationCertificateArn !== undefined ? { ownershipVerificationCertificateArn: data.ownershipVerificationCertificateArn } : {}),
    ...(data.policy !== undefined ? { policy: data.policy } : {}),
    ...(data.managementPolicy !== undefined ? { managementPolicy: data.managementPolicy } : {}),
    ...(data.routingMode !== undefined ? { routingMode: data.routingMode } : {}),
    ...(tags ? { tags } : {}),
  };
}
