// Method and MethodResponse: put with AWS's defaults and reference checks, patch paths, deletes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateAuthorizerCommand,
  CreateModelCommand,
  CreateRequestValidatorCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  DeleteMethodCommand,
  DeleteMethodResponseCommand,
  DeleteModelCommand,
  GetMethodCommand,
  GetMethodResponseCommand,
  GetResourcesCommand,
  PutIntegrationCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
  UpdateMethodCommand,
  UpdateMethodResponseCommand,
  type APIGatewayClient,
  type PutMethodCommandInput,
} from '@aws-sdk/client-api-gateway';
import { expectError, newClient } from '../helpers/client.js';

const AUTHORIZER_URI = 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:myApiAuthorizer/invocations';
const INVALID_AUTHORIZER = 'Invalid authorizer ID specified. Setting the authorization type to CUSTOM or COGNITO_USER_POOLS requires a valid authorizer.';
const mappingError = (name: string) =>
  `Invalid mapping expression specified: Validation Result: warnings : [], errors : [Invalid mapping expression specified: ${name}]`;
const wrongOp = (index: number) =>
  `Value 'wrong_op' at 'updateMethodResponseInput.patchOperations.${index}.member.op' failed to satisfy constraint: Member must satisfy enum value set: [add, remove, move, test, replace, copy]`;

type Patch = { op: string; path: string; value?: string };

async function newApi() {
  const client = newClient();
  const api = await client.send(new CreateRestApiCommand({ name: 'methods' }));
  return { client, restApiId: api.id!, resourceId: api.rootResourceId! };
}

const strip = <T extends { $metadata?: unknown }>(o: T) => {
  const { $metadata: _, ...rest } = o;
  return rest;
};

function methodCalls(client: APIGatewayClient, restApiId: string, resourceId: string, httpMethod = 'ANY') {
  return {
    put: (extra: Partial<PutMethodCommandInput> = {}) =>
      client.send(new PutMethodCommand({ restApiId, resourceId, httpMethod, authorizationType: 'NONE', ...extra })),
    get: () => client.send(new GetMethodCommand({ restApiId, resourceId, httpMethod })),
    update: (patchOperations: Patch[]) => client.send(new UpdateMethodCommand({ restApiId, resourceId, httpMethod, patchOperations: patchOperations as never })),
  };
}

async function newAuthorizer(client: APIGatewayClient, restApiId: string, type: 'TOKEN' | 'COGNITO_USER_POOLS' = 'TOKEN') {
  const authorizer = await client.send(new CreateAuthorizerCommand({
    restApiId, name: `auth-${type}`, type, identitySource: 'method.request.header.Authorization',
    ...(type === 'TOKEN' ? { authorizerUri: AUTHORIZER_URI } : { providerARNs: ['arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_abc'] }),
  }));
  return authorizer.id!;
}

