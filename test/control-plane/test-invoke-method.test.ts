// TestInvokeMethod end to end, as the console's "Test" tab uses it: the method runs on the API as it is
// now — never deployed here — through the data plane's own steps (MOCK with mapping templates, HTTP
// against a backend this test runs on loopback, Lambda proxy and custom integrations with the
// functions of test/functions), with the path, query string, headers, body and stage variables the
// call gives, and answers status, body, headers and API Gateway's execution log. Authorizers, IAM
// and API keys do not apply to test calls; unknown resources and methods are AWS's NotFound errors.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import {
  CreateResourceCommand,
  CreateRequestValidatorCommand,
  CreateRestApiCommand,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
  TestInvokeMethodCommand,
  UpdateIntegrationResponseCommand,
  type PutIntegrationCommandInput,
  type TestInvokeMethodCommandInput,
  type TestInvokeMethodCommandOutput,
} from '@aws-sdk/client-api-gateway';
import { expectError, newClient } from '../helpers/client.js';

const client = newClient();
let restApiId: string;
let rootId: string;
const ids: Record<string, string> = {};
let backend: Server;
let backendUrl: string;

const functionUri = (name: string) => `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:${client.accountId}:function:${name}/invocations`;

/** A log line's `{date} : ` prefix, as API Gateway writes it. */
const DATED = /^[A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} UTC \d{4} : /;

/** The execution log's lines without their dates; asserts every line after the first has one. */
function logLines(log: string | undefined): string[] {
  const lines = (log ?? '').split('\n');
  assert.equal(lines.at(-1), '', 'the log ends with a newline');
  return lines.slice(0, -1).map((line, i) => {
    if (i === 0) return line;
    assert.match(line, DATED);
    return line.replace(DATED, '');
  });
}

const testInvoke = (resource: string, httpMethod: string, extra: Partial<TestInvokeMethodCommandInput> = {}) =>
  client.send(new TestInvokeMethodCommand({ restApiId, resourceId: ids[resource]!, httpMethod, ...extra }));

const json = (r: TestInvokeMethodCommandOutput) => JSON.parse(r.body!) as Record<string, any>;

async function resource(parentId: string, pathPart: string): Promise<string> {
  const id = (await client.send(new CreateResourceCommand({ restApiId, parentId, pathPart }))).id!;
  return id;
}

async function method(name: string, resourceId: string, httpMethod: string, integration?: Partial<PutIntegrationCommandInput>, extra: Record<string, unknown> = {}) {
  ids[name] = resourceId;
  await client.send(new PutMethodCommand({ restApiId, resourceId, httpMethod, authorizationType: 'NONE', ...extra }));
  if (integration) await client.send(new PutIntegrationCommand({ restApiId, resourceId, httpMethod, type: 'MOCK', ...integration }));
}

async function response(resourceId: string, httpMethod: string, statusCode: string, integration: Record<string, unknown> = {}, headers: string[] = []) {
  const responseParameters = Object.fromEntries(headers.map((h) => [`method.response.header.${h}`, false]));
  await client.send(new PutMethodResponseCommand({ restApiId, resourceId, httpMethod, statusCode, responseParameters }));
  await client.send(new PutIntegrationResponseCommand({ restApiId, resourceId, httpMethod, statusCode, ...integration }));
}

async function startBackend(): Promise<void> {
  backend = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.url!.startsWith('/slow')) return void setTimeout(() => res.end('late'), 1500);
      res.writeHead(201, { 'content-type': 'application/json', 'x-backend': 'yes' });
      res.end(JSON.stringify({ method: req.method, url: req.url, agent: req.headers['user-agent'], custom: req.headers['x-custom'] ?? null, body: Buffer.concat(chunks).toString('utf8') }));
    });
  });
  await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
  backendUrl = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;
}

