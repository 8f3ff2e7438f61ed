// Mapping templates and parameter mappings end to end, as the Developer Guide's "Set up mock
// integrations" walkthrough builds them: configure with the SDK, deploy, call over HTTP.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  GetResourcesCommand,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
  type PutIntegrationCommandInput,
  type PutIntegrationResponseCommandInput,
} from '@aws-sdk/client-api-gateway';
import { newClient } from '../helpers/client.js';
import { invoke, waitForStage } from '../helpers/invoke.js';

type Setup = {
  path?: string;
  requestParameters?: Record<string, boolean>;
  integration: Omit<PutIntegrationCommandInput, 'restApiId' | 'resourceId' | 'httpMethod' | 'type'>;
  responses: (Omit<PutIntegrationResponseCommandInput, 'restApiId' | 'resourceId' | 'httpMethod'> & { headers?: string[] })[];
  variables?: Record<string, string>;
};

/** An API with one MOCK method `POST {path}`, deployed to stage `test`; returns its id once served. */
async function deployMock(setup: Setup): Promise<string> {
  const client = newClient();
  const { id: restApiId } = await client.send(new CreateRestApiCommand({ name: 'mapping' }));
  const { items } = await client.send(new GetResourcesCommand({ restApiId }));
  let parentId = items!.find((r) => r.path === '/')!.id!;
  for (const pathPart of (setup.path ?? '/').split('/').filter(Boolean)) {
    ({ id: parentId } = (await client.send(new CreateResourceCommand({ restApiId, parentId, pathPart }))) as { id: string });
  }
  const target = { restApiId, resourceId: parentId, httpMethod: 'POST' };
  await client.send(new PutMethodCommand({ ...target, authorizationType: 'NONE', requestParameters: setup.requestParameters }));
  await client.send(new PutIntegrationCommand({ ...target, type: 'MOCK', ...setup.integration }));
  for (const { headers, ...response } of setup.responses) {
    const responseParameters = Object.fromEntries((headers ?? []).map((h) => [`method.response.header.${h}`, false]));
    await client.send(new PutMethodResponseCommand({ ...target, statusCode: response.statusCode, responseParameters }));
    await client.send(new PutIntegrationResponseCommand({ ...target, ...response }));
  }
  await client.send(new CreateDeploymentCommand({ restApiId, stageName: 'test', variables: setup.variables }));
  await waitForStage(restApiId!, 'test');
  return restApiId!;
}

const post = (restApiId: string, path: string, body?: string, headers: Record<string, string> = {}) =>
  invoke(restApiId, 'test', path, { method: 'POST', body, headers });

