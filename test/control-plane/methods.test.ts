// Method and MethodResponse: put with AWS's defaults and reference checks, patch paths, deletes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateAuthorizerCommand,
  CreateRestApiCommand,
  DeleteMethodCommand,
  DeleteMethodResponseCommand,
  GetMethodCommand,
  GetMethodResponseCommand,
  GetResourcesCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
  UpdateMethodCommand,
  UpdateMethodResponseCommand,
} from '@aws-sdk/client-api-gateway';
import { expectError, newClient } from '../helpers/client.js';

async function newApi() {
  const client = newClient();
  const api = await client.send(new CreateRestApiCommand({ name: 'methods' }));
  return { client, restApiId: api.id!, resourceId: api.rootResourceId! };
}

const strip = <T extends { $metadata?: unknown }>(o: T) => {
  const { $metadata: _, ...rest } = o;
  return rest;
};

describe('Method', () => {
  it('is put with defaults, read back, and embedded in GetResources', async () => {
    const { client, restApiId, resourceId } = await newApi();
    const put = await client.send(new PutMethodCommand({ restApiId, resourceId, httpMethod: 'ANY', authorizationType: 'NONE' }));
    assert.deepEqual(strip(put), { apiKeyRequired: false, authorizationType: 'NONE', httpMethod: 'ANY' });
    assert.deepEqual(strip(await client.send(new GetMethodCommand({ restApiId, resourceId, httpMethod: 'ANY' }))), strip(put));
    const plain = await client.send(new GetResourcesCommand({ restApiId }));
    assert.deepEqual(plain.items?.[0]?.resourceMethods, { ANY: {} });
    const embedded = await client.send(new GetResourcesCommand({ restApiId, embed: ['methods'] }));
    assert.deepEqual(embedded.items?.[0]?.resourceMethods?.ANY, strip(put));
    await client.send(new DeleteMethodCommand({ restApiId, resourceId, httpMethod: 'ANY' }));
    await expectError(client.send(new GetMethodCommand({ restApiId, resourceId, httpMethod: 'ANY' })), 'NotFoundException', 404, 'Invalid Method identifier specified');
    await expectError(client.send(new DeleteMethodCommand({ restApiId, resourceId, httpMethod: 'ANY' })), 'NotFoundException', 404, 'Invalid Method identifier specified');
  });

  it('keeps request parameters and refuses names used twice', async () => {
    const { client, restApiId, resourceId } = await newApi();
    const requestParameters = { 'method.request.header.h_optional': false, 'method.request.header.h_required': true, 'method.request.querystring.q_required': true };
    const put = await client.send(new PutMethodCommand({ restApiId, resourceId, httpMethod: 'ANY', authorizationType: 'NONE', requestParameters }));
    assert.deepEqual(put.requestParameters, requestParameters);
    await expectError(
      client.send(new PutMethodCommand({ restApiId, resourceId, httpMethod: 'GET', authorizationType: 'NONE', requestParameters: { 'method.request.querystring.x': true, 'method.request.header.x': true } })),
      'BadRequestException', 400, 'Parameter names must be unique across querystring, header and path',
    );
  });

  it('checks the API, resource, method name and references as AWS does', async () => {
    const { client, restApiId, resourceId } = await newApi();
    const put = (extra: object) => client.send(new PutMethodCommand({ restApiId, resourceId, httpMethod: 'ANY', authorizationType: 'NONE', ...extra }));
    await expectError(client.send(new PutMethodCommand({ restApiId: 'fake', resourceId, httpMethod: 'ANY', authorizationType: 'NONE' })), 'NotFoundException', 404, 'Invalid Resource identifier specified');
    await expectError(client.send(new PutMethodCommand({ restApiId, resourceId: 'fake', httpMethod: 'ANY', authorizationType: 'NONE' })), 'NotFoundException', 404, 'Invalid Resource identifier specified');
    await expectError(client.send(new PutMethodCommand({ restApiId, resourceId, httpMethod: 'WRONG', authorizationType: 'NONE' })), 'BadRequestException', 400, 'Invalid HttpMethod specified. Valid options are GET,PUT,POST,DELETE,PATCH,OPTIONS,HEAD,ANY');
    await expectError(put({ authorizationType: 'CUSTOM' }), 'BadRequestException', 400, 'Invalid authorizer ID specified. Setting the authorization type to CUSTOM or COGNITO_USER_POOLS requires a valid authorizer.');
    await expectError(put({ requestValidatorId: 'fake-validator' }), 'BadRequestException', 400, 'Invalid Request Validator identifier specified');
    await expectError(put({ requestModels: { 'application/json': 'petModel' } }), 'BadRequestException', 400, 'Invalid model identifier specified: petModel');
  });

  it('updates through patch paths as recorded', async () => {
    const { client, restApiId, resourceId } = await newApi();
    await client.send(new PutMethodCommand({ restApiId, resourceId, httpMethod: 'ANY', authorizationType: 'NONE' }));
    const update = (patchOperations: { op: string; path: string; value?: string }[]) =>
      client.send(new UpdateMethodCommand({ restApiId, resourceId, httpMethod: 'ANY', patchOperations: patchOperations as never }));
    let method = await update([
      { op: 'add', path: '/requestParameters/method.request.querystring.optional', value: 'true' },
      { op: 'add', path: '/requestModels/application~1json', value: 'Empty' },
    ]);
    assert.deepEqual(method.requestParameters, { 'method.request.querystring.optional': true });
    assert.deepEqual(method.requestModels, { 'application/json': 'Empty' });
    method = await update([
      { op: 'replace', path: '/operationName', value: 'ReplacedOperationName' },
      { op: 'replace', path: '/apiKeyRequired', value: 'true' },
      { op: 'replace', path: '/authorizationType', value: 'AWS_IAM' },
      { op: 'replace', path: '/requestParameters/method.request.querystring.optional', value: 'false' },
    ]);
    assert.equal(method.operationName, 'ReplacedOperationName');
    assert.equal(method.apiKeyRequired, true);
    assert.equal(method.authorizationType, 'AWS_IAM');
    const authorizer = await client.send(new CreateAuthorizerCommand({
      restApiId, name: 'a', type: 'TOKEN', identitySource: 'method.request.header.Authorization',
      authorizerUri: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:auth/invocations',
    }));
    method = await update([{ op: 'replace', path: '/authorizerId', value: authorizer.id! }, { op: 'replace', path: '/authorizationType', value: 'CUSTOM' }]);
    assert.equal(method.authorizerId, authorizer.id);
    method = await update([
      { op: 'remove', path: '/requestParameters/method.request.querystring.optional' },
      { op: 'remove', path: '/requestModels/application~1json' },
    ]);
    assert.equal(method.requestParameters, undefined);
    assert.equal(method.requestModels, undefined);

    await expectError(update([{ op: 'add', path: '/operationName', value: 'x' }]), 'BadRequestException', 400, 'Invalid patch operation specified. Must be one of: [replace]');
    await expectError(update([{ op: 'add', path: '/httpMethod', value: 'PUT' }]), 'BadRequestException', 400, 'Invalid patch path /httpMethod');
    await expectError(update([{ op: 'replace', path: '/requestParameters', value: 'x' }]), 'BadRequestException', 400, 'Invalid patch path /requestParameters');
    await expectError(update([{ op: 'add', path: '/requestModels/application/json', value: 'Empty' }]), 'BadRequestException', 400, 'Invalid patch path /requestModels/application/json');
    await expectError(update([{ op: 'replace', path: '/requestValidatorId', value: 'fake-id' }]), 'BadRequestException', 400, 'Invalid Request Validator identifier specified');
    await expectError(update([{ op: 'replace', path: '/authorizerId', value: 'abc123' }]), 'BadRequestException', 400, /Invalid authorizer ID specified/);
    await expectError(client.send(new UpdateMethodCommand({ restApiId, resourceId, httpMethod: 'GET', patchOperations: [] })), 'NotFoundException', 404, 'Invalid Method identifier specified');
  });

  it('ignores an authorizer id on a method without a custom authorizer, and reads non-true as false', async () => {
    const { client, restApiId, resourceId } = await newApi();
    await client.send(new PutMethodCommand({ restApiId, resourceId, httpMethod: 'ANY', authorizationType: 'NONE', apiKeyRequired: true }));
    const method = await client.send(new UpdateMethodCommand({ restApiId, resourceId, httpMethod: 'ANY', patchOperations: [
      { op: 'replace', path: '/apiKeyRequired', value: 'whatever' },
      { op: 'replace', path: '/authorizerId', value: 'abc123' },
    ] }));
    assert.deepEqual(strip(method), { apiKeyRequired: false, authorizationType: 'NONE', httpMethod: 'ANY' });
  });
});

