// Lambda's Invoke API as the worker answers it for its built-in runner: what
// `aws lambda invoke --endpoint-url http://localhost:4568 ...` sends and expects back, with Lambda's
// headers, status codes and errors; and a worker whose functions are behind PORTICO_LAMBDA_ENDPOINT
// (here, the test worker's own Invoke API) running Lambda integrations through it.
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import {
  CreateBasePathMappingCommand,
  CreateDeploymentCommand,
  CreateDomainNameCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
} from '@aws-sdk/client-api-gateway';
import { request } from 'undici';
import type { RunningWorker } from '../../src/data-plane/worker.js';
import { endpoint, newClient } from '../helpers/client.js';
import { startTestWorker } from '../helpers/worker.js';
import { invoke, waitForStage, workerEndpoint } from '../helpers/invoke.js';

const hasAwsCli = spawnSync('aws', ['--version']).status === 0;

const invocations = (functionName: string) => `${workerEndpoint}/2015-03-31/functions/${encodeURIComponent(functionName)}/invocations`;

async function invokeFunction(functionName: string, payload: string, headers: Record<string, string> = {}) {
  const res = await fetch(invocations(functionName), { method: 'POST', body: payload, headers: { 'content-type': 'application/json', ...headers } });
  return { status: res.status, headers: res.headers, body: await res.text() };
}