describe('MOCK integration with mapping templates', () => {
  it('takes its status from the request template and maps the response with $input, $context and $stageVariables', async () => {
    const restApiId = await deployMock({
      path: '/pets/{petId}',
      variables: { env: 'staging' },
      integration: { requestTemplates: { 'application/json': '{"statusCode": 200}' } },
      responses: [
        {
          statusCode: '200',
          responseTemplates: {
            'application/json': [
              '{',
              '  "petId": "$input.params(\'petId\')",',
              '  "q": "$input.params(\'q\')",',
              '  "tenant": "$input.params(\'X-Tenant\')",',
              '  "stage": "$context.stage",',
              '  "method": "$context.httpMethod",',
              '  "resourcePath": "$context.resourcePath",',
              '  "path": "$context.path",',
              '  "apiId": "$context.apiId",',
              '  "requestId": "$context.requestId",',
              '  "sourceIp": "$context.identity.sourceIp",',
              '  "userAgent": "$util.escapeJavaScript($context.identity.userAgent)",',
              '  "env": "$stageVariables.env",',
              '  "time": "$context.requestTime"',
              '}',
            ].join('\n'),
          },
        },
      ],
    });
    const res = await post(restApiId, '/pets/42?q=dogs', undefined, { 'X-Tenant': 'acme', 'User-Agent': 'mapping-test/1.0' });
    assert.equal(res.status, 200, res.body);
    assert.equal(res.headers.get('content-type'), 'application/json');
    const body = JSON.parse(res.body);
    assert.deepEqual(
      { ...body, requestId: undefined, time: undefined },
      { petId: '42', q: 'dogs', tenant: 'acme', stage: 'test', method: 'POST', resourcePath: '/pets/{petId}', path: '/test/pets/42', apiId: restApiId, requestId: undefined, sourceIp: '127.0.0.1', userAgent: 'mapping-test/1.0', env: 'staging', time: undefined },
    );
    assert.match(res.body, /"userAgent": "mapping-test\\\/1\.0"/, 'escapeJavaScript escapes / as Commons Lang does');
    assert.equal(body.requestId, res.headers.get('x-amzn-requestid'));
    assert.match(body.time, /^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
  });

  it('selects the integration response by selectionPattern on the status the template chose', async () => {
    const restApiId = await deployMock({
      integration: {
        requestTemplates: { 'application/json': `#if($input.path('$.found') == false){"statusCode": 404}#else{statusCode: 200}#end` },
      },
      responses: [
        { statusCode: '200', responseTemplates: { 'application/json': '{"id": 42}' } },
        { statusCode: '404', selectionPattern: '4\\d{2}', responseTemplates: { 'application/json': '{"message": "no pet for $input.params(\'who\')"}' } },
      ],
    });
    const found = await post(restApiId, '/', '{"found": true}', { 'content-type': 'application/json' });
    assert.deepEqual([found.status, found.body], [200, '{"id": 42}']);
    const missing = await post(restApiId, '/?who=rex', '{"found": false}', { 'content-type': 'application/json' });
    assert.deepEqual([missing.status, missing.body], [404, '{"message": "no pet for rex"}']);
  });

  it('answers 500 when no integration response matches and none is the default', async () => {
    const restApiId = await deployMock({
      integration: { requestTemplates: { 'application/json': '{"statusCode": 200}' } },
      responses: [{ statusCode: '400', selectionPattern: '4\\d{2}' }],
    });
    const res = await post(restApiId, '/');
    assert.deepEqual([res.status, JSON.parse(res.body)], [500, { message: 'Internal server error' }]);
  });

  it('maps response headers from the context, stage variables and static values', async () => {
    const restApiId = await deployMock({
      variables: { version: 'v7' },
      integration: { requestTemplates: { 'application/json': '{"statusCode": 201}' } },
      responses: [
        {
          statusCode: '201',
          headers: ['X-Request-Id', 'X-Version', 'Access-Control-Allow-Origin'],
          responseParameters: {
            'method.response.header.X-Request-Id': 'context.requestId',
            'method.response.header.X-Version': 'stageVariables.version',
            'method.response.header.Access-Control-Allow-Origin': "'*'",
          },
        },
      ],
    });
    const res = await post(restApiId, '/');
    assert.equal(res.status, 201);
    assert.equal(res.headers.get('x-request-id'), res.headers.get('x-amzn-requestid'));
    assert.equal(res.headers.get('x-version'), 'v7');
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
  });

  it('chooses the response template by Accept', async () => {
    const restApiId = await deployMock({
      integration: { requestTemplates: { 'application/json': '{"statusCode": 200}' } },
      responses: [{ statusCode: '200', responseTemplates: { 'application/json': '{"format": "json"}', 'application/xml': '<format>xml</format>' } }],
    });
    const xml = await post(restApiId, '/', undefined, { accept: 'application/xml' });
    assert.deepEqual([xml.body, xml.headers.get('content-type')], ['<format>xml</format>', 'application/xml']);
    const json = await post(restApiId, '/', undefined, { accept: 'text/html, */*' });
    assert.deepEqual([json.body, json.headers.get('content-type')], ['{"format": "json"}', 'application/json']);
  });

  it('answers 500 Internal server error for a runaway template, and keeps serving', async () => {
    const restApiId = await deployMock({
      integration: { requestTemplates: { 'application/json': '#foreach($a in [1..1000])#foreach($b in [1..1000])#foreach($c in [1..1000])#end#end#end{"statusCode": 200}' } },
      responses: [{ statusCode: '200' }],
    });
    const res = await post(restApiId, '/');
    assert.deepEqual([res.status, JSON.parse(res.body)], [500, { message: 'Internal server error' }]);
    assert.equal(res.headers.get('x-amzn-errortype'), 'ApiConfigurationException');
  });
});

describe('passthrough behavior', () => {
  const templates = { 'application/json': '{"statusCode": 200}' };
  const responses = [{ statusCode: '200', responseTemplates: { 'application/json': '{"ok": true}' } }];

  it('WHEN_NO_MATCH passes an unmatched content type through', async () => {
    const restApiId = await deployMock({ integration: { requestTemplates: templates, passthroughBehavior: 'WHEN_NO_MATCH' }, responses });
    const res = await post(restApiId, '/', '{"statusCode": 200}', { 'content-type': 'text/plain' });
    assert.deepEqual([res.status, res.body], [200, '{"ok": true}']);
  });

  it('WHEN_NO_TEMPLATES refuses an unmatched content type once templates exist', async () => {
    const restApiId = await deployMock({ integration: { requestTemplates: templates, passthroughBehavior: 'WHEN_NO_TEMPLATES' }, responses });
    const refused = await post(restApiId, '/', 'hello', { 'content-type': 'text/plain' });
    assert.deepEqual([refused.status, JSON.parse(refused.body)], [415, { message: 'Unsupported Media Type' }]);
    assert.equal(refused.headers.get('x-amzn-errortype'), 'UnsupportedMediaTypeException');
    const matched = await post(restApiId, '/', '{}', { 'content-type': 'application/json; charset=utf-8' });
    assert.equal(matched.status, 200);
    const noContentType = await post(restApiId, '/');
    assert.equal(noContentType.status, 200, 'a request without Content-Type is taken as application/json');
  });

  it('WHEN_NO_TEMPLATES passes everything through when there are no templates', async () => {
    const restApiId = await deployMock({ integration: { passthroughBehavior: 'WHEN_NO_TEMPLATES' }, responses });
    const res = await post(restApiId, '/', '{"statusCode": 200}', { 'content-type': 'text/plain' });
    assert.equal(res.status, 200);
  });

  it('NEVER refuses a request no template matches', async () => {
    const restApiId = await deployMock({ integration: { passthroughBehavior: 'NEVER' }, responses });
    const res = await post(restApiId, '/', '{}', { 'content-type': 'application/json' });
    assert.deepEqual([res.status, JSON.parse(res.body)], [415, { message: 'Unsupported Media Type' }]);
  });
});
