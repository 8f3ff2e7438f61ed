// Lambda's Invoke API as the worker answers it for its built-in runner: what
// `aws lambda invoke --endpoint-url http://localhost:4568 ...` sends and expects back, with Lambda's
// headers, status codes and errors.
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';
import { request } from 'undici';
import { workerEndpoint } from '../helpers/invoke.js';

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