before(async () => {
  await startBackend();
  const api = await client.send(new CreateRestApiCommand({ name: 'test-invoke-method' }));
  restApiId = api.id!;
  rootId = api.rootResourceId!;

  // The Developer Guide's PetStore as MOCKs, as AWS's recorded test calls set it up.
  const pets = await resource(rootId, 'pets');
  await method('pets', pets, 'GET', { requestTemplates: { 'application/json': '{"statusCode": 200}' } });
  await response(pets, 'GET', '200', { responseTemplates: { 'application/json': '{"pets": "all the pets"}' } });
  const pet = await resource(pets, '{petId}');
  for (const httpMethod of ['GET', 'POST']) {
    await method('pet', pet, httpMethod, { requestTemplates: { 'application/json': '{"statusCode": 200}' } });
    await response(pet, httpMethod, '200', { responseTemplates: { 'application/json': `{"petId": "$input.params('petId')"}` } });
  }

  // A MOCK answering the status the query string asks for, with a mapped header on its 404.
  const status = await resource(rootId, 'status');
  await method('status', status, 'GET', { requestTemplates: { 'application/json': `{"statusCode": $input.params('code')}` } });
  await response(status, 'GET', '200', { responseTemplates: { 'application/json': '{"ok": true}' } });
  await response(status, 'GET', '404', { selectionPattern: '404', responseParameters: { 'method.response.header.X-Reason': "'not here'" }, responseTemplates: { 'application/json': '{"ok": false}' } }, ['X-Reason']);

  // What a template sees of the test call: stage variables, $context, parameters, the body.
  const context = await resource(rootId, 'context');
  await method('context', context, 'POST', { requestTemplates: { 'application/json': '{"statusCode": 200}' } });
  await response(context, 'POST', '200', {
    responseTemplates: {
      'application/json': `{"stage": "$context.stage", "color": "$stageVariables.color", "q": "$input.params('q')", "custom": "$input.params('X-Custom')", "method": "$context.httpMethod", "resourcePath": "$context.resourcePath"}`,
    },
  });

  // Authorization and API keys do not apply to test calls.
  const secured = await resource(rootId, 'secured');
  await method('secured', secured, 'GET', { requestTemplates: { 'application/json': '{"statusCode": 200}' } }, { authorizationType: 'AWS_IAM', apiKeyRequired: true });
  await response(secured, 'GET', '200', { responseTemplates: { 'application/json': '{"secured": "yes"}' } });

  // Request validation does.
  const validator = await client.send(new CreateRequestValidatorCommand({ restApiId, name: 'params', validateRequestParameters: true }));
  const validated = await resource(rootId, 'validated');
  await method('validated', validated, 'GET', { requestTemplates: { 'application/json': '{"statusCode": 200}' } }, {
    requestValidatorId: validator.id,
    requestParameters: { 'method.request.querystring.q': true },
  });
  await response(validated, 'GET', '200');

  // HTTP against the local backend, its host from a stage variable.
  const http = await resource(rootId, 'http');
  await method('http', http, 'POST', {
    type: 'HTTP',
    integrationHttpMethod: 'PUT',
    uri: 'http://${stageVariables.backend}/items/{id}',
    requestParameters: { 'integration.request.path.id': 'method.request.querystring.id', 'integration.request.header.x-custom': "'mapped'" },
    requestTemplates: { 'application/json': '{"wrapped": $input.json(\'$\')}' },
  }, { requestParameters: { 'method.request.querystring.id': false } });
  await response(http, 'POST', '200', { selectionPattern: '2\\d{2}', responseParameters: { 'method.response.header.X-Backend': 'integration.response.header.x-backend' } }, ['X-Backend']);
  const proxy = await resource(rootId, 'proxy');
  await method('proxy', proxy, 'GET', { type: 'HTTP_PROXY', integrationHttpMethod: 'GET', uri: `${backendUrl}/proxied` });
  const slow = await resource(rootId, 'slow');
  await method('slow', slow, 'GET', { type: 'HTTP_PROXY', integrationHttpMethod: 'GET', uri: `${backendUrl}/slow`, timeoutInMillis: 300 });
  const nowhere = await resource(rootId, 'nowhere');
  await method('nowhere', nowhere, 'GET', { type: 'HTTP', integrationHttpMethod: 'GET', uri: 'http://${stageVariables.host}/pets' });
  await response(nowhere, 'GET', '200');

  // Lambda: proxy and custom.
  const lambda = await resource(rootId, 'lambda');
  await method('lambda', lambda, 'PUT', { type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: functionUri('${stageVariables.fn}') });
  const respond = await resource(rootId, 'respond');
  await method('respond', respond, 'POST', { type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: functionUri('proxy-response') });
  const throws = await resource(rootId, 'throws');
  await method('throws', throws, 'GET', { type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: functionUri('throws') });
  const calc = await resource(rootId, 'calc');
  await method('calc', calc, 'POST', { type: 'AWS', integrationHttpMethod: 'POST', uri: functionUri('calculator') });
  await response(calc, 'POST', '200');
  await response(calc, 'POST', '400', { selectionPattern: 'Invalid.*', responseTemplates: { 'application/json': `{"error": $input.json('$.errorMessage')}` } });

  // Another AWS service, whose endpoint (PORTICO_AWS_ENDPOINT_*) this control plane does not have.
  const service = await resource(rootId, 'service');
  await method('service', service, 'GET', { type: 'AWS', integrationHttpMethod: 'GET', uri: 'arn:aws:apigateway:us-east-1:portico-unset:path/items' });
  await response(service, 'GET', '200');

  // A method without an integration, and one without an integration response for its status.
  const bare = await resource(rootId, 'bare');
  await method('bare', bare, 'GET');
  const unmapped = await resource(rootId, 'unmapped');
  await method('unmapped', unmapped, 'GET', { requestTemplates: { 'application/json': '{"statusCode": 200}' } });
});