describe('Method', () => {
  it('is put with defaults, read back, embedded in GetResources and deleted (204)', async () => {
    const { client, restApiId, resourceId } = await newApi();
    const { put, get } = methodCalls(client, restApiId, resourceId);
    const created = await put();
    assert.equal(created.$metadata.httpStatusCode, 201);
    assert.deepEqual(strip(created), { apiKeyRequired: false, authorizationType: 'NONE', httpMethod: 'ANY' });
    assert.deepEqual(strip(await get()), strip(created));
    const plain = await client.send(new GetResourcesCommand({ restApiId }));
    assert.deepEqual(plain.items?.[0]?.resourceMethods, { ANY: {} });
    const embedded = await client.send(new GetResourcesCommand({ restApiId, embed: ['methods'] }));
    assert.deepEqual(embedded.items?.[0]?.resourceMethods?.ANY, strip(created));
    const deleted = await client.send(new DeleteMethodCommand({ restApiId, resourceId, httpMethod: 'ANY' }));
    assert.equal(deleted.$metadata.httpStatusCode, 204);
    await expectError(get(), 'NotFoundException', 404, 'Invalid Method identifier specified');
    await expectError(client.send(new DeleteMethodCommand({ restApiId, resourceId, httpMethod: 'ANY' })), 'NotFoundException', 404, 'Invalid Method identifier specified');
  });

  it('is put once: a second put of the same method is a conflict', async () => {
    const { client, restApiId, resourceId } = await newApi();
    const { put, get } = methodCalls(client, restApiId, resourceId, 'GET');
    await put({ apiKeyRequired: true });
    await expectError(put(), 'ConflictException', 409, 'Method already exists for this resource');
    assert.equal((await get()).apiKeyRequired, true);
  });

  it('keeps every member given, and drops an authorizer the authorization type does not use', async () => {
    const { client, restApiId, resourceId } = await newApi();
    const validator = await client.send(new CreateRequestValidatorCommand({ restApiId, name: 'body', validateRequestBody: true }));
    const tokenAuthorizer = await newAuthorizer(client, restApiId);
    const cognitoAuthorizer = await newAuthorizer(client, restApiId, 'COGNITO_USER_POOLS');
    const full = await methodCalls(client, restApiId, resourceId, 'POST').put({
      authorizationType: 'COGNITO_USER_POOLS', authorizerId: cognitoAuthorizer, authorizationScopes: ['email', 'openid'],
      apiKeyRequired: true, operationName: 'CreatePet', requestValidatorId: validator.id,
      requestParameters: { 'method.request.path.id': true }, requestModels: { 'application/json': 'Empty' },
    });
    assert.deepEqual(strip(full), {
      apiKeyRequired: true, authorizationScopes: ['email', 'openid'], authorizationType: 'COGNITO_USER_POOLS', authorizerId: cognitoAuthorizer,
      httpMethod: 'POST', operationName: 'CreatePet', requestModels: { 'application/json': 'Empty' },
      requestParameters: { 'method.request.path.id': true }, requestValidatorId: validator.id,
    });
    const custom = await methodCalls(client, restApiId, resourceId, 'GET').put({ authorizationType: 'CUSTOM', authorizerId: tokenAuthorizer });
    assert.equal(custom.authorizerId, tokenAuthorizer);
    const open = await methodCalls(client, restApiId, resourceId, 'PUT').put({ authorizerId: tokenAuthorizer, requestParameters: {}, requestModels: {} });
    assert.deepEqual(strip(open), { apiKeyRequired: false, authorizationType: 'NONE', httpMethod: 'PUT', requestModels: {}, requestParameters: {} });
  });

  it('keeps request parameters and refuses bad or repeated names', async () => {
    const { client, restApiId, resourceId } = await newApi();
    const requestParameters = {
      'method.request.querystring.q_optional': false, 'method.request.querystring.q_required': true,
      'method.request.header.h_optional': false, 'method.request.header.h_required': true,
    };
    const put = await methodCalls(client, restApiId, resourceId).put({ requestParameters });
    assert.deepEqual(put.requestParameters, requestParameters);
    assert.deepEqual((await methodCalls(client, restApiId, resourceId).get()).requestParameters, requestParameters);
    const { put: putGet } = methodCalls(client, restApiId, resourceId, 'GET');
    await expectError(
      putGet({ requestParameters: { 'method.request.querystring.optional': false, 'method.request.header.optional': false } }),
      'BadRequestException', 400, 'Parameter names must be unique across querystring, header and path',
    );
    await expectError(putGet({ requestParameters: { 'method.request.path.testPath': true, true: true } }), 'BadRequestException', 400, mappingError('true'));
    await expectError(putGet({ requestParameters: { 'method.request.body.x': true } }), 'BadRequestException', 400, mappingError('method.request.body.x'));
  });

  it('checks the API, resource, method name and references as AWS does', async () => {
    const { client, restApiId, resourceId } = await newApi();
    const { put } = methodCalls(client, restApiId, resourceId);
    await expectError(methodCalls(client, 'fake-api', resourceId, 'WRONG').put(), 'NotFoundException', 404, 'Invalid Resource identifier specified');
    await expectError(methodCalls(client, restApiId, 'fake-resource-id', 'WRONG').put(), 'NotFoundException', 404, 'Invalid Resource identifier specified');
    await expectError(methodCalls(client, restApiId, resourceId, 'WRONG').put(), 'BadRequestException', 400, 'Invalid HttpMethod specified. Valid options are GET,PUT,POST,DELETE,PATCH,OPTIONS,HEAD,ANY');
    await expectError(methodCalls(client, restApiId, resourceId, 'get').put(), 'BadRequestException', 400, 'Invalid HttpMethod specified. Valid options are GET,PUT,POST,DELETE,PATCH,OPTIONS,HEAD,ANY');
    await expectError(put({ authorizationType: 'CUSTOM' }), 'BadRequestException', 400, INVALID_AUTHORIZER);
    await expectError(put({ authorizationType: 'CUSTOM', authorizerId: 'abc123' }), 'BadRequestException', 400, INVALID_AUTHORIZER);
    const tokenAuthorizer = await newAuthorizer(client, restApiId);
    await expectError(put({ authorizationType: 'COGNITO_USER_POOLS', authorizerId: tokenAuthorizer }), 'BadRequestException', 400, INVALID_AUTHORIZER);
    await expectError(put({ requestValidatorId: 'fake-validator' }), 'BadRequestException', 400, 'Invalid Request Validator identifier specified');
    await expectError(put({ requestModels: { 'application/json': 'petModel' } }), 'BadRequestException', 400, 'Invalid model identifier specified: petModel');
    await expectError(methodCalls(client, restApiId, resourceId).get(), 'NotFoundException', 404, 'Invalid Method identifier specified');
    await expectError(methodCalls(client, restApiId, 'fake-resource-id').get(), 'NotFoundException', 404, 'Invalid Resource identifier specified');
  });

  it('updates through patch paths as recorded', async () => {
    const { client, restApiId, resourceId } = await newApi();
    const { put, update } = methodCalls(client, restApiId, resourceId);
    await put();
    assert.deepEqual(strip(await update([
      { op: 'add', path: '/requestParameters/method.request.querystring.optional', value: 'true' },
      { op: 'add', path: '/requestModels/application~1json', value: 'Empty' },
    ])), {
      apiKeyRequired: false, authorizationType: 'NONE', httpMethod: 'ANY',
      requestModels: { 'application/json': 'Empty' }, requestParameters: { 'method.request.querystring.optional': true },
    });
    assert.deepEqual(strip(await update([
      { op: 'replace', path: '/operationName', value: 'ReplacedOperationName' },
      { op: 'replace', path: '/apiKeyRequired', value: 'true' },
      { op: 'replace', path: '/authorizationType', value: 'AWS_IAM' },
      { op: 'replace', path: '/requestParameters/method.request.querystring.optional', value: 'false' },
    ])), {
      apiKeyRequired: true, authorizationType: 'AWS_IAM', httpMethod: 'ANY', operationName: 'ReplacedOperationName',
      requestModels: { 'application/json': 'Empty' }, requestParameters: { 'method.request.querystring.optional': false },
    });
    const authorizerId = await newAuthorizer(client, restApiId);
    const withAuthorizer = await update([{ op: 'replace', path: '/authorizerId', value: authorizerId }, { op: 'replace', path: '/authorizationType', value: 'CUSTOM' }]);
    assert.equal(withAuthorizer.authorizationType, 'CUSTOM');
    assert.equal(withAuthorizer.authorizerId, authorizerId);
    assert.deepEqual(strip(await update([
      { op: 'remove', path: '/requestParameters/method.request.querystring.optional', value: 'true' },
      { op: 'remove', path: '/requestModels/application~1json', value: 'Empty' },
    ])), { apiKeyRequired: true, authorizationType: 'CUSTOM', authorizerId, httpMethod: 'ANY', operationName: 'ReplacedOperationName' });
    const open = await update([{ op: 'replace', path: '/authorizationType', value: 'NONE' }]);
    assert.equal(open.authorizerId, undefined);
  });

  it('updates the validator, operation name and scopes, and removes them with empty values', async () => {
    const { client, restApiId, resourceId } = await newApi();
    const { put, update } = methodCalls(client, restApiId, resourceId);
    const validator = await client.send(new CreateRequestValidatorCommand({ restApiId, name: 'params', validateRequestParameters: true }));
    await put({ operationName: 'Op' });
    let method = await update([
      { op: 'replace', path: '/requestValidatorId', value: validator.id },
      { op: 'add', path: '/authorizationScopes', value: 'email' },
      { op: 'add', path: '/authorizationScopes', value: 'openid' },
    ]);
    assert.equal(method.requestValidatorId, validator.id);
    assert.deepEqual(method.authorizationScopes, ['email', 'openid']);
    method = await update([
      { op: 'replace', path: '/requestValidatorId', value: '' },
      { op: 'replace', path: '/operationName' },
      { op: 'remove', path: '/authorizationScopes', value: 'email' },
    ]);
    assert.deepEqual(strip(method), { apiKeyRequired: false, authorizationScopes: ['openid'], authorizationType: 'NONE', httpMethod: 'ANY' });
    method = await update([{ op: 'remove', path: '/authorizationScopes', value: 'openid' }]);
    assert.equal(method.authorizationScopes, undefined);
  });

  it('answers bad updates with the recorded errors', async () => {
    const { client, restApiId, resourceId } = await newApi();
    await expectError(methodCalls(client, 'fake-api', resourceId).update([]), 'NotFoundException', 404, 'Invalid Resource identifier specified');
    await expectError(methodCalls(client, restApiId, 'fake-resource-id').update([]), 'NotFoundException', 404, 'Invalid Resource identifier specified');
    await expectError(
      methodCalls(client, restApiId, resourceId, 'GET').update([{ op: 'replace', path: '/operationName', value: 'methodDoesNotExist' }]),
      'NotFoundException', 404, 'Invalid Method identifier specified',
    );
    const { put, update } = methodCalls(client, restApiId, resourceId);
    assert.deepEqual(strip(await put({ apiKeyRequired: true })), { apiKeyRequired: true, authorizationType: 'NONE', httpMethod: 'ANY' });
    const bad = (patch: Patch[], message: string) => expectError(update(patch), 'BadRequestException', 400, message);
    await bad([{ op: 'add', path: '/operationName', value: 'operationName' }], 'Invalid patch operation specified. Must be one of: [replace]');
    await bad([{ op: 'add', path: '/requestValidatorId', value: 'wrong-id' }], 'Invalid patch operation specified. Must be one of: [replace]');
    await bad([{ op: 'add', path: '/httpMethod', value: 'PUT' }], 'Invalid patch path /httpMethod');
    await bad([{ op: 'replace', path: '/requestParameters', value: 'method.request.querystring.optional=false' }], 'Invalid patch path /requestParameters');
    await bad([{ op: 'add', path: '/requestModels/application/json', value: 'Empty' }], 'Invalid patch path /requestModels/application/json');
    assert.deepEqual(strip(await update([{ op: 'replace', path: '/apiKeyRequired', value: 'whatever' }])), { apiKeyRequired: false, authorizationType: 'NONE', httpMethod: 'ANY' });
    await bad([{ op: 'replace', path: '/authorizationType', value: 'CUSTOM' }], INVALID_AUTHORIZER);
    assert.deepEqual(strip(await update([{ op: 'replace', path: '/authorizerId', value: 'abc123' }])), { apiKeyRequired: false, authorizationType: 'NONE', httpMethod: 'ANY' });
    await bad([{ op: 'replace', path: '/authorizationType', value: 'CUSTOM' }, { op: 'replace', path: '/authorizerId', value: 'abc123' }], INVALID_AUTHORIZER);
    await bad([{ op: 'replace', path: '/requestValidatorId', value: 'fake-id' }], 'Invalid Request Validator identifier specified');
    await bad([{ op: 'add', path: '/requestModels/application~1json', value: 'Nope' }], 'Invalid model identifier specified: Nope');
    await bad([{ op: 'add', path: '/requestParameters/method.request.cookie.c', value: 'true' }], mappingError('method.request.cookie.c'));
    await bad(
      [{ op: 'add', path: '/requestParameters/method.request.path.p', value: 'true' }, { op: 'add', path: '/requestParameters/method.request.header.p', value: 'true' }],
      'Parameter names must be unique across querystring, header and path',
    );
    await expectError(update([{ op: 'remove', path: '/requestParameters/method.request.header.none' }]), 'NotFoundException', 404, 'Invalid parameter name specified');
    await expectError(update([{ op: 'replace', path: '/requestModels/text~1plain', value: 'Empty' }]), 'NotFoundException', 404, 'Content-Type specified was not found');
    // A failed update changes nothing.
    assert.deepEqual(strip(await methodCalls(client, restApiId, resourceId).get()), { apiKeyRequired: false, authorizationType: 'NONE', httpMethod: 'ANY' });
  });

  it('holds models in use, and lets them go with the method that used them', async () => {
    const { client, restApiId, resourceId } = await newApi();
    await client.send(new CreateModelCommand({ restApiId, name: 'MySchema', contentType: 'application/json', schema: JSON.stringify({ title: 'MySchema', type: 'object' }) }));
    await client.send(new CreateModelCommand({ restApiId, name: 'MySchemaTwo', contentType: 'application/json', schema: JSON.stringify({ title: 'MySchemaTwo', type: 'object' }) }));
    const { put, update } = methodCalls(client, restApiId, resourceId);
    assert.deepEqual((await put({ requestModels: { 'application/json': 'MySchema' } })).requestModels, { 'application/json': 'MySchema' });
    await expectError(client.send(new DeleteModelCommand({ restApiId, modelName: 'MySchema' })), 'ConflictException', 409, "Cannot delete model 'MySchema', is referenced in method request: //ANY");
    assert.deepEqual((await update([{ op: 'replace', path: '/requestModels/application~1json', value: 'MySchemaTwo' }])).requestModels, { 'application/json': 'MySchemaTwo' });
    await client.send(new DeleteModelCommand({ restApiId, modelName: 'MySchema' }));
    const child = await client.send(new CreateResourceCommand({ restApiId, parentId: resourceId, pathPart: 'test' }));
    const childCalls = methodCalls(client, restApiId, child.id!);
    await childCalls.put({ requestModels: { 'application/json': 'MySchemaTwo' } });
    await expectError(client.send(new DeleteModelCommand({ restApiId, modelName: 'MySchemaTwo' })), 'ConflictException', 409, "Cannot delete model 'MySchemaTwo', is referenced in method request: /test/ANY");
    assert.deepEqual(strip(await childCalls.update([{ op: 'remove', path: '/requestModels/application~1json', value: 'MySchemaTwo' }])), { apiKeyRequired: false, authorizationType: 'NONE', httpMethod: 'ANY' });
    await expectError(client.send(new DeleteModelCommand({ restApiId, modelName: 'MySchemaTwo' })), 'ConflictException', 409, "Cannot delete model 'MySchemaTwo', is referenced in method request: //ANY");
    await client.send(new DeleteMethodCommand({ restApiId, resourceId, httpMethod: 'ANY' }));
    await client.send(new DeleteModelCommand({ restApiId, modelName: 'MySchemaTwo' }));
  });
});

