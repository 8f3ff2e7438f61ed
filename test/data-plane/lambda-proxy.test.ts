// Lambda proxy integrations end to end, as the Developer Guide's "Build an API with Lambda proxy
// integration" sets them up, with the functions of test/functions in the built-in runner: the event
// exactly as API Gateway builds it, the response contract (502 on anything else), binary payloads,
// and functions that throw, time out, loop or exhaust their memory without harming the worker —
// while warm environments are reused and invocations run side by side.
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { before, describe, it } from 'node:test';
import {
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  PutIntegrationCommand,
  PutMethodCommand,
  type PutIntegrationCommandInput,
} from '@aws-sdk/client-api-gateway';
import { request } from 'undici';
import { newClient } from '../helpers/client.js';
import { invoke, waitForStage, workerEndpoint, type Invocation } from '../helpers/invoke.js';

const client = newClient();
const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0x80, 0x7f]);
let restApiId: string;
let deploymentId: string;
const resourceIds: Record<string, string> = {};

const functionUri = (name: string) => `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:${client.accountId}:function:${name}/invocations`;

async function proxyResource(parentId: string, pathPart: string, functionName: string, extra: Partial<PutIntegrationCommandInput> = {}): Promise<string> {
  const resourceId = (await client.send(new CreateResourceCommand({ restApiId, parentId, pathPart }))).id!;
  resourceIds[pathPart] = resourceId;
  await client.send(new PutMethodCommand({ restApiId, resourceId, httpMethod: 'ANY', authorizationType: 'NONE' }));
  await client.send(new PutIntegrationCommand({ restApiId, resourceId, httpMethod: 'ANY', type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: functionUri(functionName), ...extra }));
  return resourceId;
}

const call = (path: string, init: RequestInit = {}) => invoke(restApiId, 'test', path, init);

/** What the echo function answers: the event, and what its context and environment said. */
type Echoed = { event: Record<string, any>; context: Record<string, any> };
const echoed = (r: Invocation): Echoed => JSON.parse(r.body) as Echoed;