after(() => new Promise<void>((resolve) => backend.close(() => resolve())));

describe('MOCK integrations, as AWS recorded them', () => {
  it('answers the response template with the execution log', async () => {
    const r = await testInvoke('pets', 'GET', { pathWithQueryString: '/pets' });
    assert.equal(r.status, 200);
    assert.deepEqual(json(r), { pets: 'all the pets' });
    assert.deepEqual(r.headers, { 'Content-Type': 'application/json' });
    assert.deepEqual(r.multiValueHeaders, { 'Content-Type': ['application/json'] });
    assert.equal(typeof r.latency, 'number');
    const lines = logLines(r.log);
    const requestId = /^Execution log for request ([0-9a-f-]{36})$/.exec(lines[0]!)?.[1];
    assert.ok(requestId, lines[0]);
    assert.deepEqual(lines.slice(1), [
      `Starting execution for request: ${requestId}`,
      'HTTP Method: GET, Resource Path: /pets',
      'Method request path: {}',
      'Method request query string: {}',
      'Method request headers: {}',
      'Method request body before transformations: ',
      'Method response body after transformations: {"pets": "all the pets"}',
      'Method response headers: {Content-Type=application/json}',
      'Successfully completed execution',
      'Method completed with status: 200',
    ]);
  });

  it('reads path parameters from the path given, and the query string', async () => {
    const r = await testInvoke('pet', 'GET', { pathWithQueryString: '/pets/123?foo=bar' });
    assert.deepEqual(json(r), { petId: '123' });
    const lines = logLines(r.log);
    assert.deepEqual(lines.slice(2, 5), ['HTTP Method: GET, Resource Path: /pets/123', 'Method request path: {petId=123}', 'Method request query string: {foo=bar}']);
  });

  it('takes the resource path itself when no path is given', async () => {
    const r = await testInvoke('pet', 'GET');
    assert.deepEqual(json(r), { petId: '{petId}' });
    assert.deepEqual(logLines(r.log).slice(2, 4), ['HTTP Method: GET, Resource Path: /pets/{petId}', 'Method request path: {petId={petId}}']);
  });

  it('runs the method under test even when the path names another resource', async () => {
    const r = await testInvoke('pet', 'GET', { pathWithQueryString: '/random/test' });
    assert.equal(r.status, 200);
    assert.deepEqual(json(r), { petId: '' });
    assert.deepEqual(logLines(r.log).slice(2, 4), ['HTTP Method: GET, Resource Path: /random/test', 'Method request path: {}']);
  });

  it('logs the body it was given', async () => {
    const r = await testInvoke('pet', 'POST', { pathWithQueryString: '/pets/123', body: '{"foo": "bar"}' });
    assert.deepEqual(json(r), { petId: '123' });
    assert.ok(logLines(r.log).includes('Method request body before transformations: {"foo": "bar"}'));
  });

  it('selects the integration response and maps its headers under their own names', async () => {
    const ok = await testInvoke('status', 'GET', { pathWithQueryString: '/status?code=200' });
    assert.deepEqual([ok.status, json(ok)], [200, { ok: true }]);
    const missing = await testInvoke('status', 'GET', { pathWithQueryString: '/status?code=404' });
    assert.deepEqual([missing.status, json(missing)], [404, { ok: false }]);
    assert.deepEqual(missing.headers, { 'Content-Type': 'application/json', 'X-Reason': 'not here' });
    assert.ok(logLines(missing.log).includes('Method response headers: {Content-Type=application/json, X-Reason=not here}'));
    assert.equal(logLines(missing.log).at(-1), 'Method completed with status: 404');
  });

  it('gives templates the stage variables, headers, query string and $context of a test call', async () => {
    const r = await testInvoke('context', 'POST', {
      pathWithQueryString: '/context?q=a+b&q=last',
      headers: { 'X-Custom': 'single' },
      multiValueHeaders: { Accept: ['application/json'] },
      stageVariables: { color: 'blue' },
      body: '{}',
    });
    assert.equal(r.status, 200, r.body);
    assert.deepEqual(json(r), { stage: 'test-invoke-stage', color: 'blue', q: 'last', custom: 'single', method: 'POST', resourcePath: '/context' });
    const lines = logLines(r.log);
    assert.ok(lines.includes('Method request query string: {q=last}'), lines.join('\n'));
    assert.ok(lines.includes('Method request headers: {Accept=application/json, X-Custom=single}'), lines.join('\n'));
  });

  it('runs no authorization and needs no API key', async () => {
    const r = await testInvoke('secured', 'GET');
    assert.deepEqual([r.status, json(r)], [200, { secured: 'yes' }]);
  });

  it('runs the current definition, deployed or not', async () => {
    await client.send(new UpdateIntegrationResponseCommand({
      restApiId, resourceId: ids.pets!, httpMethod: 'GET', statusCode: '200',
      patchOperations: [{ op: 'replace', path: '/responseTemplates/application~1json', value: '{"pets": "changed"}' }],
    }));
    assert.deepEqual(json(await testInvoke('pets', 'GET')), { pets: 'changed' });
  });
});

