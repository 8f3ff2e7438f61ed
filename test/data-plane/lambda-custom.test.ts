// Custom (non-proxy) Lambda integrations end to end, as the Developer Guide's Simple Calculator API
// and "Handle Lambda errors in API Gateway" set them up: request templates (or passthrough) build the
// payload, the function's result goes through integration response mapping, a function error's
// errorMessage is matched by selectionPattern — unmatched errors take the default response.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import {
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
  type PutIntegrationCommandInput,
  type PutIntegrationResponseCommandInput,
} from '@aws-sdk/client-api-gateway';
import { newClient } from '../helpers/client.js';
import { invoke, waitForStage } from '../helpers/invoke.js';

const client = newClient();
let restApiId: string;

const functionUri = (name: string) => `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:${client.accountId}:function:${name}/invocations`;

type Response = Omit<PutIntegrationResponseCommandInput, 'restApiId' | 'resourceId' | 'httpMethod'>;

async function resource(parentId: string, pathPart: string): Promise<string> {
  return (await client.send(new CreateResourceCommand({ restApiId, parentId, pathPart }))).id!;
}

async function lambdaMethod(resourceId: string, httpMethod: string, functionName: string, integration: Partial<PutIntegrationCommandInput>, responses: Response[]) {
  const target = { restApiId, resourceId, httpMethod };
  await client.send(new PutMethodCommand({ ...target, authorizationType: 'NONE' }));
  await client.send(new PutIntegrationCommand({ ...target, type: 'AWS', integrationHttpMethod: 'POST', uri: functionUri(functionName), ...integration }));
  for (const response of responses) {
    await client.send(new PutMethodResponseCommand({ ...target, statusCode: response.statusCode }));
    await client.send(new PutIntegrationResponseCommand({ ...target, ...response }));
  }
}

/** The calculator's integration responses: its result reshaped; its input errors as 400. */
const calculatorResponses: Response[] = [
  {
    statusCode: '200',
    responseTemplates: { 'application/json': '{"input": {"a": $input.json(\'$.a\'), "b": $input.json(\'$.b\'), "op": $input.json(\'$.op\')}, "output": {"c": $input.json(\'$.c\')}}' },
  },
  { statusCode: '400', selectionPattern: 'Invalid.*', responseTemplates: { 'application/json': '{"message": $input.json(\'$.errorMessage\')}' } },
];

const call = (path: string, init: RequestInit = {}) => invoke(restApiId, 'test', path, init);

before(async () => {
  const api = await client.send(new CreateRestApiCommand({ name: 'LambdaCalc' }));
  restApiId = api.id!;
  const root = api.rootResourceId!;

  // POST /calc: the JSON body passes through; GET /calc: the query string becomes the payload.
  const calc = await resource(root, 'calc');
  await lambdaMethod(calc, 'POST', 'calculator', {}, calculatorResponses);
  await lambdaMethod(calc, 'GET', 'calculator', {
    requestTemplates: { 'application/json': '{"a": "$input.params(\'operand1\')", "b": "$input.params(\'operand2\')", "op": "$input.params(\'operator\')"}' },
  }, calculatorResponses);
  // GET /{operand1}/{operand2}/{operator}: the path does.
  const operator = await resource(await resource(await resource(root, '{operand1}'), '{operand2}'), '{operator}');
  await lambdaMethod(operator, 'GET', 'calculator', {
    requestTemplates: { 'application/json': '{"a": "$input.params(\'operand1\')", "b": "$input.params(\'operand2\')", "op": "$input.params(\'operator\')"}' },
  }, calculatorResponses);

  // The error-handling walkthrough: string messages matched by prefix, JSON messages by content.
  await lambdaMethod(await resource(root, 'fail'), 'GET', 'throws', {
    requestTemplates: { 'application/json': '{"message": "$util.escapeJavaScript($input.params(\'message\'))"}' },
  }, [
    { statusCode: '200' },
    { statusCode: '400', selectionPattern: 'Malformed.*' },
    {
      statusCode: '503',
      selectionPattern: '.*"httpStatus":503.*',
      responseTemplates: {
        'application/json': '#set ($errorMessageObj = $util.parseJson($input.path(\'$.errorMessage\')))\n{"type": "$errorMessageObj.type", "status": $errorMessageObj.httpStatus}',
      },
    },
  ]);
  await lambdaMethod(await resource(root, 'timeout'), 'GET', 'timeout', {}, [
    { statusCode: '200' },
    { statusCode: '504', selectionPattern: '.*Task timed out after.*', responseTemplates: { 'application/json': '{"timedOut": true}' } },
  ]);
  await lambdaMethod(await resource(root, 'echo'), 'POST', 'passthrough', {}, [{ statusCode: '200' }]);
  await lambdaMethod(await resource(root, 'async'), 'POST', 'slow', {
    requestParameters: { 'integration.request.header.X-Amz-Invocation-Type': "'Event'" },
  }, [{ statusCode: '200' }]);
  await lambdaMethod(await resource(root, 'get-method'), 'POST', 'passthrough', { integrationHttpMethod: 'GET' }, [{ statusCode: '200' }]);

  await client.send(new CreateDeploymentCommand({ restApiId, stageName: 'test' }));
  await waitForStage(restApiId, 'test');
});

