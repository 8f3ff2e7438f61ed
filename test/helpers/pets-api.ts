// A realistic API definition with one of each per-API kind (resources, a model, a request
// validator, a REQUEST authorizer, a method with its integration and responses, a gateway
// response), so that batteries driven by the service model have real ids to fill in.
import {
  CreateAuthorizerCommand,
  CreateModelCommand,
  CreateRequestValidatorCommand,
  CreateResourceCommand,
  PutGatewayResponseCommand,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
  type APIGatewayClient,
} from '@aws-sdk/client-api-gateway';

export const LAMBDA_URI = 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:auth/invocations';

/** Defines `/pets/{petId}` GET (CUSTOM authorizer, body validator, `Pet` model, MOCK) in the API; answers the ids. */
export async function definePetsApi(client: APIGatewayClient, restApiId: string, rootResourceId: string) {
  const pets = await client.send(new CreateResourceCommand({ restApiId, parentId: rootResourceId, pathPart: 'pets' }));
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
  return { parentId: pets.id!, resourceId: pet.id!, modelName: model.name!, validatorId: validator.id!, authorizerId: authorizer.id! };
}