describe('failures', () => {
  it('validates the request as the method says', async () => {
    const r = await testInvoke('validated', 'GET', { pathWithQueryString: '/validated' });
    assert.equal(r.status, 400);
    assert.deepEqual(json(r), { message: 'Missing required request parameters: [q]' });
    assert.deepEqual(logLines(r.log).slice(-2), ['Missing required request parameters: [q]', 'Method completed with status: 400']);
    assert.equal((await testInvoke('validated', 'GET', { pathWithQueryString: '/validated?q=1' })).status, 200);
  });

  it('answers an endpoint that is no address with 500, as AWS recorded it', async () => {
    const r = await testInvoke('nowhere', 'GET', { stageVariables: { host: 'no such host' } });
    assert.equal(r.status, 500);
    assert.deepEqual(json(r), { message: 'Internal server error' });
    assert.deepEqual(Object.keys(r.headers!), ['x-amzn-ErrorType']);
    assert.deepEqual(Object.keys(r.multiValueHeaders!), ['x-amzn-ErrorType']);
    assert.deepEqual(logLines(r.log).slice(6), [
      'Method request body before transformations: ',
      'Execution failed due to configuration error: Invalid endpoint address',
      'Method completed with status: 500',
    ]);
  });

  it('says when a method has no integration, or no integration response for the answer', async () => {
    const bare = await testInvoke('bare', 'GET');
    assert.equal(bare.status, 500);
    assert.ok(logLines(bare.log).includes('Execution failed due to configuration error: No integration defined for method'), bare.log);
    const unmapped = await testInvoke('unmapped', 'GET');
    assert.equal(unmapped.status, 500);
    assert.ok(
      logLines(unmapped.log).includes('Execution failed due to configuration error: No match for output mapping and no default output mapping configured. Endpoint Response Status Code: 200'),
    );
  });

  it('says when an AWS service integration has no endpoint to call', async () => {
    const r = await testInvoke('service', 'GET');
    assert.equal(r.status, 500);
    assert.deepEqual(json(r), { message: 'Internal server error' });
    assert.deepEqual(logLines(r.log).slice(-2), [
      'Execution failed due to configuration error: No endpoint for AWS service portico-unset (PORTICO_AWS_ENDPOINT_PORTICO_UNSET)',
      'Method completed with status: 500',
    ]);
  });

  it('answers AWS NotFound errors for unknown APIs, resources and methods', async () => {
    await expectError(testInvoke('pets', 'DELETE'), 'NotFoundException', 404, 'Invalid Method identifier specified');
    await expectError(client.send(new TestInvokeMethodCommand({ restApiId, resourceId: 'nosuch', httpMethod: 'GET' })), 'NotFoundException', 404, 'Invalid Resource identifier specified');
    await expectError(client.send(new TestInvokeMethodCommand({ restApiId: 'nosuchapi', resourceId: ids.pets!, httpMethod: 'GET' })), 'NotFoundException', 404, 'Invalid Resource identifier specified');
    // Another account's API is as unknown as one that does not exist.
    await expectError(newClient().send(new TestInvokeMethodCommand({ restApiId, resourceId: ids.pets!, httpMethod: 'GET' })), 'NotFoundException', 404, 'Invalid Resource identifier specified');
  });
});

