// Every entity, for the data source. Each lives beside the handlers of its resource family.
import { AccountEntity, CredentialEntity } from '../control-plane/account/entity.js';
import { ApiKeyEntity } from '../control-plane/api-keys/entity.js';
import { ClientCertificateEntity } from '../control-plane/client-certificates/entity.js';
import { AccessAssociationEntity, BasePathMappingEntity, DomainNameEntity } from '../control-plane/domain-names/entity.js';
import { GatewayResponseEntity } from '../control-plane/gateway-responses/entity.js';
import { MethodEntity } from '../control-plane/methods/entity.js';
import { AuthorizerEntity } from '../control-plane/authorizers/entity.js';
import { DeploymentEntity } from '../control-plane/deployments/entity.js';
import { DocumentationPartEntity, DocumentationVersionEntity } from '../control-plane/documentation/entity.js';
import { ModelEntity } from '../control-plane/models/entity.js';
import { RequestValidatorEntity } from '../control-plane/request-validators/entity.js';
import { ResourceEntity } from '../control-plane/resources/entity.js';
import { RestApiEntity } from '../control-plane/rest-apis/entity.js';
import { StageEntity } from '../control-plane/stages/entity.js';
import { TagsEntity } from '../control-plane/tags/entity.js';
import { QuotaAdjustmentEntity, UsageEntity, UsagePlanEntity, UsagePlanKeyEntity } from '../control-plane/usage-plans/entity.js';
import { VpcLinkEntity } from '../control-plane/vpc-links/entity.js';

export const entities = [
  RestApiEntity,
  ResourceEntity,
  MethodEntity,
  ModelEntity,
  RequestValidatorEntity,
  AuthorizerEntity,
  GatewayResponseEntity,
  DeploymentEntity,
  StageEntity,
  TagsEntity,
  AccountEntity,
  CredentialEntity,
  ApiKeyEntity,
  UsagePlanEntity,
  UsagePlanKeyEntity,
  UsageEntity,
  QuotaAdjustmentEntity,
  DomainNameEntity,
  BasePathMappingEntity,
  AccessAssociationEntity,
  ClientCertificateEntity,
  VpcLinkEntity,
  DocumentationPartEntity,
  DocumentationVersionEntity,
];
