// Integration and IntegrationResponse: put with AWS's defaults and endpoint rules, get, update
// through patch paths, delete, and AWS's errors for every missing or invalid piece.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateResourceCommand,
  CreateRestApiCommand,
  DeleteIntegrationCommand,
  DeleteIntegrationResponseCommand,
  GetIntegrationCommand,
  GetIntegrationResponseCommand,
  GetMethodCommand,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
  UpdateIntegrationCommand,
  UpdateIntegrationResponseCommand,
  type APIGatewayClient,
  type PutIntegrationCommandInput,
} from '@aws-sdk/client-api-gateway';
import { expectError, newClient } from '../helpers/client.js';

const LAMBDA_URI = 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:111111111111:function:MyLambda/invocations';
const ROLE = 'arn:aws:iam::111111111111:role/service-role/testfunction-role-oe783psq';

type Method = { restApiId: string; resourceId: string; httpMethod: string };

/** A new API with a GET method on its root resource. */
async function apiWithMethod(client: APIGatewayClient, requestParameters?: Record<string, boolean>): Promise<Method> {
  const api = await client.send(new CreateRestApiCommand({ name: 'integrations' }));
  const method = { restApiId: api.id!, resourceId: api.rootResourceId!, httpMethod: 'GET' };
  await client.send(new PutMethodCommand({ ...method, authorizationType: 'NONE', requestParameters }));
  return method;
}