describe('HTTP integrations', () => {
  it('calls the backend with the mapped request and logs both sides of the call', async () => {
    const r = await testInvoke('http', 'POST', {
      pathWithQueryString: '/http?id=42',
      headers: { 'Content-Type': 'application/json' },
      body: '{"name": "rex"}',
      stageVariables: { backend: new URL(backendUrl).host },
    });
    assert.equal(r.status, 200, r.body);
    const seen = json(r);
    assert.deepEqual(seen, { method: 'PUT', url: '/items/42', agent: `AmazonAPIGateway_${restApiId}`, custom: 'mapped', body: '{"wrapped": {"name":"rex"}}' });
    assert.deepEqual(Object.keys(r.headers!), ['X-Amzn-Trace-Id', 'Content-Type', 'X-Backend']);
    assert.match(r.headers!['X-Amzn-Trace-Id']!, /^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    assert.equal(r.headers!['X-Backend'], 'yes');

    const lines = logLines(r.log);
    const at = (prefix: string) => lines.findIndex((line) => line.startsWith(prefix));
    const uri = `${backendUrl}/items/42`;
    assert.equal(lines[at('Endpoint request URI: ')], `Endpoint request URI: ${uri}`);
    assert.match(lines[at('Endpoint request headers: ')]!, /x-custom=mapped/);
    assert.match(lines[at('Endpoint request headers: ')]!, new RegExp(`User-Agent=AmazonAPIGateway_${restApiId}`));
    assert.equal(lines[at('Endpoint request body after transformations: ')], 'Endpoint request body after transformations: {"wrapped": {"name":"rex"}}');
    assert.equal(lines[at('Sending request to ')], `Sending request to ${uri}`);
    assert.match(lines[at('Received response. ')]!, /^Received response\. Status: 201, Integration latency: \d+ ms$/);
    assert.match(lines[at('Endpoint response headers: ')]!, /x-backend=yes/);
    assert.equal(lines[at('Endpoint response body before transformations: ')], `Endpoint response body before transformations: ${r.body}`);
    assert.equal(lines[at('Method response body after transformations: ')], `Method response body after transformations: ${r.body}`);
    // In the order API Gateway writes them.
    const order = ['Method request body', 'Endpoint request URI', 'Endpoint request headers', 'Endpoint request body', 'Sending request', 'Received response', 'Endpoint response headers', 'Endpoint response body', 'Method response body', 'Method response headers', 'Successfully completed execution', 'Method completed with status: 200'].map(at);
    assert.deepEqual(order, [...order].sort((a, b) => a - b));
    assert.ok(!order.includes(-1), lines.join('\n'));
  });

  it('passes an HTTP_PROXY call through, headers included', async () => {
    const r = await testInvoke('proxy', 'GET', { pathWithQueryString: '/proxy?a=1', headers: { 'X-Custom': 'from-test' } });
    assert.equal(r.status, 201);
    assert.deepEqual(json(r), { method: 'GET', url: '/proxied?a=1', agent: `AmazonAPIGateway_${restApiId}`, custom: 'from-test', body: '' });
    assert.ok(logLines(r.log).includes('Method completed with status: 201'));
  });

  it('answers 504 when the backend is slower than the integration timeout', async () => {
    const r = await testInvoke('slow', 'GET');
    assert.equal(r.status, 504);
    assert.deepEqual(json(r), { message: 'Endpoint request timed out' });
    const lines = logLines(r.log);
    assert.ok(lines.some((line) => line === `Sending request to ${backendUrl}/slow`));
    assert.deepEqual(lines.slice(-2), ['Execution failed due to a timeout error', 'Method completed with status: 504']);
  });
});

describe('Lambda integrations', () => {
  it('invokes a proxy function with the event of the test call', async () => {
    const r = await testInvoke('lambda', 'PUT', {
      pathWithQueryString: '/lambda?x=1&x=2',
      headers: { 'X-Custom': 'v' },
      body: 'hello',
      stageVariables: { fn: 'echo' },
    });
    assert.equal(r.status, 200, r.body);
    const { event } = json(r);
    assert.equal(event.resource, '/lambda');
    assert.equal(event.path, '/lambda');
    assert.equal(event.httpMethod, 'PUT');
    assert.equal(event.body, 'hello');
    assert.equal(event.headers['X-Custom'], 'v');
    assert.deepEqual(event.queryStringParameters, { x: '2' });
    assert.deepEqual(event.multiValueQueryStringParameters, { x: ['1', '2'] });
    assert.deepEqual(event.stageVariables, { fn: 'echo' });
    assert.equal(event.requestContext.stage, 'test-invoke-stage');
    assert.equal(event.requestContext.resourceId, ids.lambda);
    assert.equal(event.requestContext.accountId, client.accountId);

    const lines = logLines(r.log);
    const uri = `https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/arn:aws:lambda:us-east-1:${client.accountId}:function:echo/invocations`;
    assert.ok(lines.includes(`Endpoint request URI: ${uri}`), lines.join('\n'));
    const sent = lines.find((line) => line.startsWith('Endpoint request body after transformations: '))!;
    assert.deepEqual(JSON.parse(sent.slice('Endpoint request body after transformations: '.length)), event);
    assert.ok(lines.some((line) => /^Received response\. Status: 200, Integration latency: \d+ ms$/.test(line)));
    // The Invoke API call's headers and Lambda's answer, named as AWS's recorded logs name them.
    const requestHeaders = lines.find((line) => line.startsWith('Endpoint request headers: '))!;
    assert.ok(requestHeaders.includes(`x-amzn-apigateway-api-id=${restApiId}, Accept=application/json, User-Agent=AmazonAPIGateway_${restApiId}`), requestHeaders);
    assert.match(requestHeaders, /^Endpoint request headers: \{x-amzn-lambda-integration-tag=[0-9a-f-]{36}, /);
    const responseHeaders = lines.find((line) => line.startsWith('Endpoint response headers: '))!;
    assert.match(responseHeaders, /Content-Type=application\/json, Content-Length=\d+, X-Amz-Executed-Version=\$LATEST\}$/);
    assert.deepEqual(lines.slice(-4), [`Method response body after transformations: ${r.body}`, lines.at(-3), 'Successfully completed execution', 'Method completed with status: 200']);
    assert.match(lines.at(-3)!, /^Method response headers: \{X-Amzn-Trace-Id=Root=1-[0-9a-f]{8}-[0-9a-f]{24}, /);
  });

  it("returns a proxy function's headers named as it wrote them", async () => {
    const r = await testInvoke('respond', 'POST', {
      body: JSON.stringify({ statusCode: 202, headers: { 'X-Custom-Header': 'one' }, multiValueHeaders: { 'Set-Cookie': ['a=1', 'b=2'] }, body: 'accepted' }),
    });
    assert.equal(r.status, 202);
    assert.equal(r.body, 'accepted');
    assert.equal(r.headers!['X-Custom-Header'], 'one');
    assert.deepEqual(r.multiValueHeaders!['Set-Cookie'], ['a=1', 'b=2']);
    assert.equal(r.headers!['Content-Type'], 'application/json');
  });

  it('answers 502 when a proxy function fails, saying why', async () => {
    const r = await testInvoke('throws', 'GET');
    assert.equal(r.status, 502);
    assert.deepEqual(json(r), { message: 'Internal server error' });
    const lines = logLines(r.log);
    assert.deepEqual(lines.slice(-2), ['Lambda execution failed with status 200 due to customer function error: Malformed input: nothing to work on', 'Method completed with status: 502']);
    const malformed = await testInvoke('respond', 'POST', { body: '{"unexpected": true}' });
    assert.equal(malformed.status, 502);
    assert.deepEqual(logLines(malformed.log).slice(-2), ['Execution failed due to configuration error: Malformed Lambda proxy response', 'Method completed with status: 502']);
  });

  it('maps a custom integration and its errors by selection pattern', async () => {
    const r = await testInvoke('calc', 'POST', { body: '{"a": 2, "b": 3, "op": "+"}' });
    assert.equal(r.status, 200, r.body);
    assert.deepEqual(json(r), { a: 2, b: 3, op: '+', c: 5 });
    assert.ok(logLines(r.log).includes('Endpoint request body after transformations: {"a": 2, "b": 3, "op": "+"}'));
    const failed = await testInvoke('calc', 'POST', { body: '{"a": 2, "b": 3, "op": "^"}' });
    assert.equal(failed.status, 400);
    assert.deepEqual(json(failed), { error: 'Invalid operator: ^' });
  });
});
