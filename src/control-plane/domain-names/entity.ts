// DomainName, BasePathMapping and DomainNameAccessAssociation rows.
import { EntitySchema } from 'typeorm';
import type { DomainName } from '../protocol/shapes.js';

/** What a domain name keeps besides its identity; the synthesized names are fixed at creation. */
export type DomainNameData = Pick<
  DomainName,
  | 'certificateName'
  | 'certificateArn'
  | 'regionalCertificateName'
  | 'regionalCertificateArn'
  | 'endpointConfiguration'
  | 'securityPolicy'
  | 'endpointAccessMode'
  | 'mutualTlsAuthentication'
  | 'ownershipVerificationCertificateArn'
  | 'policy'
  | 'managementPolicy'
  | 'routingMode'
> & {
  /** epoch ms of the last certificate change */
  certificateUploadDate?: number;
  /** `d{id}.cloudfront.net`, kept once made so that it never changes under a DNS record */
  distributionDomainName?: string;
  /** epoch ms until which an endpoint type migration shows the name UPDATING (PORTICO_VPC_LINK_PROVISIONING_MS after it) */
  updatingUntil?: number;
};

export type DomainNameRow = {
  /** the domainNameId of a private name; `d-{id}` of the regional domain name */
  id: string;
  accountId: string;
  domainName: string;
  private: boolean;
  createdDate: Date;
  data: DomainNameData;
};

export const DomainNameEntity = new EntitySchema<DomainNameRow>({
  name: 'DomainName',
  tableName: 'domain_names',
  columns: {
    id: { type: 'varchar', primary: true },
    accountId: { type: 'char', name: 'account_id' },
    domainName: { type: 'text', name: 'domain_name' },
    private: { type: 'boolean' },
    createdDate: { type: 'timestamptz', name: 'created_date' },
    data: { type: 'jsonb' },
  },
});

export type BasePathMappingRow = {
  domainId: string;
  /** `''` for `(none)`; segments joined by `/` for a multi-level mapping */
  basePath: string;
  accountId: string;
  restApiId: string;
  stage: string | null;
};

export const BasePathMappingEntity = new EntitySchema<BasePathMappingRow>({
  name: 'BasePathMapping',
  tableName: 'base_path_mappings',
  columns: {
    domainId: { type: 'varchar', primary: true, name: 'domain_id' },
    basePath: { type: 'text', primary: true, name: 'base_path' },
    accountId: { type: 'char', name: 'account_id' },
    restApiId: { type: 'varchar', name: 'rest_api_id' },
    stage: { type: 'text', nullable: true },
  },
});

export type AccessAssociationRow = {
  arn: string;
  /** the account that created it (the VPC endpoint's) */
  accountId: string;
  domainId: string;
  /** the account that owns the domain name */
  domainAccountId: string;
  sourceType: string;
  source: string;
  createdDate: Date;
};

export const AccessAssociationEntity = new EntitySchema<AccessAssociationRow>({
  name: 'DomainNameAccessAssociation',
  tableName: 'domain_name_access_associations',
  columns: {
    arn: { type: 'text', primary: true },
    accountId: { type: 'char', name: 'account_id' },
    domainId: { type: 'varchar', name: 'domain_id' },
    domainAccountId: { type: 'char', name: 'domain_account_id' },
    sourceType: { type: 'varchar', name: 'source_type' },
    source: { type: 'text' },
    createdDate: { type: 'timestamptz', name: 'created_date' },
  },
});