describe('the Simple Calculator', () => {
  it('passes a JSON body through to the function and maps its result', async () => {
    const r = await call('/calc', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ a: 1, b: 2, op: 'add' }) });
    assert.equal(r.status, 200, r.body);
    assert.deepEqual(JSON.parse(r.body), { input: { a: 1, b: 2, op: 'add' }, output: { c: 3 } });
  });

  it('builds the payload from the query string with the request template', async () => {
    const r = await call('/calc?operand1=6&operand2=3&operator=div');
    assert.equal(r.status, 200, r.body);
    assert.deepEqual(JSON.parse(r.body), { input: { a: 6, b: 3, op: 'div' }, output: { c: 2 } });
  });

  it('builds the payload from path parameters', async () => {
    const r = await call('/7/5/sub');
    assert.equal(r.status, 200, r.body);
    assert.deepEqual(JSON.parse(r.body), { input: { a: 7, b: 5, op: 'sub' }, output: { c: 2 } });
  });

  it("answers the 400 response when the function's error matches its selectionPattern", async () => {
    const r = await call('/calc?operand1=2&operand2=3&operator=pow');
    assert.equal(r.status, 400);
    assert.deepEqual(JSON.parse(r.body), { message: 'Invalid operator: pow' });
    const missing = await call('/calc', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a": 1}' });
    assert.equal(missing.status, 400);
    assert.deepEqual(JSON.parse(missing.body), { message: 'Invalid input: a, b and op are required' });
  });
});

describe('Lambda errors', () => {
  it('answers the default response with the error object when no pattern matches', async () => {
    const r = await call(`/fail?message=${encodeURIComponent('Something odd happened')}`);
    assert.equal(r.status, 200);
    const error = JSON.parse(r.body) as { errorType: string; errorMessage: string; trace: string[] };
    assert.equal(error.errorType, 'Error');
    assert.equal(error.errorMessage, 'Something odd happened');
    assert.match(error.trace[0]!, /^Error: Something odd happened$/);
  });

  it('answers the matched response with the error object as its body', async () => {
    const r = await call(`/fail?message=${encodeURIComponent('Malformed input: no operands')}`);
    assert.equal(r.status, 400);
    assert.equal((JSON.parse(r.body) as { errorMessage: string }).errorMessage, 'Malformed input: no operands');
  });

  it('matches a JSON errorMessage and maps it with $util.parseJson', async () => {
    const r = await call(`/fail?message=${encodeURIComponent('{"type":"ServiceBusy","httpStatus":503}')}`);
    assert.equal(r.status, 503, r.body);
    assert.deepEqual(JSON.parse(r.body), { type: 'ServiceBusy', status: 503 });
  });

  it("matches Lambda's own timeout message", async () => {
    const r = await call('/timeout');
    assert.equal(r.status, 504, r.body);
    assert.deepEqual(JSON.parse(r.body), { timedOut: true });
  });
});

describe('invocation', () => {
  it('passes any JSON through and answers the result as it is', async () => {
    const body = { pets: [{ id: 1, type: 'dog' }], note: 'héllo' };
    const r = await call('/echo', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'application/json');
    assert.deepEqual(JSON.parse(r.body), body);
    const empty = await call('/echo', { method: 'POST' });
    assert.deepEqual(JSON.parse(empty.body), {});
  });

  it("invokes asynchronously when X-Amz-Invocation-Type is mapped to 'Event': 200, empty body, without waiting", async () => {
    const started = Date.now();
    const r = await call('/async', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"ms": 1500}' });
    const elapsed = Date.now() - started;
    assert.equal(r.status, 200);
    assert.equal(r.body, '');
    assert.ok(elapsed < 1500, `answered after ${elapsed} ms`);
  });

  it('answers 500 for an integration method other than POST', async () => {
    const r = await call('/get-method', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(r.status, 500);
    assert.equal(r.body, '{"message":"Internal server error"}');
  });
});