describe('the Invoke API', () => {
  it("runs the function and answers its result, with Lambda's headers", async () => {
    const r = await invokeFunction('passthrough', '{"a": 1}');
    assert.equal(r.status, 200);
    assert.deepEqual(JSON.parse(r.body), { a: 1 });
    assert.equal(r.headers.get('x-amz-executed-version'), '$LATEST');
    assert.equal(r.headers.get('x-amz-function-error'), null);
    assert.match(r.headers.get('x-amzn-requestid') ?? '', /^[0-9a-f-]{36}$/);
  });

  it('takes the function by name, qualified name, partial ARN or full ARN', async () => {
    for (const name of ['passthrough:$LATEST', '123456789012:function:passthrough', 'arn:aws:lambda:us-east-1:123456789012:function:passthrough']) {
      assert.equal((await invokeFunction(name, '{}')).status, 200, name);
    }
  });

  it('answers a failed function with X-Amz-Function-Error and its error object', async () => {
    const r = await invokeFunction('throws', '{"message": "Malformed input: x"}');
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('x-amz-function-error'), 'Unhandled');
    const error = JSON.parse(r.body) as { errorType: string; errorMessage: string; trace: string[] };
    assert.deepEqual([error.errorType, error.errorMessage], ['Error', 'Malformed input: x']);
    assert.ok(Array.isArray(error.trace) && error.trace.length > 1);
  });

  it("answers a timed-out function as Lambda's Sandbox.Timedout", async () => {
    const r = await invokeFunction('loop', '{}');
    assert.equal(r.headers.get('x-amz-function-error'), 'Unhandled');
    const error = JSON.parse(r.body) as { errorType: string; errorMessage: string };
    assert.equal(error.errorType, 'Sandbox.Timedout');
    assert.match(error.errorMessage, /^RequestId: [0-9a-f-]{36} Error: Task timed out after 1\.00 seconds$/);
  });

  it('answers 404 ResourceNotFoundException for a function that does not exist', async () => {
    const r = await invokeFunction('nope', '{}', { authorization: 'AWS4-HMAC-SHA256 Credential=123456789012/20240101/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=x' });
    assert.equal(r.status, 404);
    assert.equal(r.headers.get('x-amzn-errortype'), 'ResourceNotFoundException');
    assert.deepEqual(JSON.parse(r.body), { Type: 'User', Message: 'Function not found: arn:aws:lambda:us-east-1:123456789012:function:nope' });
  });

  it('answers 400 for a payload that is not JSON, and for a malformed function name', async () => {
    const notJson = await invokeFunction('passthrough', 'not json');
    assert.equal(notJson.status, 400);
    assert.equal(notJson.headers.get('x-amzn-errortype'), 'InvalidRequestContentException');
    const badName = await invokeFunction('../etc', '{}');
    assert.equal(badName.status, 400);
    assert.equal(badName.headers.get('x-amzn-errortype'), 'ValidationException');
  });

  it('queues Event invocations (202) and only checks DryRun ones (204)', async () => {
    const event = await invokeFunction('passthrough', '{}', { 'x-amz-invocation-type': 'Event' });
    assert.deepEqual([event.status, event.body], [202, '']);
    const dryRun = await invokeFunction('passthrough', '{}', { 'x-amz-invocation-type': 'DryRun' });
    assert.deepEqual([dryRun.status, dryRun.body], [204, '']);
  });

  it('is not answered on an execute-api host', async () => {
    const res = await request(invocations('passthrough'), { method: 'POST', body: '{}', headers: { host: 'abc123.execute-api.localhost:4568' } });
    assert.equal(res.statusCode, 403);
    await res.body.dump();
  });

  it("is not answered on a custom domain name: the path is the mapped API's", async () => {
    const client = newClient();
    const api = await client.send(new CreateRestApiCommand({ name: 'owns-its-paths' }));
    const { id: resourceId } = await client.send(new CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: '{proxy+}' }));
    const target = { restApiId: api.id, resourceId, httpMethod: 'POST' };
    await client.send(new PutMethodCommand({ ...target, authorizationType: 'NONE' }));
    await client.send(new PutIntegrationCommand({ ...target, type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
    await client.send(new PutMethodResponseCommand({ ...target, statusCode: '200' }));
    await client.send(new PutIntegrationResponseCommand({ ...target, statusCode: '200', responseTemplates: { 'application/json': '{"answeredBy": "the API"}' } }));
    await client.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'prod' }));
    await waitForStage(api.id!, 'prod', '/2015-03-31/functions/passthrough/invocations');
    const domainName = `lambda-${randomBytes(5).toString('hex')}.example.com`;
    const certificateArn = `arn:aws:acm:us-east-1:${client.accountId}:certificate/12345678-1234-1234-1234-123456789012`;
    await client.send(new CreateDomainNameCommand({ domainName, regionalCertificateArn: certificateArn, endpointConfiguration: { types: ['REGIONAL'] } }));
    await client.send(new CreateBasePathMappingCommand({ domainName, restApiId: api.id, stage: 'prod' }));
    const viaDomain = async () => {
      const res = await request(invocations('passthrough'), { method: 'POST', body: '{"answeredBy": "the Invoke API"}', headers: { host: domainName, 'content-type': 'application/json' } });
      return { status: res.statusCode, body: await res.body.text() };
    };
    // Until the domain name reaches the worker, its host is no API's and the Invoke API answers; until
    // its mapping does, the name answers 403.
    const pending = (r: { status: number; body: string }) => r.body.includes('the Invoke API') || r.status === 403;
    let answer = await viaDomain();
    for (const deadline = Date.now() + 5000; pending(answer) && Date.now() < deadline; answer = await viaDomain()) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.deepEqual([answer.status, JSON.parse(answer.body)], [200, { answeredBy: 'the API' }]);
  });

  it('serves `aws lambda invoke --endpoint-url`', { skip: !hasAwsCli && 'the AWS CLI is not installed' }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'portico-invoke-'));
    try {
      const out = join(dir, 'out.json');
      const { stdout } = await promisify(execFile)('aws', ['lambda', 'invoke', '--endpoint-url', workerEndpoint, '--function-name', 'calculator', '--payload', '{"a": 2, "b": 3, "op": "mul"}', out], {
        env: { ...process.env, AWS_ACCESS_KEY_ID: '123456789012', AWS_SECRET_ACCESS_KEY: 'anything', AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '' },
        timeout: 30_000,
      });
      assert.deepEqual(JSON.parse(stdout), { StatusCode: 200, ExecutedVersion: '$LATEST' });
      assert.deepEqual(JSON.parse(readFileSync(out, 'utf8')), { a: 2, b: 3, op: 'mul', c: 6 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Lambda integrations through PORTICO_LAMBDA_ENDPOINT', () => {
  const client = newClient();
  let worker: RunningWorker;
  let cacheDir: string;
  let restApiId: string;
  const viaEndpoint = (path: string, init: RequestInit = {}) => invoke(restApiId, 'prod', path, init, `http://127.0.0.1:${worker.port}`);

  before(async () => {
    cacheDir = mkdtempSync(join(tmpdir(), 'portico-lambda-endpoint-'));
    worker = await startTestWorker(cacheDir, {
      lambda: { endpoint: workerEndpoint, credentials: { accessKeyId: client.accountId, secretAccessKey: 'invoker-secret' } },
    });
    const api = await client.send(new CreateRestApiCommand({ name: 'lambda-endpoint' }));
    restApiId = api.id!;
    const uri = (name: string) => `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:${client.accountId}:function:${name}/invocations`;
    for (const [pathPart, name, type] of [['echo', 'echo', 'AWS_PROXY'], ['throws', 'throws', 'AWS_PROXY'], ['calc', 'calculator', 'AWS']] as const) {
      const { id: resourceId } = await client.send(new CreateResourceCommand({ restApiId, parentId: api.rootResourceId, pathPart }));
      const target = { restApiId, resourceId, httpMethod: 'POST' };
      await client.send(new PutMethodCommand({ ...target, authorizationType: 'NONE' }));
      await client.send(new PutIntegrationCommand({ ...target, type, integrationHttpMethod: 'POST', uri: uri(name) }));
      if (type === 'AWS') {
        await client.send(new PutMethodResponseCommand({ ...target, statusCode: '200' }));
        await client.send(new PutIntegrationResponseCommand({ ...target, statusCode: '200' }));
        await client.send(new PutMethodResponseCommand({ ...target, statusCode: '400' }));
        await client.send(new PutIntegrationResponseCommand({ ...target, statusCode: '400', selectionPattern: 'Invalid.*' }));
      }
    }
    await client.send(new CreateDeploymentCommand({ restApiId, stageName: 'prod' }));
    await waitForStage(restApiId, 'prod', '/echo', 5000, `http://127.0.0.1:${worker.port}`);
  });

  after(async () => {
    await worker.stop();
    rmSync(cacheDir, { recursive: true, force: true });
  });

  it('invokes a proxy function with the event and answers its proxy response', async () => {
    const r = await viaEndpoint('/echo?x=1', { method: 'POST', body: 'hello' });
    assert.equal(r.status, 200, r.body);
    const { event, context } = JSON.parse(r.body) as { event: Record<string, any>; context: Record<string, any> };
    assert.deepEqual([event.path, event.body, event.queryStringParameters], ['/echo', 'hello', { x: '1' }]);
    assert.equal(context.invokedFunctionArn, `arn:aws:lambda:us-east-1:${client.accountId}:function:echo`);
  });

  it("fails a proxy call with 502 when the function fails, and maps a custom integration's result and errors", async () => {
    const failed = await viaEndpoint('/throws', { method: 'POST' });
    assert.deepEqual([failed.status, failed.body], [502, '{"message":"Internal server error"}']);
    const sum = await viaEndpoint('/calc', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a": 2, "b": 5, "op": "+"}' });
    assert.deepEqual([sum.status, JSON.parse(sum.body)], [200, { a: 2, b: 5, op: '+', c: 7 }]);
    const invalid = await viaEndpoint('/calc', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a": 2, "b": 5, "op": "^"}' });
    assert.equal(invalid.status, 400);
    assert.equal(JSON.parse(invalid.body).errorMessage, 'Invalid operator: ^');
  });
});
