// One of every kind of resource the management API has, in one account: the fixture of the
// isolation and fuzzing batteries. Its ids are keyed by the names the operations' URIs and query
// strings give them (restapi_id, resource_id, api_Key, domainNameId, ...), so a battery driven by
// the service model can fill any operation's parameters with real ids.
import { randomBytes } from 'node:crypto';
import {
  CreateApiKeyCommand,
  CreateAuthorizerCommand,
  CreateBasePathMappingCommand,
  CreateDeploymentCommand,
  CreateDocumentationPartCommand,
  CreateDocumentationVersionCommand,
  CreateDomainNameAccessAssociationCommand,
  CreateDomainNameCommand,
  CreateModelCommand,
  CreateRequestValidatorCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  CreateUsagePlanCommand,
  CreateUsagePlanKeyCommand,
  CreateVpcLinkCommand,
  GenerateClientCertificateCommand,
  PutGatewayResponseCommand,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
  TagResourceCommand,
  type APIGatewayClient,
} from '@aws-sdk/client-api-gateway';

export const LAMBDA_URI = 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:auth/invocations';

export const certificateArn = (accountId: string) => `arn:aws:acm:us-east-1:${accountId}:certificate/12345678-1234-1234-1234-123456789012`;

/** Ids of the fixture by parameter name, and the secret values it holds (an API key's value). */
export type Everything = { ids: Record<string, string>; apiKeyValue: string };

export async function createEverything(client: APIGatewayClient, accountId: string): Promise<Everything> {
  const suffix = randomBytes(5).toString('hex');
  const api = await client.send(new CreateRestApiCommand({ name: `everything-${suffix}`, description: 'all kinds', tags: { owner: 'a' } }));
  const restApiId = api.id!;
  const pets = await client.send(new CreateResourceCommand({ restApiId, parentId: api.rootResourceId, pathPart: 'pets' }));
  const pet = await client.send(new CreateResourceCommand({ restApiId, parentId: pets.id, pathPart: '{petId}' }));
  const model = await client.send(new CreateModelCommand({ restApiId, name: 'Pet', contentType: 'application/json', schema: '{"type":"object","properties":{"name":{"type":"string"}}}' }));
  const validator = await client.send(new CreateRequestValidatorCommand({ restApiId, name: 'body', validateRequestBody: true }));
  const authorizer = await client.send(new CreateAuthorizerCommand({
    restApiId, name: 'auth', type: 'REQUEST', authorizerUri: LAMBDA_URI, identitySource: 'method.request.header.Auth', authorizerResultTtlInSeconds: 0,
  }));
  await client.send(new PutMethodCommand({
    restApiId, resourceId: pet.id, httpMethod: 'GET', authorizationType: 'CUSTOM', authorizerId: authorizer.id, requestValidatorId: validator.id,
    requestParameters: { 'method.request.path.petId': true }, requestModels: { 'application/json': model.name! },
  }));
  await client.send(new PutIntegrationCommand({ restApiId, resourceId: pet.id, httpMethod: 'GET', type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
  await client.send(new PutMethodResponseCommand({ restApiId, resourceId: pet.id, httpMethod: 'GET', statusCode: '200', responseParameters: { 'method.response.header.x-pet': false } }));
  await client.send(new PutIntegrationResponseCommand({
    restApiId, resourceId: pet.id, httpMethod: 'GET', statusCode: '200', selectionPattern: '', responseTemplates: { 'application/json': '{"id": "$input.params(\'petId\')"}' },
  }));
  await client.send(new PutGatewayResponseCommand({ restApiId, responseType: 'MISSING_AUTHENTICATION_TOKEN', statusCode: '404', responseTemplates: { 'application/json': '{"message":"no"}' } }));
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
      parent_id: pets.id!,
      resource_id: pet.id!,
      http_method: 'GET',
      status_code: '200',
      model_name: model.name!,
      requestvalidator_id: validator.id!,
      authorizer_id: authorizer.id!,
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