describe('MethodResponse', () => {
  it('is put, updated, read and deleted', async () => {
    const { client, restApiId, resourceId } = await newApi();
    await client.send(new PutMethodCommand({ restApiId, resourceId, httpMethod: 'GET', authorizationType: 'NONE' }));
    const put = await client.send(new PutMethodResponseCommand({ restApiId, resourceId, httpMethod: 'GET', statusCode: '200' }));
    assert.deepEqual(strip(put), { responseModels: {}, responseParameters: {}, statusCode: '200' });
    const key = { restApiId, resourceId, httpMethod: 'GET', statusCode: '200' };
    const updated = await client.send(new UpdateMethodResponseCommand({ ...key, patchOperations: [
      { op: 'add', path: '/responseParameters/method.response.header.my-header', value: 'true' },
      { op: 'add', path: '/responseModels/application~1json', value: 'Empty' },
    ] }));
    assert.deepEqual(strip(updated), { responseModels: { 'application/json': 'Empty' }, responseParameters: { 'method.response.header.my-header': true }, statusCode: '200' });
    assert.deepEqual((await client.send(new GetMethodCommand({ restApiId, resourceId, httpMethod: 'GET' }))).methodResponses, { '200': strip(updated) });
    const removed = await client.send(new UpdateMethodResponseCommand({ ...key, patchOperations: [
      { op: 'remove', path: '/responseParameters/method.response.header.my-header' },
      { op: 'remove', path: '/responseModels/application~1json' },
    ] }));
    assert.deepEqual(strip(removed), { responseModels: {}, responseParameters: {}, statusCode: '200' });
    await client.send(new DeleteMethodResponseCommand(key));
    await expectError(client.send(new GetMethodResponseCommand(key)), 'NotFoundException', 404, 'Invalid Response status code specified');
  });

  it('answers bad patches and unknown targets with the recorded errors', async () => {
    const { client, restApiId, resourceId } = await newApi();
    await client.send(new PutMethodCommand({ restApiId, resourceId, httpMethod: 'GET', authorizationType: 'NONE' }));
    await client.send(new PutMethodResponseCommand({ restApiId, resourceId, httpMethod: 'GET', statusCode: '200' }));
    const update = (patchOperations: { op: string; path: string; value?: string }[], statusCode = '200') =>
      client.send(new UpdateMethodResponseCommand({ restApiId, resourceId, httpMethod: 'GET', statusCode, patchOperations: patchOperations as never }));
    await expectError(update([{ op: 'remove', path: '/responseParameters/method.response.header.my-header' }]), 'NotFoundException', 404, 'Invalid parameter name specified');
    await expectError(update([{ op: 'add', path: '/responseParameters/wrong.header' , value: 'true' }]), 'NotFoundException', 404, 'Invalid parameter name specified');
    await expectError(update([{ op: 'remove', path: '/responseModels/application~1json' }]), 'NotFoundException', 404, 'Content-Type specified was not found');
    await expectError(update([{ op: 'replace', path: '/wrong/method.response.header.my-header', value: 'true' }]), 'BadRequestException', 400, 'Invalid patch path /wrong/method.response.header.my-header');
    await expectError(update([{ op: 'replace', path: '/statusCode', value: '201' }]), 'BadRequestException', 400, 'Invalid patch path /statusCode');
    await expectError(update([], '201'), 'NotFoundException', 404, 'Invalid Response status code specified');
    await expectError(update([], 'wrong'), 'ValidationException', 400, "1 validation error detected: Value 'wrong' at 'statusCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [1-5]\\d\\d");
    await expectError(client.send(new UpdateMethodResponseCommand({ restApiId, resourceId: 'nope', httpMethod: 'GET', statusCode: '200', patchOperations: [] })), 'NotFoundException', 404, 'Invalid Resource identifier specified');
    await expectError(client.send(new UpdateMethodResponseCommand({ restApiId, resourceId, httpMethod: 'POST', statusCode: '200', patchOperations: [] })), 'NotFoundException', 404, 'Invalid Method identifier specified');
    await expectError(client.send(new PutMethodResponseCommand({ restApiId, resourceId, httpMethod: 'GET', statusCode: '200', responseModels: { 'application/json': 'Nope' } })), 'NotFoundException', 404, 'Invalid model name specified: Nope');
  });
});
