// A Lambda authorizer's authorizerCredentials and a Lambda integration's credentials: with functions
// behind a Lambda Invoke API (PORTICO_LAMBDA_ENDPOINT), the call to the function is SigV4-signed with
// the keys PORTICO_ROLE_CREDENTIALS maps the role to — there is no STS to assume it — and without a
// role with the invoker's own keys. A worker of its own talks to a fake Invoke API
// on loopback that checks every signature.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CreateAuthorizerCommand,
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
} from '@aws-sdk/client-api-gateway';
import aws4 from 'aws4';
import type { RunningWorker } from '../../src/data-plane/worker.js';
import { newClient } from '../helpers/client.js';
import { startTestWorker } from '../helpers/worker.js';
import { invoke, waitForStage } from '../helpers/invoke.js';

const ROLE = 'arn:aws:iam::123456789012:role/apigAuthorizerRole';
const FORGED_ROLE = 'arn:aws:iam::123456789012:role/forged';
const ROLE_KEYS = { accessKeyId: 'AKIAAUTHORIZERROLE01', secretAccessKey: 'role-secret' };
const INVOKER_KEYS = { accessKeyId: 'AKIALAMBDAINVOKER001', secretAccessKey: 'invoker-secret' };
const ACCEPTED = new Map([ROLE_KEYS, INVOKER_KEYS].map((keys) => [keys.accessKeyId, keys]));

const client = newClient();
const cacheDir = mkdtempSync(join(tmpdir(), 'portico-authorizer-credentials-'));
/** The access key ids of the Invoke API calls the fake accepted, and how many it refused. */
const signedBy: string[] = [];
let refused = 0;
let lambda: Server;
let worker: RunningWorker;
let workerUrl: string;
let restApiId: string;
let rootId: string;

/** Re-signs the call's signed headers with the keys its Credential names; undefined when it does not match. */
function verifiedKey(req: IncomingMessage, body: Buffer): string | undefined {
  const auth = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/\d{8}\/([^/]+)\/lambda\/aws4_request, SignedHeaders=([^,]+), Signature=[0-9a-f]{64}$/.exec(req.headers.authorization ?? '');
  const keys = auth && ACCEPTED.get(auth[1]!);
  if (!auth || !keys) return undefined;
  const headers = Object.fromEntries(auth[3]!.split(';').map((name) => [name, String(req.headers[name] ?? '')]));
  const resigned = aws4.sign({ host: req.headers.host, method: req.method, path: req.url, service: 'lambda', region: auth[2], headers, body }, keys);
  return (resigned.headers as Record<string, string>).Authorization === req.headers.authorization ? keys.accessKeyId : undefined;
}

/** Lambda's Invoke API for one TOKEN authorizer function: `allow` is allowed, any other token denied. */
function answer(req: IncomingMessage, body: Buffer, res: ServerResponse) {
  const key = verifiedKey(req, body);
  if (!key) {
    refused++;
    res.writeHead(403, { 'content-type': 'application/json', 'x-amzn-errortype': 'InvalidSignatureException' });
    return void res.end('{"message":"The request signature we calculated does not match the signature you provided."}');
  }
  signedBy.push(key);
  const event = JSON.parse(body.toString('utf8')) as { authorizationToken: string; methodArn: string; httpMethod?: string };
  // A Lambda proxy integration's event: the answer says who signed the call.
  if (event.httpMethod) return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ statusCode: 200, body: key }));
  const effect = event.authorizationToken === 'allow' ? 'Allow' : 'Deny';
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ principalId: 'user', policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: event.methodArn }] } }));
}

async function securedMethod(pathPart: string, authorizerCredentials?: string): Promise<void> {
  const authorizer = await client.send(new CreateAuthorizerCommand({
    restApiId,
    name: pathPart,
    type: 'TOKEN',
    identitySource: 'method.request.header.Authorization',
    authorizerUri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:${client.accountId}:function:authorizer/invocations`,
    authorizerResultTtlInSeconds: 0,
    ...(authorizerCredentials ? { authorizerCredentials } : {}),
  }));
  const resourceId = (await client.send(new CreateResourceCommand({ restApiId, parentId: rootId, pathPart }))).id!;
  const target = { restApiId, resourceId, httpMethod: 'GET' };
  await client.send(new PutMethodCommand({ ...target, authorizationType: 'CUSTOM', authorizerId: authorizer.id }));
  await client.send(new PutIntegrationCommand({ ...target, type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
  await client.send(new PutMethodResponseCommand({ ...target, statusCode: '200' }));
  await client.send(new PutIntegrationResponseCommand({ ...target, statusCode: '200', responseTemplates: { 'application/json': '{"ok": true}' } }));
}

/** A Lambda proxy integration whose `credentials` is the given role. */
async function proxyMethod(pathPart: string, credentials?: string): Promise<void> {
  const resourceId = (await client.send(new CreateResourceCommand({ restApiId, parentId: rootId, pathPart }))).id!;
  const target = { restApiId, resourceId, httpMethod: 'GET' };
  await client.send(new PutMethodCommand({ ...target, authorizationType: 'NONE' }));
  await client.send(new PutIntegrationCommand({
    ...target,
    type: 'AWS_PROXY',
    integrationHttpMethod: 'POST',
    uri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:${client.accountId}:function:backend/invocations`,
    ...(credentials ? { credentials } : {}),
  }));
}

