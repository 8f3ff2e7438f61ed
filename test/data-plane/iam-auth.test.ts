// AWS_IAM methods, as "Control access to a REST API with IAM permissions" describes them, against a
// control plane in PORTICO_AUTH=sigv4 mode with its own worker: requests signed for execute-api are
// verified against the root pair and the IAM users of PORTICO_IAM_IDENTITIES_FILE, the users'
// policies decide, $context.identity names the caller, and every forgery gets AWS's 403.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  APIGatewayClient,
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
} from '@aws-sdk/client-api-gateway';
import aws4 from 'aws4';
import { request } from 'undici';
import { startControlPlane, type RunningControlPlane } from '../../src/control-plane/server.js';
import { startWorker, type RunningWorker } from '../../src/data-plane/worker.js';
import { waitForStage, type Invocation } from '../helpers/invoke.js';

const ACCOUNT = '310987654321';
const OTHER_ACCOUNT = '410987654321';
const root = { accessKeyId: ACCOUNT, secretAccessKey: 'iam-test-root-secret' };
const bob = { accessKeyId: 'AKIAPORTICOBOB000001', secretAccessKey: 'bob-secret/abc+def' };
const carol = { accessKeyId: 'AKIAPORTICOCAROL0001', secretAccessKey: 'carol-secret' };
const alice = { accessKeyId: 'AKIAPORTICOALICE0001', secretAccessKey: 'alice-secret' };
type Credentials = { accessKeyId: string; secretAccessKey: string };

