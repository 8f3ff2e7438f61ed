// One of every kind of resource the management API has, in one account: the fixture of the
// isolation and fuzzing batteries. Its ids are keyed by the names the operations' URIs and query
// strings give them (restapi_id, resource_id, api_Key, domainNameId, ...), so a battery driven by
// the service model can fill any operation's parameters with real ids.
import { randomBytes } from 'node:crypto';
import {
  CreateApiKeyCommand,
  CreateBasePathMappingCommand,
  CreateDeploymentCommand,
  CreateDocumentationPartCommand,
  CreateDocumentationVersionCommand,
  CreateDomainNameAccessAssociationCommand,
  CreateDomainNameCommand,
  CreateRestApiCommand,
  CreateUsagePlanCommand,
  CreateUsagePlanKeyCommand,
  CreateVpcLinkCommand,
  GenerateClientCertificateCommand,
  TagResourceCommand,
  type APIGatewayClient,
} from '@aws-sdk/client-api-gateway';
import { definePetsApi, LAMBDA_URI } from '../../helpers/pets-api.js';

export { LAMBDA_URI };

export const certificateArn = (accountId: string) => `arn:aws:acm:us-east-1:${accountId}:certificate/12345678-1234-1234-1234-123456789012`;

/** Ids of the fixture by parameter name, and the secret values it holds (an API key's value). */
export type Everything = { ids: Record<string, string>; apiKeyValue: string };

export async function createEverything(client: APIGatewayClient, accountId: string): Promise<Everything> {
  const suffix = randomBytes(5).toString('hex');
  const api = await client.send(new CreateRestApiCommand({ name: `everything-${suffix}`, description: 'all kinds', tags: { owner: 'a' } }));
  const restApiId = api.id!;
  const pets = await definePetsApi(client, restApiId, api.rootResourceId!);
  const part = await client.send(new CreateDocumentationPartCommand({ restApiId, location: { type: 'API' }, properties: '{"description":"pets"}' }));
  const deployment = await client.send(new CreateDeploymentCommand({ restApiId, stageName: 'prod', variables: { v: '1' } }));
  await client.send(new CreateDocumentationVersionCommand({ restApiId, documentationVersion: 'v1' }));
  const stageArn = `arn:aws:apigateway:us-east-1::/restapis/${restApiId}/stages/prod`;
  await client.send(new TagResourceCommand({ resourceArn: stageArn, tags: { team: 'pets' } }));

  const key = await client.send(new CreateApiKeyCommand({ name: `key-${suffix}`, enabled: true, value: `value-${suffix}-${randomBytes(12).toString('hex')}` }));
  const plan = await client.send(new CreateUsagePlanCommand({ name: `plan-${suffix}`, apiStages: [{ apiId: restApiId, stage: 'prod' }], throttle: { rateLimit: 10, burstLimit: 5 } }));
  await client.send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: key.id, keyType: 'API_KEY' }));
  const certificate = await client.send(new GenerateClientCertificateCommand({ description: 'backend' }));
  const vpcLink = await client.send(new CreateVpcLinkCommand({
    name: `link-${suffix}`, targetArns: [`arn:aws:elasticloadbalancing:us-east-1:${accountId}:loadbalancer/net/nlb/1234567890abcdef`],
  }));

  const domainName = `api-${suffix}.example.com`;
  await client.send(new CreateDomainNameCommand({ domainName, certificateArn: certificateArn(accountId) }));
  await client.send(new CreateBasePathMappingCommand({ domainName, restApiId, basePath: 'v1', stage: 'prod' }));
  const privateName = `private-${suffix}.example.com`;
  const privateDomain = await client.send(new CreateDomainNameCommand({
    domainName: privateName, certificateArn: certificateArn(accountId), endpointConfiguration: { types: ['PRIVATE'] }, securityPolicy: 'TLS_1_2',
    policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*' }] }),
  }));
  await client.send(new CreateBasePathMappingCommand({ domainName: privateName, domainNameId: privateDomain.domainNameId, restApiId, basePath: 'v1', stage: 'prod' }));
  const association = await client.send(new CreateDomainNameAccessAssociationCommand({
    domainNameArn: privateDomain.domainNameArn, accessAssociationSourceType: 'VPCE', accessAssociationSource: 'vpce-0123456789abcdef0',
  }));

  return {
    apiKeyValue: key.value!,
    ids: {
      restapi_id: restApiId,
      root_id: api.rootResourceId!,
      parent_id: pets.parentId,
      resource_id: pets.resourceId,
      http_method: 'GET',
      status_code: '200',
      model_name: pets.modelName,
      requestvalidator_id: pets.validatorId,
      authorizer_id: pets.authorizerId,
      deployment_id: deployment.id!,
      stage_name: 'prod',
      response_type: 'MISSING_AUTHENTICATION_TOKEN',
      part_id: part.id!,
      doc_version: 'v1',
      api_Key: key.id!,
      apiKeyName: key.name!,
      keyId: key.id!,
      usageplanId: plan.id!,
      clientcertificate_id: certificate.clientCertificateId!,
      vpclink_id: vpcLink.id!,
      domain_name: domainName,
      base_path: 'v1',
      private_domain_name: privateName,
      domainNameId: privateDomain.domainNameId!,
      domainNameArn: privateDomain.domainNameArn!,
      domain_name_access_association_arn: association.domainNameAccessAssociationArn!,
      domainNameAccessAssociationArn: association.domainNameAccessAssociationArn!,
      resource_arn: stageArn,
      export_type: 'swagger',
      sdk_type: 'javascript',
      sdktype_id: 'javascript',
    },
  };
}