before(async () => {
  lambda = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => answer(req, Buffer.concat(chunks), res));
  });
  await new Promise<void>((resolve) => lambda.listen(0, '127.0.0.1', resolve));
  worker = await startTestWorker(cacheDir, {
    lambda: { endpoint: `http://127.0.0.1:${(lambda.address() as AddressInfo).port}`, credentials: INVOKER_KEYS },
    // No fallback: a role that is not listed has no credentials of its own, whatever AWS_* this process has.
    roleCredentials: { roles: { [ROLE]: ROLE_KEYS, [FORGED_ROLE]: { ...ROLE_KEYS, secretAccessKey: 'not-the-secret' } }, fallback: undefined },
  });
  workerUrl = `http://127.0.0.1:${worker.port}`;

  const api = await client.send(new CreateRestApiCommand({ name: 'authorizer-credentials' }));
  restApiId = api.id!;
  rootId = api.rootResourceId!;
  await securedMethod('with-role', ROLE);
  await securedMethod('without-role');
  await securedMethod('forged-role', FORGED_ROLE);
  await securedMethod('unlisted-role', 'arn:aws:iam::123456789012:role/nobody-maps-this');
  await proxyMethod('proxy-with-role', ROLE);
  await proxyMethod('proxy-without-role');
  await proxyMethod('proxy-forged-role', FORGED_ROLE);
  await client.send(new CreateDeploymentCommand({ restApiId, stageName: 'test' }));
  await waitForStage(restApiId, 'test', '/', 5000, workerUrl);
});

after(async () => {
  await worker.stop();
  await new Promise((resolve) => lambda.close(resolve));
  rmSync(cacheDir, { recursive: true, force: true });
});

const call = (path: string, token: string) => invoke(restApiId, 'test', path, { headers: { Authorization: token } }, workerUrl);

describe('authorizerCredentials', () => {
  it("signs the authorizer's invocation with the keys its role maps to", async () => {
    signedBy.length = 0;
    const allowed = await call('/with-role', 'allow');
    assert.deepEqual([allowed.status, allowed.body], [200, '{"ok": true}']);
    assert.equal((await call('/with-role', 'deny')).status, 403);
    assert.deepEqual(signedBy, [ROLE_KEYS.accessKeyId, ROLE_KEYS.accessKeyId]);
  });

  it("signs with the invoker's own keys when the authorizer has no role, or one nobody maps", async () => {
    signedBy.length = 0;
    assert.equal((await call('/without-role', 'allow')).status, 200);
    assert.equal((await call('/unlisted-role', 'allow')).status, 200);
    assert.deepEqual(signedBy, [INVOKER_KEYS.accessKeyId, INVOKER_KEYS.accessKeyId]);
  });

  it('fails the authorizer with 500 when Lambda refuses the role’s signature', async () => {
    const before = refused;
    const r = await call('/forged-role', 'allow');
    assert.deepEqual([r.status, r.body], [500, '{"message":null}']);
    assert.equal(refused, before + 1);
  });
});

describe("a Lambda integration's credentials", () => {
  it('sign the invocation with the keys the role maps to, else with the invoker\'s own', async () => {
    const withRole = await invoke(restApiId, 'test', '/proxy-with-role', {}, workerUrl);
    assert.deepEqual([withRole.status, withRole.body], [200, ROLE_KEYS.accessKeyId]);
    const withoutRole = await invoke(restApiId, 'test', '/proxy-without-role', {}, workerUrl);
    assert.deepEqual([withoutRole.status, withoutRole.body], [200, INVOKER_KEYS.accessKeyId]);
  });

  it('fail the call with 500 when Lambda refuses the role’s signature', async () => {
    const before = refused;
    const r = await invoke(restApiId, 'test', '/proxy-forged-role', {}, workerUrl);
    assert.deepEqual([r.status, JSON.parse(r.body)], [500, { message: 'Internal server error' }]);
    assert.equal(refused, before + 1);
  });
});