async function methodWithResponse(responseParameters?: Record<string, boolean>, responseModels?: Record<string, string>) {
  const { client, restApiId, resourceId } = await newApi();
  await client.send(new PutMethodCommand({ restApiId, resourceId, httpMethod: 'GET', authorizationType: 'NONE' }));
  await client.send(new PutIntegrationCommand({ restApiId, resourceId, httpMethod: 'GET', type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
  const key = { restApiId, resourceId, httpMethod: 'GET', statusCode: '200' };
  const put = await client.send(new PutMethodResponseCommand({ ...key, responseParameters, responseModels }));
  const update = (patchOperations: Patch[], target: Partial<typeof key> = {}) =>
    client.send(new UpdateMethodResponseCommand({ ...key, ...target, patchOperations: patchOperations as never }));
  return { client, key, put, update };
}

describe('MethodResponse', () => {
  it('is put, read, updated, embedded in its method and deleted, as recorded', async () => {
    const { client, key, put, update } = await methodWithResponse({}, {});
    assert.equal(put.$metadata.httpStatusCode, 201);
    assert.deepEqual(strip(put), { responseModels: {}, responseParameters: {}, statusCode: '200' });
    assert.deepEqual(strip(await client.send(new GetMethodResponseCommand(key))), strip(put));
    const filled = { responseModels: { 'application/json': 'Empty' }, responseParameters: { 'method.response.header.my-header': true }, statusCode: '200' };
    assert.deepEqual(strip(await update([
      { op: 'add', path: '/responseParameters/method.response.header.my-header', value: 'true' },
      { op: 'add', path: '/responseModels/application~1json', value: 'Empty' },
    ])), filled);
    const replaced = await update([
      { op: 'replace', path: '/responseParameters/method.response.header.my-header', value: 'true' },
      { op: 'replace', path: '/responseModels/application~1json', value: 'Empty' },
    ]);
    assert.equal(replaced.$metadata.httpStatusCode, 201);
    assert.deepEqual(strip(replaced), filled);
    const method = await client.send(new GetMethodCommand(key));
    assert.deepEqual(method.methodResponses, { '200': filled });
    assert.equal(method.methodIntegration?.type, 'MOCK');
    const deleted = await client.send(new DeleteMethodResponseCommand(key));
    assert.equal(deleted.$metadata.httpStatusCode, 204);
    await expectError(client.send(new GetMethodResponseCommand(key)), 'NotFoundException', 404, 'Invalid Response status code specified');
    await expectError(client.send(new DeleteMethodResponseCommand(key)), 'NotFoundException', 404, 'Invalid Response status code specified');
    const after = await client.send(new GetMethodCommand(key));
    assert.equal(after.methodResponses, undefined);
    assert.equal(after.methodIntegration?.type, 'MOCK');
  });

  it('leaves out maps not given, and drops maps emptied by patches', async () => {
    const bare = await methodWithResponse();
    assert.deepEqual(strip(bare.put), { statusCode: '200' });
    const { put, update } = await methodWithResponse({ 'method.response.header.my-header': false }, { 'application/json': 'Empty' });
    assert.deepEqual(strip(put), { responseModels: { 'application/json': 'Empty' }, responseParameters: { 'method.response.header.my-header': false }, statusCode: '200' });
    assert.deepEqual(strip(await update([
      { op: 'remove', path: '/responseParameters/method.response.header.my-header', value: 'true' },
      { op: 'remove', path: '/responseModels/application~1json', value: 'Empty' },
    ])), { statusCode: '200' });
    assert.deepEqual(strip(await update([
      { op: 'add', path: '/responseParameters/method.response.header.my-header', value: 'true' },
      { op: 'add', path: '/responseModels/application~1json', value: 'Empty' },
    ])), { responseModels: { 'application/json': 'Empty' }, responseParameters: { 'method.response.header.my-header': true }, statusCode: '200' });
  });

  it('is put once per status code, on a method that exists, with valid names and models', async () => {
    const { client, key } = await methodWithResponse();
    await expectError(client.send(new PutMethodResponseCommand(key)), 'ConflictException', 409, 'Response already exists for this resource');
    const other = { ...key, statusCode: '400' };
    await expectError(client.send(new PutMethodResponseCommand({ ...other, responseModels: { 'application/json': 'Nope' } })), 'BadRequestException', 400, 'Invalid model identifier specified: Nope');
    await expectError(client.send(new PutMethodResponseCommand({ ...other, responseParameters: { 'method.request.header.x': true } })), 'BadRequestException', 400, mappingError('method.request.header.x'));
    await expectError(client.send(new PutMethodResponseCommand({ ...other, httpMethod: 'POST' })), 'NotFoundException', 404, 'Invalid Method identifier specified');
    await expectError(client.send(new PutMethodResponseCommand({ ...other, resourceId: 'nope' })), 'NotFoundException', 404, 'Invalid Resource identifier specified');
    await expectError(client.send(new PutMethodResponseCommand({ ...other, statusCode: '600' })), 'ValidationException', 400, "1 validation error detected: Value '600' at 'statusCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [1-5]\\d\\d");
    await expectError(client.send(new GetMethodResponseCommand(other)), 'NotFoundException', 404, 'Invalid Response status code specified');
    await expectError(client.send(new DeleteMethodResponseCommand({ ...other, httpMethod: 'POST' })), 'NotFoundException', 404, 'Invalid Method identifier specified');
  });

  it('answers missing entries and wrong paths with the recorded errors', async () => {
    const empty = await methodWithResponse({}, {});
    await expectError(empty.update([{ op: 'remove', path: '/responseParameters/method.response.header.my-header', value: 'true' }]), 'NotFoundException', 404, 'Invalid parameter name specified');
    await expectError(empty.update([{ op: 'remove', path: '/responseModels/application~1json', value: 'Empty' }]), 'NotFoundException', 404, 'Content-Type specified was not found');
    await expectError(empty.update([{ op: 'remove', path: '/wrong/method.response.header.my-header', value: 'true' }]), 'BadRequestException', 400, 'Invalid patch path /wrong/method.response.header.my-header');
    await expectError(empty.update([{ op: 'replace', path: '/statusCode', value: '201' }]), 'BadRequestException', 400, 'Invalid patch path /statusCode');
    await expectError(empty.update([{ op: 'move', path: '/responseModels/application~1json', value: 'Empty' }]), 'BadRequestException', 400, 'Invalid patch operation specified. Must be one of: [add, replace, remove]');
    await expectError(empty.update([{ op: 'add', path: '/responseParameters/wrong', value: 'true' }]), 'BadRequestException', 400, mappingError('wrong'));
    await expectError(empty.update([{ op: 'add', path: '/responseModels/application~1json', value: 'Nope' }]), 'BadRequestException', 400, 'Invalid model identifier specified: Nope');

    const { update } = await methodWithResponse({ 'method.response.header.my-header': false }, { 'application/json': 'Empty' });
    await expectError(update([{ op: 'replace', path: '/responseParameters/wrong', value: 'true' }]), 'NotFoundException', 404, 'Invalid parameter name specified');
    await expectError(update([{ op: 'remove', path: '/responseParameters/wrong', value: 'true' }]), 'NotFoundException', 404, 'Invalid parameter name specified');
    await expectError(update([{ op: 'replace', path: '/responseModels/wrong', value: 'Empty' }]), 'NotFoundException', 404, 'Content-Type specified was not found');
    await expectError(update([{ op: 'remove', path: '/responseModels/wrong', value: 'Empty' }]), 'NotFoundException', 404, 'Content-Type specified was not found');
  });

  it('validates status codes, targets and operations as recorded', async () => {
    const { update } = await methodWithResponse({ 'method.response.header.my-header': false }, { 'application/json': 'Empty' });
    const header = '/responseParameters/method.response.header.my-header';
    const models = '/responseModels/application~1json';
    await expectError(update([{ op: 'replace', path: header, value: 'true' }], { statusCode: '201' }), 'NotFoundException', 404, 'Invalid Response status code specified');
    await expectError(update([{ op: 'replace', path: header, value: 'true' }], { statusCode: 'wrong' }), 'ValidationException', 400,
      "1 validation error detected: Value 'wrong' at 'statusCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [1-5]\\d\\d");
    await expectError(update([{ op: 'wrong_op', path: header, value: 'true' }], { statusCode: 'wrong' }), 'ValidationException', 400,
      `2 validation errors detected: ${wrongOp(1)}; Value 'wrong' at 'statusCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [1-5]\\d\\d`);
    await expectError(update([{ op: 'replace', path: header, value: 'true' }], { resourceId: 'wrong' }), 'NotFoundException', 404, 'Invalid Resource identifier specified');
    await expectError(update([{ op: 'replace', path: header, value: 'true' }], { httpMethod: 'POST' }), 'NotFoundException', 404, 'Invalid Method identifier specified');
    await expectError(update([{ op: 'wrong_op', path: header, value: 'true' }]), 'ValidationException', 400, `1 validation error detected: ${wrongOp(1)}`);
    await expectError(update([{ op: 'wrong_op', path: models, value: 'Empty' }]), 'ValidationException', 400, `1 validation error detected: ${wrongOp(1)}`);
    await expectError(update([{ op: 'wrong_op', path: header, value: 'true' }, { op: 'wrong_op', path: models, value: 'Empty' }]), 'ValidationException', 400,
      `2 validation errors detected: ${wrongOp(1)}; ${wrongOp(2)}`);
    await expectError(update([1, 2, 3, 4].map((i) => ({ op: 'wrong_op', path: i % 2 ? header : models, value: 'x' }))), 'ValidationException', 400,
      `4 validation errors detected: ${wrongOp(1)}; ${wrongOp(2)}; ${wrongOp(3)}; ${wrongOp(4)}`);
    await expectError(update([{ op: 'wrong_op', path: header, value: 'true' }, { op: 'remove', path: models, value: 'Empty' }, { op: 'wrong_op', path: models, value: 'Empty' }]),
      'ValidationException', 400, `2 validation errors detected: ${wrongOp(1)}; ${wrongOp(3)}`);
  });

  it('go with their method when it is deleted', async () => {
    const { client, key } = await methodWithResponse({}, {});
    await client.send(new DeleteMethodCommand(key));
    await expectError(client.send(new GetMethodResponseCommand(key)), 'NotFoundException', 404, 'Invalid Method identifier specified');
    await client.send(new PutMethodCommand({ ...key, authorizationType: 'NONE' }));
    await expectError(client.send(new GetMethodResponseCommand(key)), 'NotFoundException', 404, 'Invalid Response status code specified');
  });
});