/** A new API with a GET method integrated with MOCK. */
async function apiWithMock(client: APIGatewayClient): Promise<Method> {
  const method = await apiWithMethod(client);
  await client.send(new PutIntegrationCommand({ ...method, type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
  return method;
}

const put = (client: APIGatewayClient, method: Method, input: Omit<PutIntegrationCommandInput, keyof Method>) =>
  client.send(new PutIntegrationCommand({ ...method, ...input }));

const mappingError = (error: string) => `Invalid mapping expression specified: Validation Result: warnings : [], errors : [${error}]`;

describe('Integration', () => {
  it('is put with AWS defaults for each type and read back', async () => {
    const client = newClient();
    const method = await apiWithMethod(client);
    const defaults = { cacheKeyParameters: [], cacheNamespace: method.resourceId, passthroughBehavior: 'WHEN_NO_MATCH', timeoutInMillis: 29000 };

    const mock = await put(client, method, { type: 'MOCK', uri: 'http://example.com', integrationHttpMethod: 'GET' });
    assert.deepEqual(strip(mock), { ...defaults, type: 'MOCK' });

    const http = await put(client, method, { type: 'HTTP', uri: 'http://example.com', integrationHttpMethod: 'POST' });
    assert.deepEqual(strip(http), { ...defaults, type: 'HTTP', connectionType: 'INTERNET', httpMethod: 'POST', uri: 'http://example.com' });

    const aws = await put(client, method, { type: 'AWS', uri: 'arn:aws:apigateway:us-east-1:s3:path/b/k', integrationHttpMethod: 'POST', credentials: ROLE });
    assert.deepEqual(strip(aws), { ...defaults, type: 'AWS', httpMethod: 'POST', uri: 'arn:aws:apigateway:us-east-1:s3:path/b/k', credentials: ROLE });

    const proxy = await put(client, method, { type: 'AWS_PROXY', uri: LAMBDA_URI, integrationHttpMethod: 'POST' });
    assert.deepEqual(strip(proxy), { ...defaults, type: 'AWS_PROXY', httpMethod: 'POST', uri: LAMBDA_URI });
    assert.deepEqual(strip(await client.send(new GetIntegrationCommand(method))), strip(proxy));

    const full = await put(client, method, {
      type: 'HTTP',
      uri: 'https://example.com/{id}',
      integrationHttpMethod: 'GET',
      passthroughBehavior: 'NEVER',
      contentHandling: 'CONVERT_TO_TEXT',
      timeoutInMillis: 50,
      cacheNamespace: 'ns',
      cacheKeyParameters: ['method.request.path.id'],
      tlsConfig: { insecureSkipVerification: true },
      requestTemplates: { 'application/json': '{"a": 1}' },
    });
    assert.deepEqual(strip(await client.send(new GetIntegrationCommand(method))), strip(full));
    assert.equal(full.passthroughBehavior, 'NEVER');
    assert.equal(full.contentHandling, 'CONVERT_TO_TEXT');
    assert.equal(full.timeoutInMillis, 50);
    assert.equal(full.cacheNamespace, 'ns');
    assert.deepEqual(full.cacheKeyParameters, ['method.request.path.id']);
    assert.deepEqual(full.tlsConfig, { insecureSkipVerification: true });
  });

  it('keeps a VPC link connection and updates its id (test_create_integration_with_vpc_link)', async () => {
    const client = newClient();
    const method = await apiWithMethod(client);
    const uri = 'http://my-vpclink-test-nlb-1234567890abcdef.us-east-1.amazonaws.com';
    const created = await put(client, method, { type: 'HTTP_PROXY', uri, integrationHttpMethod: 'GET', connectionType: 'VPC_LINK', connectionId: '${stageVariables.vpcLinkId}' });
    assert.deepEqual(strip(created), {
      cacheKeyParameters: [],
      cacheNamespace: method.resourceId,
      connectionId: '${stageVariables.vpcLinkId}',
      connectionType: 'VPC_LINK',
      httpMethod: 'GET',
      passthroughBehavior: 'WHEN_NO_MATCH',
      timeoutInMillis: 29000,
      type: 'HTTP_PROXY',
      uri,
    });
    const updated = await client.send(new UpdateIntegrationCommand({ ...method, patchOperations: [{ op: 'replace', path: '/connectionId', value: '${stageVariables.vpcLinkIdBeta}' }] }));
    assert.equal(updated.connectionId, '${stageVariables.vpcLinkIdBeta}');
    assert.equal((await client.send(new GetIntegrationCommand(method))).connectionId, '${stageVariables.vpcLinkIdBeta}');
  });

  it('requires an integration method and a valid endpoint for each type (test_put_integration_validation)', async () => {
    const client = newClient();
    const method = await apiWithMethod(client);
    for (const type of ['HTTP', 'HTTP_PROXY', 'AWS'] as const) {
      await expectError(put(client, method, { type, uri: 'http://example.com' }), 'BadRequestException', 400, 'Enumeration value for HttpMethod must be non-empty');
    }
    for (const type of ['HTTP', 'HTTP_PROXY'] as const) {
      await expectError(put(client, method, { type, uri: 'non-valid-http', integrationHttpMethod: 'POST' }), 'BadRequestException', 400, 'Invalid HTTP endpoint specified for URI');
    }
    await expectError(put(client, method, { type: 'AWS', uri: 'non-valid-arn', integrationHttpMethod: 'POST' }), 'BadRequestException', 400, 'Invalid ARN specified in the request');
    await expectError(put(client, method, { type: 'AWS', uri: 'arn:aws:iam::0000000000:role/service-role/asdf', integrationHttpMethod: 'POST' }), 'BadRequestException', 400, 'AWS ARN for integration must contain path or action');
    await expectError(
      put(client, method, { type: 'AWS_PROXY', uri: 'arn:aws:apigateway:us-east-1:s3:path/b/k', integrationHttpMethod: 'POST', credentials: ROLE }),
      'BadRequestException',
      400,
      "Integrations of type 'AWS_PROXY' currently only supports Lambda function and Firehose stream invocations.",
    );
    await expectError(put(client, method, { type: 'HTTP', integrationHttpMethod: 'POST' }), 'BadRequestException', 400, 'Invalid integration URI specified');
    await expectError(put(client, method, { type: 'HTTP', uri: 'http://example.com', integrationHttpMethod: 'FETCH' }), 'BadRequestException', 400, 'Invalid HttpMethod specified. Valid options are GET,PUT,POST,DELETE,PATCH,OPTIONS,HEAD,ANY');
    for (const timeoutInMillis of [49, 29001]) {
      await expectError(put(client, method, { type: 'MOCK', timeoutInMillis }), 'BadRequestException', 400, 'Timeout should be between 50 ms and 29000 ms');
    }
    await expectError(put(client, method, { type: 'MOCK', passthroughBehavior: 'SOMETIMES' }), 'BadRequestException', 400, 'Invalid passthroughBehavior specified. Valid options are WHEN_NO_MATCH,WHEN_NO_TEMPLATES,NEVER');
    await expectError(
      put(client, method, { type: 'HTTPS_PROXY' as 'HTTP' }),
      'ValidationException',
      400,
      "1 validation error detected: Value 'HTTPS_PROXY' at 'putIntegrationInput.type' failed to satisfy constraint: Member must satisfy enum value set: [HTTP, MOCK, AWS_PROXY, HTTP_PROXY, AWS]",
    );
    await expectError(put(client, method, { type: 'MOCK', requestTemplates: { '123': '{}' } }), 'BadRequestException', 400, 'Validation Result: warnings : [], errors : [Invalid content type specified: 123]');
    await expectError(client.send(new GetIntegrationCommand(method)), 'NotFoundException', 404, 'Invalid Integration identifier specified');
  });

  it('maps request parameters only from declared method request parameters', async () => {
    const client = newClient();
    const method = await apiWithMethod(client, { 'method.request.path.petId': true, 'method.request.header.x-token': false });
    const requestParameters = {
      'integration.request.path.id': 'method.request.path.petId',
      'integration.request.header.Authorization': 'method.request.header.x-token',
      'integration.request.querystring.stage': 'stageVariables.name',
      'integration.request.header.X-Request-Id': 'context.requestId',
      'integration.request.header.X-Static': "'static'",
      'integration.request.querystring.body': 'method.request.body.name',
    };
    const created = await put(client, method, { type: 'HTTP', uri: 'http://example.com/pets/{id}', integrationHttpMethod: 'GET', requestParameters });
    assert.deepEqual(created.requestParameters, requestParameters);

    const http = { type: 'HTTP', uri: 'http://example.com', integrationHttpMethod: 'GET' } as const;
    await expectError(
      put(client, method, { ...http, requestParameters: { 'integration.request.path.id': 'method.request.path.id' } }),
      'BadRequestException',
      400,
      mappingError('Invalid mapping expression parameter specified: method.request.path.id'),
    );
    await expectError(put(client, method, { ...http, requestParameters: { 'integration.request.cookie.id': "'x'" } }), 'BadRequestException', 400, mappingError('Invalid mapping expression specified: integration.request.cookie.id'));
    await expectError(put(client, method, { ...http, requestParameters: { 'integration.request.header.x': 'nonsense' } }), 'BadRequestException', 400, mappingError('Invalid mapping expression specified: nonsense'));
  });

  it('is replaced by a new put, integration responses included', async () => {
    const client = newClient();
    const method = await apiWithMock(client);
    await client.send(new PutIntegrationResponseCommand({ ...method, statusCode: '200', selectionPattern: '' }));
    assert.ok((await client.send(new GetIntegrationCommand(method))).integrationResponses?.['200']);
    const replaced = await put(client, method, { type: 'HTTP', uri: 'http://example.com', integrationHttpMethod: 'GET' });
    assert.equal(replaced.integrationResponses, undefined);
    assert.equal((await client.send(new GetIntegrationCommand(method))).integrationResponses, undefined);
    await expectError(client.send(new GetIntegrationResponseCommand({ ...method, statusCode: '200' })), 'NotFoundException', 404, 'Invalid Response status code specified');
  });

  it('updates every patch path', async () => {
    const client = newClient();
    const method = await apiWithMethod(client, { 'method.request.path.petId': true });
    await put(client, method, { type: 'HTTP', uri: 'http://example.com', integrationHttpMethod: 'GET', requestTemplates: { 'application/json': 'a' } });
    const update = (...patchOperations: { op: 'add' | 'remove' | 'replace'; path: string; value?: string }[]) =>
      client.send(new UpdateIntegrationCommand({ ...method, patchOperations }));

    const updated = await update(
      { op: 'replace', path: '/uri', value: 'https://example.org/{id}' },
      { op: 'replace', path: '/httpMethod', value: 'POST' },
      { op: 'replace', path: '/passthroughBehavior', value: 'WHEN_NO_TEMPLATES' },
      { op: 'replace', path: '/timeoutInMillis', value: '1000' },
      { op: 'replace', path: '/contentHandling', value: 'CONVERT_TO_BINARY' },
      { op: 'replace', path: '/credentials', value: ROLE },
      { op: 'replace', path: '/cacheNamespace', value: 'shared' },
      { op: 'add', path: '/cacheKeyParameters/method.request.path.petId' },
      { op: 'add', path: '/requestParameters/integration.request.path.id', value: 'method.request.path.petId' },
      { op: 'add', path: '/requestTemplates/application~1xml', value: '<a/>' },
      { op: 'replace', path: '/requestTemplates/application~1json', value: 'b' },
      { op: 'replace', path: '/tlsConfig/insecureSkipVerification', value: 'true' },
    );
    assert.deepEqual(strip(updated), {
      type: 'HTTP',
      connectionType: 'INTERNET',
      uri: 'https://example.org/{id}',
      httpMethod: 'POST',
      passthroughBehavior: 'WHEN_NO_TEMPLATES',
      timeoutInMillis: 1000,
      contentHandling: 'CONVERT_TO_BINARY',
      credentials: ROLE,
      cacheNamespace: 'shared',
      cacheKeyParameters: ['method.request.path.petId'],
      requestParameters: { 'integration.request.path.id': 'method.request.path.petId' },
      requestTemplates: { 'application/json': 'b', 'application/xml': '<a/>' },
      tlsConfig: { insecureSkipVerification: true },
    });
    assert.deepEqual(strip(await client.send(new GetIntegrationCommand(method))), strip(updated));

    const removed = await update(
      { op: 'remove', path: '/cacheKeyParameters/method.request.path.petId' },
      { op: 'remove', path: '/requestParameters/integration.request.path.id' },
      { op: 'remove', path: '/requestTemplates/application~1xml' },
      { op: 'replace', path: '/credentials' },
      { op: 'replace', path: '/contentHandling' },
    );
    assert.deepEqual(removed.cacheKeyParameters, []);
    assert.equal(removed.requestParameters, undefined);
    assert.deepEqual(removed.requestTemplates, { 'application/json': 'b' });
    assert.equal(removed.credentials, undefined);
    assert.equal(removed.contentHandling, undefined);

    await expectError(update({ op: 'replace', path: '/type', value: 'MOCK' }), 'BadRequestException', 400, 'Invalid patch path /type');
    await expectError(update({ op: 'add', path: '/uri', value: 'http://example.com' }), 'BadRequestException', 400, 'Invalid patch operation specified. Must be one of: [replace]');
    await expectError(update({ op: 'replace', path: '/uri', value: 'not-a-url' }), 'BadRequestException', 400, 'Invalid HTTP endpoint specified for URI');
    await expectError(update({ op: 'replace', path: '/timeoutInMillis', value: '30000' }), 'BadRequestException', 400, 'Timeout should be between 50 ms and 29000 ms');
    await expectError(update({ op: 'replace', path: '/timeoutInMillis', value: 'soon' }), 'BadRequestException', 400, 'Timeout should be between 50 ms and 29000 ms');
    await expectError(update({ op: 'replace', path: '/httpMethod', value: '' }), 'BadRequestException', 400, 'Enumeration value for HttpMethod must be non-empty');
    await expectError(update({ op: 'replace', path: '/contentHandling', value: 'CONVERT' }), 'BadRequestException', 400, 'Invalid contentHandling specified. Valid options are CONVERT_TO_BINARY,CONVERT_TO_TEXT');
    await expectError(update({ op: 'replace', path: '/connectionType', value: 'CABLE' }), 'BadRequestException', 400, 'Invalid connectionType specified. Valid options are INTERNET,VPC_LINK');
    await expectError(update({ op: 'replace', path: '/tlsConfig/insecureSkipVerification', value: 'maybe' }), 'BadRequestException', 400, 'Invalid boolean value: maybe');
    await expectError(update({ op: 'replace', path: '/requestParameters/integration.request.path.other', value: "'x'" }), 'NotFoundException', 404, 'Invalid parameter name specified');
    await expectError(update({ op: 'remove', path: '/requestTemplates/text~1plain' }), 'NotFoundException', 404, 'Content-Type specified was not found');
    await expectError(update({ op: 'add', path: '/requestParameters/integration.request.path.id' }), 'BadRequestException', 400, 'Invalid null or empty value in requestParameters');
    await expectError(
      update({ op: 'add', path: '/requestParameters/integration.request.path.id', value: 'method.request.path.nope' }),
      'BadRequestException',
      400,
      mappingError('Invalid mapping expression parameter specified: method.request.path.nope'),
    );
    // A failed update changes nothing.
    assert.deepEqual(strip(await client.send(new GetIntegrationCommand(method))), strip(removed));
  });

  it('is deleted with 204 and then reported missing', async () => {
    const client = newClient();
    const method = await apiWithMock(client);
    const deleted = await client.send(new DeleteIntegrationCommand(method));
    assert.equal(deleted.$metadata.httpStatusCode, 204);
    await expectError(client.send(new GetIntegrationCommand(method)), 'NotFoundException', 404, 'Invalid Integration identifier specified');
    await expectError(client.send(new DeleteIntegrationCommand(method)), 'NotFoundException', 404, 'Invalid Integration identifier specified');
    await expectError(client.send(new UpdateIntegrationCommand({ ...method, patchOperations: [] })), 'NotFoundException', 404, 'Invalid Integration identifier specified');
    assert.equal((await client.send(new GetMethodCommand(method))).methodIntegration, undefined);
  });

  it('reports an unknown API, resource or method (test_get_integration_non_existent)', async () => {
    const client = newClient();
    const method = await apiWithMethod(client);
    const noApi = { ...method, restApiId: 'wrong-api' };
    const noResource = { ...method, resourceId: 'wrong-resource' };
    const noMethod = { ...method, httpMethod: 'POST' };
    for (const key of [noApi, noResource]) {
      await expectError(client.send(new GetIntegrationCommand(key)), 'NotFoundException', 404, 'Invalid Resource identifier specified');
      await expectError(put(client, key, { type: 'MOCK' }), 'NotFoundException', 404, 'Invalid Resource identifier specified');
      await expectError(client.send(new UpdateIntegrationCommand({ ...key, patchOperations: [] })), 'NotFoundException', 404, 'Invalid Resource identifier specified');
      await expectError(client.send(new DeleteIntegrationCommand(key)), 'NotFoundException', 404, 'Invalid Resource identifier specified');
    }
    await expectError(client.send(new GetIntegrationCommand(noMethod)), 'NotFoundException', 404, 'Invalid Method identifier specified');
    await expectError(put(client, noMethod, { type: 'MOCK' }), 'NotFoundException', 404, 'Invalid Method identifier specified');
    await expectError(client.send(new GetIntegrationCommand(method)), 'NotFoundException', 404, 'Invalid Integration identifier specified');
  });
});

describe('IntegrationResponse', () => {
  it('goes through its lifecycle (test_lifecycle_integration_response)', async () => {
    const client = newClient();
    const method = await apiWithMock(client);
    const key = { ...method, statusCode: '200' };
    const created = await client.send(new PutIntegrationResponseCommand({ ...key, responseTemplates: { 'application/json': '"created"' }, selectionPattern: '' }));
    assert.equal(created.$metadata.httpStatusCode, 201);
    assert.deepEqual(strip(created), { responseTemplates: { 'application/json': '"created"' }, selectionPattern: '', statusCode: '200' });
    assert.deepEqual(strip(await client.send(new GetIntegrationResponseCommand(key))), strip(created));

    const updated = await client.send(new UpdateIntegrationResponseCommand({ ...key, patchOperations: [{ op: 'replace', path: '/selectionPattern', value: 'updated-pattern' }] }));
    assert.deepEqual(strip(updated), { responseTemplates: { 'application/json': '"created"' }, selectionPattern: 'updated-pattern', statusCode: '200' });

    const overwritten = await client.send(new PutIntegrationResponseCommand({ ...key, responseTemplates: { 'application/json': 'overwrite' }, selectionPattern: 'overwrite-pattern' }));
    assert.deepEqual(strip(overwritten), { responseTemplates: { 'application/json': 'overwrite' }, selectionPattern: 'overwrite-pattern', statusCode: '200' });

    const got = await client.send(new GetMethodCommand(method));
    assert.deepEqual(strip(got.methodIntegration!), {
      cacheKeyParameters: [],
      cacheNamespace: method.resourceId,
      integrationResponses: { '200': { responseTemplates: { 'application/json': 'overwrite' }, selectionPattern: 'overwrite-pattern', statusCode: '200' } },
      passthroughBehavior: 'WHEN_NO_MATCH',
      requestTemplates: { 'application/json': '{"statusCode": 200}' },
      timeoutInMillis: 29000,
      type: 'MOCK',
    });

    const deleted = await client.send(new DeleteIntegrationResponseCommand(key));
    assert.equal(deleted.$metadata.httpStatusCode, 204);
    assert.equal((await client.send(new GetMethodCommand(method))).methodIntegration?.integrationResponses, undefined);
    await expectError(client.send(new GetIntegrationResponseCommand(key)), 'NotFoundException', 404, 'Invalid Response status code specified');
  });

  it('keeps templates as given: empty ones as null, none as absent', async () => {
    const client = newClient();
    const method = await apiWithMock(client);
    const empty = await client.send(new PutIntegrationResponseCommand({ ...method, statusCode: '200', responseTemplates: { 'application/json': '' } }));
    assert.ok(empty.responseTemplates && 'application/json' in empty.responseTemplates);
    assert.equal(empty.responseTemplates['application/json'] ?? null, null);
    const none = await client.send(new PutIntegrationResponseCommand({ ...method, statusCode: '200' }));
    assert.equal(none.responseTemplates, undefined);
    assert.equal(none.selectionPattern, undefined);
    const emptyMap = await client.send(new PutIntegrationResponseCommand({ ...method, statusCode: '200', selectionPattern: '2\\d{2}', responseTemplates: {}, contentHandling: 'CONVERT_TO_BINARY' }));
    assert.deepEqual(strip(emptyMap), { responseTemplates: {}, selectionPattern: '2\\d{2}', statusCode: '200', contentHandling: 'CONVERT_TO_BINARY' });
    await expectError(
      client.send(new PutIntegrationResponseCommand({ ...method, statusCode: '200', responseTemplates: { '123': '{"statusCode": 200}' } })),
      'BadRequestException',
      400,
      'Validation Result: warnings : [], errors : [Invalid content type specified: 123]',
    );
  });

  it('maps response parameters only into headers the method response declares', async () => {
    const client = newClient();
    const method = await apiWithMock(client);
    const key = { ...method, statusCode: '200' };
    const responseParameters = { 'method.response.header.X-Origin': "'*'" };
    await expectError(client.send(new PutIntegrationResponseCommand({ ...key, responseParameters })), 'BadRequestException', 400, mappingError('No method response exists for method.'));
    await client.send(new PutMethodResponseCommand({ ...key, responseParameters: { 'method.response.header.X-Origin': false, 'method.response.header.X-Id': true } }));
    await expectError(
      client.send(new PutIntegrationResponseCommand({ ...key, responseParameters: { 'method.response.header.X-Other': "'x'" } })),
      'BadRequestException',
      400,
      mappingError('Invalid mapping expression parameter specified: method.response.header.X-Other'),
    );
    await expectError(
      client.send(new PutIntegrationResponseCommand({ ...key, responseParameters: { 'method.response.header.X-Id': 'method.request.path.id' } })),
      'BadRequestException',
      400,
      mappingError('Invalid mapping expression specified: method.request.path.id'),
    );
    const mapped = { 'method.response.header.X-Origin': "'*'", 'method.response.header.X-Id': 'integration.response.body.id' };
    const created = await client.send(new PutIntegrationResponseCommand({ ...key, responseParameters: mapped }));
    assert.deepEqual(created.responseParameters, mapped);
  });

  it('updates every patch path', async () => {
    const client = newClient();
    const method = await apiWithMock(client);
    const key = { ...method, statusCode: '200' };
    await client.send(new PutMethodResponseCommand({ ...key, responseParameters: { 'method.response.header.X-Origin': false } }));
    await client.send(new PutIntegrationResponseCommand({ ...key, selectionPattern: 'a', responseTemplates: { 'application/json': 'a' } }));
    const update = (...patchOperations: { op: 'add' | 'remove' | 'replace'; path: string; value?: string }[]) =>
      client.send(new UpdateIntegrationResponseCommand({ ...key, patchOperations }));

    const updated = await update(
      { op: 'replace', path: '/selectionPattern', value: '' },
      { op: 'replace', path: '/contentHandling', value: 'CONVERT_TO_TEXT' },
      { op: 'add', path: '/responseParameters/method.response.header.X-Origin', value: "'*'" },
      { op: 'add', path: '/responseTemplates/application~1xml', value: '<a/>' },
      { op: 'replace', path: '/responseTemplates/application~1json', value: 'b' },
    );
    assert.deepEqual(strip(updated), {
      statusCode: '200',
      selectionPattern: '',
      contentHandling: 'CONVERT_TO_TEXT',
      responseParameters: { 'method.response.header.X-Origin': "'*'" },
      responseTemplates: { 'application/json': 'b', 'application/xml': '<a/>' },
    });
    assert.deepEqual(strip(await client.send(new GetIntegrationResponseCommand(key))), strip(updated));

    const removed = await update(
      { op: 'remove', path: '/responseParameters/method.response.header.X-Origin' },
      { op: 'remove', path: '/responseTemplates/application~1xml' },
      { op: 'replace', path: '/contentHandling' },
    );
    assert.deepEqual(strip(removed), { statusCode: '200', selectionPattern: '', responseTemplates: { 'application/json': 'b' } });

    await expectError(update({ op: 'replace', path: '/statusCode', value: '201' }), 'BadRequestException', 400, 'Invalid patch path /statusCode');
    await expectError(update({ op: 'add', path: '/selectionPattern', value: 'x' }), 'BadRequestException', 400, 'Invalid patch operation specified. Must be one of: [replace]');
    await expectError(update({ op: 'replace', path: '/responseParameters/method.response.header.X-Origin', value: "'x'" }), 'NotFoundException', 404, 'Invalid parameter name specified');
    await expectError(update({ op: 'replace', path: '/responseTemplates/text~1plain', value: 'x' }), 'NotFoundException', 404, 'Content-Type specified was not found');
    await expectError(update({ op: 'add', path: '/responseTemplates/text~1plain' }), 'BadRequestException', 400, 'Invalid null or empty value in responseTemplates');
    await expectError(update({ op: 'add', path: '/responseParameters/method.response.header.X-Origin', value: '' }), 'BadRequestException', 400, 'Invalid null or empty value in responseParameters');
    await expectError(
      update({ op: 'add', path: '/responseParameters/method.response.header.X-Undeclared', value: "'x'" }),
      'BadRequestException',
      400,
      mappingError('Invalid mapping expression parameter specified: method.response.header.X-Undeclared'),
    );
    await expectError(update({ op: 'replace', path: '/contentHandling', value: 'CONVERT' }), 'BadRequestException', 400, 'Invalid contentHandling specified. Valid options are CONVERT_TO_BINARY,CONVERT_TO_TEXT');
    await expectError(
      client.send(new UpdateIntegrationResponseCommand({ ...method, statusCode: '404', patchOperations: [] })),
      'NotFoundException',
      404,
      'Invalid Response status code specified',
    );
  });

  it('reports an unknown API, resource, method, integration or status code', async () => {
    const client = newClient();
    const method = await apiWithMethod(client);
    const ok = { ...method, statusCode: '200' };
    for (const key of [{ ...ok, restApiId: 'wrong-api' }, { ...ok, resourceId: 'wrong-resource' }]) {
      await expectError(client.send(new PutIntegrationResponseCommand(key)), 'NotFoundException', 404, 'Invalid Resource identifier specified');
      await expectError(client.send(new GetIntegrationResponseCommand(key)), 'NotFoundException', 404, 'Invalid Resource identifier specified');
      await expectError(client.send(new DeleteIntegrationResponseCommand(key)), 'NotFoundException', 404, 'Invalid Resource identifier specified');
    }
    const wrongMethod = { ...ok, httpMethod: 'wrong-method' };
    await expectError(client.send(new PutIntegrationResponseCommand(wrongMethod)), 'NotFoundException', 404, 'Invalid Method identifier specified');
    await expectError(client.send(new GetIntegrationResponseCommand(wrongMethod)), 'NotFoundException', 404, 'Invalid Method identifier specified');
    // DeleteIntegrationResponse names the missing piece the integration (test_delete_integration_response_errors).
    await expectError(client.send(new DeleteIntegrationResponseCommand({ ...ok, httpMethod: 'POST' })), 'NotFoundException', 404, 'Invalid Integration identifier specified');

    await expectError(client.send(new GetIntegrationResponseCommand(ok)), 'NotFoundException', 404, 'Invalid Integration identifier specified');
    await expectError(client.send(new PutIntegrationResponseCommand(ok)), 'NotFoundException', 404, 'Invalid Integration identifier specified');
    await put(client, method, { type: 'MOCK' });
    await expectError(client.send(new GetIntegrationResponseCommand({ ...ok, statusCode: '201' })), 'NotFoundException', 404, 'Invalid Response status code specified');
    await expectError(client.send(new DeleteIntegrationResponseCommand({ ...ok, statusCode: '201' })), 'NotFoundException', 404, 'Invalid Response status code specified');
    for (const send of [PutIntegrationResponseCommand, GetIntegrationResponseCommand]) {
      await expectError(
        client.send(new send({ ...ok, statusCode: 'wrong' })),
        'ValidationException',
        400,
        "1 validation error detected: Value 'wrong' at 'statusCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [1-5]\\d\\d",
      );
    }
  });

  it('belongs to the method of its resource', async () => {
    const client = newClient();
    const method = await apiWithMock(client);
    const child = await client.send(new CreateResourceCommand({ restApiId: method.restApiId, parentId: method.resourceId, pathPart: 'pets' }));
    const childMethod = { ...method, resourceId: child.id! };
    await client.send(new PutMethodCommand({ ...childMethod, authorizationType: 'NONE' }));
    const integration = await put(client, childMethod, { type: 'MOCK' });
    assert.equal(integration.cacheNamespace, child.id);
    await client.send(new PutIntegrationResponseCommand({ ...childMethod, statusCode: '200' }));
    await expectError(client.send(new GetIntegrationResponseCommand({ ...method, statusCode: '200' })), 'NotFoundException', 404, 'Invalid Response status code specified');
  });
});

/** The modelled members of an SDK output, without its response metadata. */
function strip<T extends object>(output: T): Omit<T, '$metadata'> {
  const { $metadata: _metadata, ...rest } = output as T & { $metadata?: unknown };
  return rest;
}