const invokeArn = (rest: string) => `arn:aws:execute-api:*:${ACCOUNT}:*/${rest}`;
const identities = [
  {
    accessKeyId: bob.accessKeyId, secretAccessKey: bob.secretAccessKey, accountId: ACCOUNT, userName: 'bob',
    policies: [{
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 'execute-api:Invoke', Resource: [invokeArn('*/GET/'), invokeArn('*/GET/pets'), invokeArn('*/POST/pets'), invokeArn('*/GET/users/${aws:username}')] },
        { Effect: 'Deny', Action: 'execute-api:Invoke', Resource: invokeArn('*/POST/*') },
      ],
    }],
  },
  { accessKeyId: carol.accessKeyId, secretAccessKey: carol.secretAccessKey, accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user/team/carol` },
  {
    accessKeyId: alice.accessKeyId, secretAccessKey: alice.secretAccessKey, accountId: OTHER_ACCOUNT, userName: 'alice',
    policies: [JSON.stringify({ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 'execute-api:*', Resource: '*' } })],
  },
];

const identityTemplate = JSON.stringify({
  accountId: '$context.identity.accountId',
  caller: '$context.identity.caller',
  user: '$context.identity.user',
  userArn: '$context.identity.userArn',
  accessKey: '$context.identity.accessKey',
  sourceIp: '$context.identity.sourceIp',
});

describe('AWS_IAM methods (PORTICO_AUTH=sigv4)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'portico-iam-'));
  const clusterSecret = 'iam-test-cluster-secret';
  let controlPlane: RunningControlPlane;
  let worker: RunningWorker;
  let workerUrl: string;
  let client: APIGatewayClient;
  let restApiId: string;
  let policyApiId: string;

  async function mockMethod(apiId: string, resourceId: string, httpMethod: string, authorizationType = 'AWS_IAM') {
    await client.send(new PutMethodCommand({ restApiId: apiId, resourceId, httpMethod, authorizationType }));
    await client.send(new PutIntegrationCommand({ restApiId: apiId, resourceId, httpMethod, type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
    await client.send(new PutMethodResponseCommand({ restApiId: apiId, resourceId, httpMethod, statusCode: '200' }));
    await client.send(new PutIntegrationResponseCommand({ restApiId: apiId, resourceId, httpMethod, statusCode: '200', selectionPattern: '', responseTemplates: { 'application/json': identityTemplate } }));
  }

  async function deployedApi(policy?: string): Promise<string> {
    const api = await client.send(new CreateRestApiCommand({ name: 'iam', ...(policy ? { policy } : {}) }));
    const id = api.id!;
    const child = async (parentId: string, pathPart: string) => (await client.send(new CreateResourceCommand({ restApiId: id, parentId, pathPart }))).id!;
    const pets = await child(api.rootResourceId!, 'pets');
    const users = await child(api.rootResourceId!, 'users');
    const user = await child(users, '{name}');
    const open = await child(api.rootResourceId!, 'open');
    await mockMethod(id, api.rootResourceId!, 'GET');
    await mockMethod(id, pets, 'GET');
    await mockMethod(id, pets, 'POST');
    await mockMethod(id, user, 'GET');
    await mockMethod(id, open, 'GET', 'NONE');
    await client.send(new CreateDeploymentCommand({ restApiId: id, stageName: 'test' }));
    await waitForStage(id, 'test', '/open', 5000, workerUrl);
    return id;
  }

  before(async () => {
    const identitiesFile = join(dir, 'identities.json');
    writeFileSync(identitiesFile, JSON.stringify(identities));
    controlPlane = await startControlPlane({
      port: 0,
      host: '127.0.0.1',
      databaseUrl: process.env.DATABASE_URL,
      clusterSecret,
      auth: { mode: 'sigv4', rootAccessKeyId: root.accessKeyId, rootSecretAccessKey: root.secretAccessKey, iamIdentitiesFile: identitiesFile },
    });
    worker = await startWorker({
      port: 0, host: '127.0.0.1', controlPlaneUrl: `http://127.0.0.1:${controlPlane.port}`, clusterSecret, cacheDir: join(dir, 'cache'), executeApiDomain: 'execute-api.localhost', region: 'us-east-1',
    });
    workerUrl = `http://127.0.0.1:${worker.port}`;
    client = new APIGatewayClient({ endpoint: `http://127.0.0.1:${controlPlane.port}`, region: 'us-east-1', credentials: root, maxAttempts: 1 });
    restApiId = await deployedApi();
    policyApiId = await deployedApi(JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { AWS: [OTHER_ACCOUNT, `arn:aws:iam::${ACCOUNT}:user/team/carol`] }, Action: 'execute-api:Invoke', Resource: 'execute-api:/*/GET/*' },
        { Effect: 'Deny', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/bob` }, Action: 'execute-api:Invoke', Resource: 'execute-api:/*/GET/pets' },
      ],
    }));
  });

  after(async () => {
    await worker?.stop();
    await controlPlane?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  type CallOptions = {
    method?: string;
    body?: string | Buffer;
    headers?: Record<string, string>;
    apiId?: string;
    sign?: { service?: string; region?: string; date?: Date; signQuery?: boolean };
    /** changes the request after signing */
    tamper?: (req: { headers: Record<string, string>; body?: string | Buffer }) => void;
  };

  async function call(path: string, credentials: Credentials | undefined, options: CallOptions = {}): Promise<Invocation> {
    const method = options.method ?? 'GET';
    const url = new URL(`${workerUrl}/restapis/${options.apiId ?? restApiId}/test/_user_request_${path}`);
    const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
    if (options.sign?.date) headers['X-Amz-Date'] = options.sign.date.toISOString().replace(/[:-]|\.\d{3}/g, '');
    let target = url.pathname;
    if (credentials) {
      const signed = aws4.sign(
        { host: url.host, method, path: url.pathname, headers, body: options.body, service: options.sign?.service ?? 'execute-api', region: options.sign?.region ?? 'us-east-1', signQuery: options.sign?.signQuery },
        credentials,
      );
      target = signed.path!;
      Object.assign(headers, signed.headers);
    }
    const req = { headers, body: options.body };
    options.tamper?.(req);
    const res = await request(`${workerUrl}${target}`, { method, headers: req.headers, body: req.body });
    return { status: res.statusCode, headers: new Headers(res.headers as Record<string, string>), body: await res.body.text() };
  }

  const ok = (r: Invocation) => {
    assert.equal(r.status, 200, r.body);
    return JSON.parse(r.body) as Record<string, string>;
  };

  function assertForbidden(r: Invocation, errorType: string, message: string | RegExp, key: 'message' | 'Message' = 'message') {
    assert.equal(r.status, 403, r.body);
    assert.equal(r.headers.get('x-amzn-errortype'), errorType);
    const body = JSON.parse(r.body) as Record<string, string>;
    assert.deepEqual(Object.keys(body), [key]);
    if (typeof message === 'string') assert.equal(body[key], message);
    else assert.match(body[key]!, message);
  }

  const notAuthorized = (user: string, rest: string, explicit: boolean, apiId = restApiId) =>
    `User: ${user} is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:********4321:${apiId}/test/${rest}${explicit ? ' with an explicit deny' : ''}`;

  describe('who may call', () => {
    it("lets the account's root in and names it in $context.identity", async () => {
      assert.deepEqual(ok(await call('/', root)), {
        accountId: ACCOUNT, caller: ACCOUNT, user: ACCOUNT, userArn: `arn:aws:iam::${ACCOUNT}:root`, accessKey: ACCOUNT, sourceIp: '127.0.0.1',
      });
    });

    it('lets an IAM user in as far as its policies allow', async () => {
      const identity = ok(await call('/pets', bob));
      assert.equal(identity.accountId, ACCOUNT);
      assert.equal(identity.userArn, `arn:aws:iam::${ACCOUNT}:user/bob`);
      assert.equal(identity.accessKey, bob.accessKeyId);
      assert.match(identity.caller!, /^AIDA[0-9A-Z]{17}$/);
      assert.equal(identity.user, identity.caller);
      // Policy variables: bob may read his own user resource only.
      ok(await call('/users/bob', bob));
      assertForbidden(await call('/users/carol', bob), 'AccessDeniedException', notAuthorized(`arn:aws:iam::${ACCOUNT}:user/bob`, 'GET/users/carol', false), 'Message');
    });

    it("an explicit deny in the user's policy beats its allow", async () => {
      const r = await call('/pets', bob, { method: 'POST', body: '{"name":"rex"}' });
      assertForbidden(r, 'AccessDeniedException', notAuthorized(`arn:aws:iam::${ACCOUNT}:user/bob`, 'POST/pets', true), 'Message');
    });

    it('a user without policies may not call', async () => {
      const r = await call('/pets', carol);
      assertForbidden(r, 'AccessDeniedException', notAuthorized(`arn:aws:iam::${ACCOUNT}:user/team/carol`, 'GET/pets', false), 'Message');
    });

    it('a user of another account is refused without the resource policy, even with its own allow (Table B)', async () => {
      const r = await call('/pets', alice);
      assertForbidden(r, 'AccessDeniedException', notAuthorized(`arn:aws:iam::${OTHER_ACCOUNT}:user/alice`, 'GET/pets', false), 'Message');
    });
  });

  describe('with a resource policy', () => {
    it('the other account comes in when the resource policy allows it too', async () => {
      const identity = ok(await call('/pets', alice, { apiId: policyApiId }));
      assert.equal(identity.accountId, OTHER_ACCOUNT);
      assertForbidden(
        await call('/pets', alice, { apiId: policyApiId, method: 'POST', body: '{}' }),
        'AccessDeniedException',
        notAuthorized(`arn:aws:iam::${OTHER_ACCOUNT}:user/alice`, 'POST/pets', false, policyApiId),
        'Message',
      );
    });

    it('in the same account, the resource policy alone may allow (Table A)', async () => {
      ok(await call('/pets', carol, { apiId: policyApiId }));
    });

    it("the resource policy's explicit deny beats the user's allow", async () => {
      assertForbidden(await call('/pets', bob, { apiId: policyApiId }), 'AccessDeniedException', notAuthorized(`arn:aws:iam::${ACCOUNT}:user/bob`, 'GET/pets', true, policyApiId), 'Message');
      ok(await call('/', bob, { apiId: policyApiId }));
    });
  });

  describe('what is refused, in AWS words', () => {
    it('an unsigned request', async () => {
      assertForbidden(await call('/pets', undefined), 'MissingAuthenticationTokenException', 'Missing Authentication Token');
      // Methods without authorization need no signature.
      assert.equal((await call('/open', undefined)).status, 200);
    });

    it('a forged signature (the wrong secret)', async () => {
      const r = await call('/pets', { accessKeyId: bob.accessKeyId, secretAccessKey: 'not-bobs-secret' });
      assertForbidden(
        r,
        'InvalidSignatureException',
        /^The request signature we calculated does not match the signature you provided\. Check your AWS Secret Access Key and signing method\. Consult the service documentation for details\.\n\nThe Canonical String for this request should have been\n'GET\n\/restapis\/[a-z0-9]+\/test\/_user_request_\/pets\n\n[^]*'\n\nThe String-to-Sign should have been\n'AWS4-HMAC-SHA256\n\d{8}T\d{6}Z\n\d{8}\/us-east-1\/execute-api\/aws4_request\n[0-9a-f]{64}'\n$/,
      );
      assert.ok(!r.body.includes('not-bobs-secret') && !r.body.includes(bob.secretAccessKey));
    });

    it('an altered body', async () => {
      const r = await call('/pets', bob, { method: 'POST', body: '{"name":"rex"}', tamper: (req) => (req.body = '{"name":"max"}') });
      assertForbidden(r, 'InvalidSignatureException', /^The request signature we calculated does not match/);
    });

    it('an altered signed header, but not an added unsigned one', async () => {
      const altered = await call('/pets', bob, { tamper: (req) => (req.headers['content-type'] = 'text/plain') });
      assertForbidden(altered, 'InvalidSignatureException', /^The request signature we calculated does not match/);
      ok(await call('/pets', bob, { tamper: (req) => (req.headers['x-unsigned'] = 'added after signing') }));
    });

    it('a Host header left out of the signature', async () => {
      const r = await call('/pets', bob, {
        tamper: (req) => {
          req.headers.Authorization = req.headers.Authorization!.replace(/SignedHeaders=[^,]+/, 'SignedHeaders=content-type;x-amz-date');
        },
      });
      assertForbidden(r, 'InvalidSignatureException', "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
    });

    it('an expired signature, and one from the future (5 minutes either way)', async () => {
      const expired = await call('/pets', bob, { sign: { date: new Date(Date.now() - 6 * 60 * 1000) } });
      assertForbidden(expired, 'InvalidSignatureException', /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$/);
      const future = await call('/pets', bob, { sign: { date: new Date(Date.now() + 6 * 60 * 1000) } });
      assertForbidden(future, 'InvalidSignatureException', /^Signature not yet current: \d{8}T\d{6}Z is still later than \d{8}T\d{6}Z \(\d{8}T\d{6}Z \+ 5 min\.\)$/);
      ok(await call('/pets', bob, { sign: { date: new Date(Date.now() - 4 * 60 * 1000) } }));
    });

    it('an unknown access key', async () => {
      const r = await call('/pets', { accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: 'whatever' });
      assertForbidden(r, 'UnrecognizedClientException', 'The security token included in the request is invalid.');
    });

    it('a signature scoped to another service or region', async () => {
      assertForbidden(await call('/pets', bob, { sign: { service: 'apigateway' } }), 'InvalidSignatureException', "Credential should be scoped to correct service: 'execute-api'. ");
      assertForbidden(await call('/pets', bob, { sign: { region: 'eu-west-1' } }), 'InvalidSignatureException', 'Credential should be scoped to a valid region. ');
    });

    it('accepts a presigned URL', async () => {
      ok(await call('/pets', bob, { sign: { signQuery: true } }));
    });

    it('verifies the signature over the body as sent, before decompression', async () => {
      ok(await call('/pets', root, { method: 'POST', body: '{"name":"rex"}' }));
      ok(await call('/pets', root, { method: 'POST', body: gzipSync('{"name":"rex"}'), headers: { 'content-encoding': 'gzip' } }));
    });
  });

  it("keeps the worker's config cache readable by its owner only (it holds the identities' secrets)", () => {
    assert.equal(statSync(join(dir, 'cache', 'config.json')).mode & 0o077, 0);
  });
});