/** A POST's response with its header names exactly as they came over the wire. */
function rawResponse(path: string, body: string): Promise<{ rawHeaders: string[]; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${workerEndpoint}/restapis/${restApiId}/test/_user_request_${path}`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ rawHeaders: res.rawHeaders, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function assertInternalServerError(r: Invocation, status = 502) {
  assert.equal(r.status, status, r.body);
  assert.equal(r.body, '{"message":"Internal server error"}');
  if (status === 502) assert.equal(r.headers.get('x-amzn-errortype'), 'InternalServerErrorException');
}

before(async () => {
  const api = await client.send(new CreateRestApiCommand({ name: 'lambda-proxy', binaryMediaTypes: ['image/png'] }));
  restApiId = api.id!;
  const root = api.rootResourceId!;
  await proxyResource(root, '{proxy+}', 'echo');
  const fixed = await proxyResource(root, 'fixed', 'echo');
  await proxyResource(fixed, '{id}', 'echo');
  await proxyResource(root, 'staged', '${stageVariables.fn}');
  await proxyResource(root, 'respond', 'proxy-response');
  await proxyResource(root, 'binary', 'binary');
  await proxyResource(root, 'callback', 'callback');
  await proxyResource(root, 'throws', 'throws');
  await proxyResource(root, 'timeout', 'timeout');
  await proxyResource(root, 'loop', 'loop');
  await proxyResource(root, 'oom', 'memory-hog');
  await proxyResource(root, 'exits', 'exits');
  await proxyResource(root, 'slow', 'slow');
  await proxyResource(root, 'impatient', 'slow', { timeoutInMillis: 300 });
  await proxyResource(root, 'counter', 'counter');
  await proxyResource(root, 'missing', 'no-such-function');
  await proxyResource(root, 'get-method', 'echo', { integrationHttpMethod: 'GET' });
  deploymentId = (await client.send(new CreateDeploymentCommand({ restApiId, stageName: 'test', variables: { fn: 'echo', color: 'blue' } }))).id!;
  await waitForStage(restApiId, 'test');
});

describe('the proxy event', () => {
  it('carries the method request as API Gateway builds it', async () => {
    const res = await request(`${workerEndpoint}/restapis/${restApiId}/test/_user_request_/hello/world?name=me&multi=you&multi=me`, {
      headers: ['User-Agent', 'lambda-proxy-test', 'tEsT-HEADeR', 'aValUE', 'x-twice', 'one', 'x-twice', 'two'],
    });
    const text = await res.body.text();
    assert.equal(res.statusCode, 200, text);
    const { event } = JSON.parse(text) as Echoed;
    const { headers, multiValueHeaders, requestContext } = event;

    assert.equal(headers['X-Amzn-Trace-Id'], multiValueHeaders['X-Amzn-Trace-Id'][0]);
    assert.match(headers['X-Amzn-Trace-Id'], /^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    assert.match(requestContext.requestTime, /^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    assert.ok(Math.abs(requestContext.requestTimeEpoch - Date.now()) < 60_000);
    const host = `127.0.0.1:${new URL(workerEndpoint).port}`;
    assert.deepEqual(event, {
      resource: '/{proxy+}',
      path: '/hello/world',
      httpMethod: 'GET',
      headers: {
        host,
        'User-Agent': 'lambda-proxy-test',
        'tEsT-HEADeR': 'aValUE',
        'x-twice': 'two',
        'X-Forwarded-For': '127.0.0.1',
        'X-Forwarded-Port': new URL(workerEndpoint).port,
        'X-Forwarded-Proto': 'http',
        'X-Amzn-Trace-Id': headers['X-Amzn-Trace-Id'],
      },
      multiValueHeaders: {
        host: [host],
        'User-Agent': ['lambda-proxy-test'],
        'tEsT-HEADeR': ['aValUE'],
        'x-twice': ['one', 'two'],
        'X-Forwarded-For': ['127.0.0.1'],
        'X-Forwarded-Port': [new URL(workerEndpoint).port],
        'X-Forwarded-Proto': ['http'],
        'X-Amzn-Trace-Id': [headers['X-Amzn-Trace-Id']],
      },
      queryStringParameters: { name: 'me', multi: 'me' },
      multiValueQueryStringParameters: { name: ['me'], multi: ['you', 'me'] },
      pathParameters: { proxy: 'hello/world' },
      stageVariables: { fn: 'echo', color: 'blue' },
      requestContext: {
        accountId: client.accountId,
        apiId: restApiId,
        deploymentId,
        domainName: '127.0.0.1',
        domainPrefix: '127',
        extendedRequestId: res.headers['x-amz-apigw-id'],
        httpMethod: 'GET',
        identity: {
          accessKey: null,
          accountId: null,
          caller: null,
          cognitoAuthenticationProvider: null,
          cognitoAuthenticationType: null,
          cognitoIdentityId: null,
          cognitoIdentityPoolId: null,
          principalOrgId: null,
          sourceIp: '127.0.0.1',
          user: null,
          userAgent: 'lambda-proxy-test',
          userArn: null,
        },
        path: '/test/hello/world',
        protocol: 'HTTP/1.1',
        requestId: res.headers['x-amzn-requestid'],
        requestTime: requestContext.requestTime,
        requestTimeEpoch: requestContext.requestTimeEpoch,
        resourceId: resourceIds['{proxy+}'],
        resourcePath: '/{proxy+}',
        stage: 'test',
      },
      body: null,
      isBase64Encoded: false,
    });
  });

  it('names the host-style domain and its prefix', async () => {
    const res = await request(`${workerEndpoint}/test/fixed/42`, { headers: { host: `${restApiId}.execute-api.localhost:4568` } });
    const { event } = JSON.parse(await res.body.text()) as Echoed;
    assert.equal(event.requestContext.domainName, `${restApiId}.execute-api.localhost`);
    assert.equal(event.requestContext.domainPrefix, restApiId);
    assert.equal(event.headers['X-Forwarded-Port'], '4568');
    assert.deepEqual([event.resource, event.path, event.pathParameters, event.requestContext.path], ['/fixed/{id}', '/fixed/42', { id: '42' }, '/test/fixed/42']);
  });

  it('keeps the path as the client sent it, as AWS recorded it', async () => {
    const cases: [string, string, string, string][] = [
      // request path after the stage, event.path, pathParameters.proxy, requestContext.path
      ['/proxy-value/', '/proxy-value/', 'proxy-value', '/test/proxy-value/'],
      ['/proxy-value//double-slash', '/proxy-value//double-slash', 'proxy-value//double-slash', '/test/proxy-value//double-slash'],
      ['//proxy-value', '/proxy-value', 'proxy-value', '/test//proxy-value'],
      ['/api/user/test%2Balias@gmail.com/plus/test+alias@gmail.com', '/api/user/test%2Balias@gmail.com/plus/test+alias@gmail.com', 'api/user/test%2Balias@gmail.com/plus/test+alias@gmail.com', '/test/api/user/test%2Balias@gmail.com/plus/test+alias@gmail.com'],
    ];
    for (const [path, eventPath, proxy, contextPath] of cases) {
      const { event } = echoed(await call(path));
      assert.deepEqual([event.path, event.pathParameters, event.requestContext.path], [eventPath, { proxy }, contextPath], path);
    }
  });

  it('decodes query strings as forms: `+` is a space', async () => {
    const { event } = echoed(await call('/q?email=test%2Balias%40gmail.com&plus=test+alias@gmail.com&whitespace=foo%20bar&empty'));
    assert.deepEqual(event.queryStringParameters, { email: 'test+alias@gmail.com', plus: 'test alias@gmail.com', whitespace: 'foo bar', empty: '' });
  });

  it('passes a text body as it is, without the connection headers', async () => {
    const { event } = echoed(await call('/post', { method: 'POST', headers: { 'content-type': 'application/json;charset=utf-8' }, body: '{\r\n\t"a": 1\r\n}' }));
    assert.equal(event.httpMethod, 'POST');
    assert.equal(event.body, '{\r\n\t"a": 1\r\n}');
    assert.equal(event.isBase64Encoded, false);
    assert.equal(event.headers['content-type'], 'application/json;charset=utf-8');
    assert.equal(Object.keys(event.headers).some((h) => ['content-length', 'connection'].includes(h.toLowerCase())), false);
  });

  it('resolves stage variables in the integration URI', async () => {
    const r = await call('/staged');
    assert.equal(r.status, 200, r.body);
    assert.equal(echoed(r).context.functionName, 'echo');
  });

  it('gives the function the context and environment Lambda gives it', async () => {
    const { context } = echoed(await call('/fixed'));
    assert.equal(context.functionName, 'echo');
    assert.equal(context.functionVersion, '$LATEST');
    assert.equal(context.invokedFunctionArn, `arn:aws:lambda:us-east-1:${client.accountId}:function:echo`);
    assert.equal(context.memoryLimitInMB, '128');
    assert.match(context.awsRequestId, /^[0-9a-f-]{36}$/);
    assert.ok(context.remainingTimeInMillis > 1000 && context.remainingTimeInMillis <= 2000, String(context.remainingTimeInMillis));
    assert.equal(context.callbackWaitsForEmptyEventLoop, true);
    assert.match(context.cwd, /test\/functions\/echo$/);
    // function.json's variables reach it; the worker's own settings never do.
    assert.deepEqual(context.env, { AWS_LAMBDA_FUNCTION_NAME: 'echo', GREETING: 'hello', PORTICO_CLUSTER_SECRET: null });
  });
});

describe('the proxy response', () => {
  const respond = (output: unknown, headers: Record<string, string> = {}) =>
    call('/respond', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(output) });

  it('answers statusCode, headers and body, with application/json by default', async () => {
    const r = await respond({ statusCode: 201, headers: { 'test-header': 'value', 'header-bool': true }, body: 'created' });
    assert.equal(r.status, 201);
    assert.equal(r.body, 'created');
    assert.equal(r.headers.get('content-type'), 'application/json');
    assert.equal(r.headers.get('test-header'), 'value');
    assert.equal(r.headers.get('header-bool'), 'true');
  });

  it('accepts what AWS accepts', async () => {
    assert.deepEqual([(await respond({ statusCode: 200 })).status, (await respond({ statusCode: 200 })).body], [200, '']);
    assert.equal((await respond({ statusCode: '201' })).status, 201);
    assert.equal((await respond({ statusCode: 200, headers: null })).status, 200);
    const onlyHeaders = await respond({ headers: { 'test-header': 'value' } });
    assert.deepEqual([onlyHeaders.status, onlyHeaders.body, onlyHeaders.headers.get('test-header')], [200, '', 'value']);
  });

  it('merges multiValueHeaders and headers, each value once', async () => {
    assert.equal((await respond({ statusCode: 200, multiValueHeaders: { 'test-multi': ['value1', 'value2'] } })).headers.get('test-multi'), 'value1, value2');
    assert.equal((await respond({ statusCode: 200, multiValueHeaders: { 'tesT-Multi': ['value-multi'] }, headers: { 'test-multi': 'value-solo' } })).headers.get('test-multi'), 'value-multi, value-solo');
    assert.equal((await respond({ statusCode: 200, multiValueHeaders: { 'x-same': ['v'] }, headers: { 'x-same': 'v' } })).headers.get('x-same'), 'v');
  });

  it('names headers as the function wrote them', async () => {
    const output = {
      statusCode: 200,
      headers: { 'X-Custom-Header': 'single', 'Content-Type': 'text/plain', Server: 'my-function', lower: 'case' },
      multiValueHeaders: { 'X-Multi': ['one', 'two'], 'tesT-Merged': ['multi'] },
      body: 'named',
    };
    const { rawHeaders, body } = await rawResponse('/respond', JSON.stringify(output));
    assert.equal(body, 'named');
    const named = (name: string) => rawHeaders.filter((_, i) => i % 2 === 0 && rawHeaders[i] === name).length;
    assert.deepEqual(
      ['X-Custom-Header', 'Content-Type', 'x-amzn-Remapped-Server', 'lower', 'X-Multi', 'tesT-Merged'].map(named),
      [1, 1, 1, 1, 2, 1],
      rawHeaders.join(' '),
    );
    // API Gateway's own headers keep their names; a name appears once, whatever its case.
    assert.equal(named('x-amzn-requestid') + named('x-amzn-RequestId'), 1, rawHeaders.join(' '));
    assert.equal(rawHeaders.filter((_, i) => i % 2 === 0 && rawHeaders[i]!.toLowerCase() === 'content-type').length, 1);
  });

  it('keeps headers API Gateway owns under x-amzn-Remapped-', async () => {
    const r = await respond({ statusCode: 200, headers: { Server: 'my-function', Date: 'yesterday' }, body: 'x' });
    assert.equal(r.headers.get('x-amzn-remapped-server'), 'my-function');
    assert.equal(r.headers.get('x-amzn-remapped-date'), 'yesterday');
  });

  it('answers 502 Internal server error for anything else', async () => {
    const malformed: unknown[] = [
      { statusCode: 200, wrongValue: 'value' },
      'justAString',
      null,
      { statusCode: 'test' },
      { statusCode: 200, multiValueHeaders: { 'test-multi-invalid': 'value1' } },
      { statusCode: 200, body: { an: 'object' } },
      { statusCode: 200, headers: { nested: { no: 'way' } } },
    ];
    for (const output of malformed) assertInternalServerError(await respond(output));
  });

  it('returns base64 bodies as binary only to clients whose Accept is a binary media type', async () => {
    const asBinary = await request(`${workerEndpoint}/restapis/${restApiId}/test/_user_request_/binary`, { method: 'POST', headers: { accept: 'image/png' } });
    assert.equal(asBinary.statusCode, 200);
    assert.equal(asBinary.headers['content-type'], 'image/png');
    assert.deepEqual(Buffer.from(await asBinary.body.arrayBuffer()), png);
    const asText = await call('/binary', { method: 'POST', headers: { accept: 'application/json' } });
    assert.equal(asText.body, png.toString('base64'));
    // Without binaryMediaTypes covering Accept, isBase64Encoded changes nothing (AWS's recorded `dGVzdC1kYXRh`).
    const recorded = await respond({ statusCode: 200, body: 'dGVzdC1kYXRh', isBase64Encoded: true });
    assert.equal(recorded.body, 'dGVzdC1kYXRh');
  });

  it('sends a binary request body base64-encoded, with isBase64Encoded', async () => {
    const r = await call('/binary', { method: 'POST', headers: { 'content-type': 'image/png', accept: 'application/json' }, body: png });
    assert.equal(r.headers.get('x-received-base64'), 'true');
    assert.equal(r.headers.get('x-received-body'), png.toString('base64'));
  });

  it('runs CommonJS handlers in the callback style', async () => {
    const r = await call('/callback?greeter=jane');
    assert.equal(r.status, 200, r.body);
    assert.deepEqual(JSON.parse(r.body), { style: 'callback', greeter: 'jane' });
  });
});

describe('failing functions', () => {
  /** The worker still answers: the same function, warm or anew, and the rest of the API. */
  async function workerStillServes() {
    const r = await call('/fixed');
    assert.equal(r.status, 200, r.body);
  }

  it('answers 502 when the function throws', async () => {
    assertInternalServerError(await call('/throws'));
    await workerStillServes();
  });

  it('answers 502 when the function times out, after its timeout', async () => {
    const started = Date.now();
    assertInternalServerError(await call('/timeout'));
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 1000 && elapsed < 5000, `answered after ${elapsed} ms`);
    await workerStillServes();
  });

  it('answers 502 when the function never yields', async () => {
    assertInternalServerError(await call('/loop'));
    assertInternalServerError(await call('/loop'));
    await workerStillServes();
  });

  it('answers 502 when the function exhausts its memory', async () => {
    assertInternalServerError(await call('/oom'));
    await workerStillServes();
  });

  it('answers 502 when the function ends its own process', async () => {
    assertInternalServerError(await call('/exits'));
    await workerStillServes();
  });

  it('answers 504 when the integration times out first', async () => {
    const r = await call('/impatient?ms=1500');
    assert.equal(r.status, 504);
    assert.equal(r.body, '{"message":"Endpoint request timed out"}');
  });

  it('answers 502 for a function that does not exist', async () => {
    const r = await call('/missing');
    assert.equal(r.status, 502);
    assert.equal(r.body, '{"message":"Internal server error"}');
  });

  it('answers 500 for an integration method other than POST, as AWS does', async () => {
    assertInternalServerError(await call('/get-method'), 500);
  });
});

describe('execution environments', () => {
  it('are reused while warm: module state carries over', async () => {
    const counts = [];
    for (let i = 0; i < 3; i++) counts.push(JSON.parse((await call('/counter')).body) as { invocations: number; pid: number });
    assert.deepEqual(counts.map((c) => c.invocations), [1, 2, 3]);
    assert.equal(new Set(counts.map((c) => c.pid)).size, 1);
  });

  it('run invocations side by side', async () => {
    const parallel = () => Promise.all(Array.from({ length: 5 }, () => call('/slow?ms=800')));
    await parallel(); // cold starts out of the way
    const started = Date.now();
    const results = await parallel();
    const elapsed = Date.now() - started;
    assert.ok(results.every((r) => r.status === 200));
    assert.equal(new Set(results.map((r) => (JSON.parse(r.body) as { pid: number }).pid)).size, 5);
    assert.ok(elapsed < 1600, `5 invocations of 800 ms took ${elapsed} ms`);
  });
});
