// Lambda authorizers and user pool authorizers end to end, after the Developer Guide's "Use API
// Gateway Lambda authorizers" and "Integrate a REST API with an Amazon Cognito user pool": configure
// with the SDK, deploy, call over HTTP. The authorizer functions live in test/functions/auth-*.
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import {
  CreateAuthorizerCommand,
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  FlushStageAuthorizersCacheCommand,
  GetResourcesCommand,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
  TestInvokeAuthorizerCommand,
  type CreateAuthorizerCommandInput,
} from '@aws-sdk/client-api-gateway';
import jwt from 'jsonwebtoken';
import type { RunningWorker } from '../../src/data-plane/worker.js';
import { expectError, newClient } from '../helpers/client.js';
import { startTestWorker } from '../helpers/worker.js';
import { invoke, waitForStage, waitUntil, workerEndpoint } from '../helpers/invoke.js';

const functionUri = (accountId: string, name: string) =>
  `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:${accountId}:function:${name}/invocations`;

/** Renders what the authorizer established, as a backend would see it through a mapping template. */
const AUTHORIZER_TEMPLATE = [
  '{',
  '  "principalId": "$context.authorizer.principalId",',
  '  "nonce": "$context.authorizer.nonce",',
  '  "tier": "$context.authorizer.tier",',
  '  "count": "$context.authorizer.count",',
  '  "admin": "$context.authorizer.admin",',
  '  "resource": "$context.authorizer.resource",',
  '  "stage": "$context.authorizer.stage",',
  '  "email": "$context.authorizer.claims.email",',
  '  "sub": "$context.authorizer.claims.sub",',
  '  "tokenUse": "$context.authorizer.claims.token_use"',
  '}',
].join('\n');

type Deployed = { restApiId: string; accountId: string; client: ReturnType<typeof newClient>; authorizerId: string };

type Setup = {
  authorizer: (accountId: string) => Omit<CreateAuthorizerCommandInput, 'restApiId' | 'name'>;
  authorizationScopes?: string[];
  variables?: Record<string, string>;
  worker?: string;
  /** a Lambda proxy integration with test/functions/echo instead of MOCK */
  proxy?: boolean;
  /** the API's resource policy */
  policy?: string;
};

/** `GET` and `POST /pets/{id}` (MOCK) behind one authorizer, deployed to stage `prod`. */
async function deploy(setup: Setup): Promise<Deployed> {
  const client = newClient();
  const { accountId } = client;
  const { id: restApiId } = await client.send(new CreateRestApiCommand({ name: 'authorizers', policy: setup.policy }));
  const { items } = await client.send(new GetResourcesCommand({ restApiId }));
  const { id: petsId } = await client.send(new CreateResourceCommand({ restApiId, parentId: items![0]!.id, pathPart: 'pets' }));
  const { id: resourceId } = await client.send(new CreateResourceCommand({ restApiId, parentId: petsId, pathPart: '{id}' }));
  const config = setup.authorizer(accountId);
  const { id: authorizerId } = await client.send(new CreateAuthorizerCommand({ restApiId, name: 'auth', ...config }));
  const authorizationType = config.type === 'COGNITO_USER_POOLS' ? 'COGNITO_USER_POOLS' : 'CUSTOM';
  for (const httpMethod of ['GET', 'POST']) {
    const target = { restApiId, resourceId, httpMethod };
    await client.send(new PutMethodCommand({ ...target, authorizationType, authorizerId, authorizationScopes: setup.authorizationScopes }));
    if (setup.proxy) {
      await client.send(new PutIntegrationCommand({ ...target, type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: functionUri(accountId, 'echo') }));
      continue;
    }
    await client.send(new PutIntegrationCommand({ ...target, type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
    await client.send(new PutMethodResponseCommand({ ...target, statusCode: '200' }));
    await client.send(new PutIntegrationResponseCommand({ ...target, statusCode: '200', responseTemplates: { 'application/json': AUTHORIZER_TEMPLATE } }));
  }
  await client.send(new CreateDeploymentCommand({ restApiId, stageName: 'prod', variables: setup.variables }));
  await waitForStage(restApiId!, 'prod', '/pets/1', 5000, setup.worker);
  return { restApiId: restApiId!, accountId, client, authorizerId: authorizerId! };
}

const call = (d: Deployed, headers: Record<string, string> = {}, path = '/pets/1', method = 'GET', worker = workerEndpoint) =>
  invoke(d.restApiId, 'prod', path, { method, headers }, worker);

const json = (body: string) => JSON.parse(body) as Record<string, string>;

describe('TOKEN authorizers', () => {
  let d: Deployed;
  before(async () => {
    d = await deploy({
      authorizer: (accountId) => ({
        type: 'TOKEN',
        authorizerUri: functionUri(accountId, 'auth-token'),
        identitySource: 'method.request.header.Authorization',
        identityValidationExpression: '^(Bearer )?[a-z-]+$',
      }),
    });
  });

  it('lets an allowed caller through, with principalId and context in $context.authorizer', async () => {
    const r = await call(d, { Authorization: 'allow' });
    assert.equal(r.status, 200, r.body);
    const body = json(r.body);
    assert.equal(body.principalId, 'user-allow');
    assert.equal(body.tier, 'gold');
    assert.equal(body.count, '3');
    assert.equal(body.admin, 'true');
    assert.match(body.nonce!, /^[0-9a-f-]{36}$/);
  });

  it('answers 403 for an explicit deny and for a method the policy does not allow', async () => {
    const denied = await call(d, { Authorization: 'deny' });
    assert.equal(denied.status, 403);
    assert.equal(denied.headers.get('x-amzn-errortype'), 'AccessDeniedException');
    assert.equal(denied.body, '{"Message":"User is not authorized to access this resource with an explicit deny"}');
    assert.equal((await call(d, { Authorization: 'get-only' })).status, 200);
    const post = await call(d, { Authorization: 'get-only' }, '/pets/1', 'POST');
    assert.equal(post.status, 403);
    assert.equal(post.body, '{"Message":"User is not authorized to access this resource"}');
  });

  it('answers 401 for a missing token, one that fails the validation expression, and a function failing with "Unauthorized"', async () => {
    for (const headers of [{}, { Authorization: 'NOT VALID!' }, { Authorization: 'unauthorized' }] as Record<string, string>[]) {
      const r = await call(d, headers);
      assert.equal(r.status, 401, JSON.stringify(headers));
      assert.equal(r.body, '{"message":"Unauthorized"}');
      assert.equal(r.headers.get('x-amzn-errortype'), 'UnauthorizedException');
    }
  });

  it('answers 500 {"message": null} when the function throws or returns a context it cannot pass on', async () => {
    for (const token of ['explode', 'nested-context']) {
      const r = await call(d, { Authorization: token });
      assert.equal(r.status, 500, token);
      assert.equal(r.body, '{"message":null}');
      assert.equal(r.headers.get('x-amzn-errortype'), 'AuthorizerConfigurationException');
    }
  });

  it('caches the answer by token (300 s by default) and evaluates it for each method', async () => {
    const response = await call(d, { Authorization: 'Bearer allow' });
    assert.equal(response.status, 200, response.body);
    const first = json(response.body);
    const again = json((await call(d, { Authorization: 'Bearer allow' }, '/pets/2')).body);
    assert.equal(again.nonce, first.nonce);
    const other = json((await call(d, { Authorization: 'allow' })).body);
    assert.notEqual(other.nonce, first.nonce);
  });

  it('drops the cached answers of the stage on FlushStageAuthorizersCache', async () => {
    const before = json((await call(d, { Authorization: 'Bearer allow' })).body).nonce;
    assert.equal(json((await call(d, { Authorization: 'Bearer allow' })).body).nonce, before);
    await d.client.send(new FlushStageAuthorizersCacheCommand({ restApiId: d.restApiId, stageName: 'prod' }));
    const { result } = await waitUntil(() => call(d, { Authorization: 'Bearer allow' }), (r) => json(r.body).nonce !== before, 2000);
    assert.equal(result.status, 200);
    await expectError(d.client.send(new FlushStageAuthorizersCacheCommand({ restApiId: d.restApiId, stageName: 'nope' })), 'NotFoundException', 404, 'Invalid stage identifier specified');
  });

  it('passes principalId and context to a Lambda proxy integration in requestContext.authorizer', async () => {
    const proxied = await deploy({
      proxy: true,
      authorizer: (accountId) => ({ type: 'TOKEN', authorizerUri: functionUri(accountId, 'auth-token'), identitySource: 'method.request.header.Authorization' }),
    });
    const r = await call(proxied, { Authorization: 'allow' });
    assert.equal(r.status, 200, r.body);
    const { authorizer } = (JSON.parse(r.body) as { event: { requestContext: { authorizer: Record<string, unknown> } } }).event.requestContext;
    assert.equal(authorizer.principalId, 'user-allow');
    assert.deepEqual([authorizer.tier, authorizer.count, authorizer.admin], ['gold', '3', 'true']);
    assert.equal(typeof authorizer.integrationLatency, 'number');
  });

  it('invokes the function on every request when authorizerResultTtlInSeconds is 0', async () => {
    const uncached = await deploy({
      authorizer: (accountId) => ({ type: 'TOKEN', authorizerUri: functionUri(accountId, 'auth-token'), identitySource: 'method.request.header.Authorization', authorizerResultTtlInSeconds: 0 }),
    });
    const a = await call(uncached, { Authorization: 'allow' });
    const b = await call(uncached, { Authorization: 'allow' });
    assert.deepEqual([a.status, b.status], [200, 200], a.body);
    assert.notEqual(json(a.body).nonce, json(b.body).nonce);
  });
});

describe('REQUEST authorizers', () => {
  let d: Deployed;
  const identity = { HeaderAuth1: 'headerValue1' };
  before(async () => {
    d = await deploy({
      variables: { StageVar1: 'stageValue1' },
      authorizer: (accountId) => ({
        type: 'REQUEST',
        authorizerUri: functionUri(accountId, 'auth-request'),
        identitySource: 'method.request.header.HeaderAuth1, method.request.querystring.QueryString1, stageVariables.StageVar1',
        authorizerResultTtlInSeconds: 300,
      }),
    });
  });

  it('passes headers, query string, stage variables and the request context to the function', async () => {
    const r = await call(d, identity, '/pets/7?QueryString1=queryValue1');
    assert.equal(r.status, 200, r.body);
    const body = json(r.body);
    assert.equal(body.principalId, 'request-user');
    assert.equal(body.resource, '/pets/{id}');
    assert.equal(body.stage, 'prod');
  });

  it('answers 401 without invoking the function when an identity source is missing', async () => {
    assert.equal((await call(d, identity, '/pets/7')).status, 401);
    assert.equal((await call(d, {}, '/pets/7?QueryString1=queryValue1')).status, 401);
    const r = await call(d, { HeaderAuth1: 'wrong' }, '/pets/7?QueryString1=queryValue1');
    assert.deepEqual([r.status, r.body], [401, '{"message":"Unauthorized"}']);
  });

  it('caches by all identity sources together', async () => {
    const first = await call(d, identity, '/pets/1?QueryString1=queryValue1');
    assert.equal(first.status, 200, first.body);
    assert.equal(json((await call(d, identity, '/pets/2?QueryString1=queryValue1')).body).nonce, json(first.body).nonce);
  });
});

describe('Lambda authorizers with a resource policy', () => {
  // The Developer Guide's table: an explicit deny in the resource policy refuses before the authorizer
  // runs; afterwards an explicit deny on either side refuses, and an allow on either side admits.
  const policy = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*/POST/pets/*' },
      { Effect: 'Deny', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*/GET/pets/blocked' },
    ],
  });
  let d: Deployed;
  before(async () => {
    d = await deploy({
      policy,
      authorizer: (accountId) => ({ type: 'TOKEN', authorizerUri: functionUri(accountId, 'auth-token'), identitySource: 'method.request.header.Authorization', authorizerResultTtlInSeconds: 0 }),
    });
  });

  it("refuses what the resource policy explicitly denies without running the authorizer", async () => {
    // A token the function fails on (500) proves it was never invoked.
    const r = await call(d, { Authorization: 'explode' }, '/pets/blocked');
    assert.equal(r.status, 403, r.body);
    const arn = `arn:aws:execute-api:us-east-1:********${d.accountId.slice(-4)}:${d.restApiId}/prod/GET/pets/blocked`;
    assert.deepEqual(JSON.parse(r.body), { Message: `User: anonymous is not authorized to perform: execute-api:Invoke on resource: ${arn} with an explicit deny` });
    assert.equal((await call(d, { Authorization: 'explode' }, '/pets/1')).status, 500);
  });

  it("admits a call the resource policy allows though the authorizer's policy does not", async () => {
    assert.equal((await call(d, { Authorization: 'get-only' }, '/pets/1', 'POST')).status, 200);
    assert.equal((await call(d, { Authorization: 'get-only' }, '/pets/1')).status, 200);
  });

  it("refuses the authorizer's explicit deny even where the resource policy allows", async () => {
    const r = await call(d, { Authorization: 'deny' }, '/pets/1', 'POST');
    assert.deepEqual([r.status, r.body], [403, '{"Message":"User is not authorized to access this resource with an explicit deny"}']);
  });
});

describe('TestInvokeAuthorizer', () => {
  it('runs a TOKEN authorizer on the given headers and reports principal, policy and log', async () => {
    const client = newClient();
    const { id: restApiId } = await client.send(new CreateRestApiCommand({ name: 'test-invoke' }));
    const { id: authorizerId } = await client.send(
      new CreateAuthorizerCommand({ restApiId, name: 'token', type: 'TOKEN', authorizerUri: functionUri(client.accountId, 'auth-token'), identitySource: 'method.request.header.Authorization' }),
    );
    const allowed = await client.send(new TestInvokeAuthorizerCommand({ restApiId, authorizerId, headers: { Authorization: 'allow' } }));
    assert.equal(allowed.clientStatus, 200, allowed.log);
    assert.equal(allowed.principalId, 'user-allow');
    const policy = JSON.parse(allowed.policy!) as { Statement: { Effect: string; Resource: string }[] };
    assert.deepEqual(policy.Statement[0], {
      Action: 'execute-api:Invoke',
      Effect: 'Allow',
      Resource: `arn:aws:execute-api:us-east-1:${client.accountId}:${restApiId}/ESTestInvoke-stage/*/*`,
    });
    assert.match(allowed.log!, new RegExp(`^Execution log for request [0-9a-f-]{36}\n\\w{3} \\w{3} \\d{2} [\\d:]{8} UTC \\d{4} : Starting authorizer: ${authorizerId} for request`));
    assert.match(allowed.log!, /Incoming identity: \{method\.request\.header\.Authorization=allow\}/);
    assert.match(allowed.log!, /"methodArn":"arn:aws:execute-api:us-east-1:\d{12}:\w+\/ESTestInvoke-stage\/GET\/"/);
    assert.equal(typeof allowed.latency, 'number');

    const refused = await client.send(new TestInvokeAuthorizerCommand({ restApiId, authorizerId, headers: { Authorization: 'unauthorized' } }));
    assert.equal(refused.clientStatus, 401);
    assert.match(refused.log!, /Unauthorized request: [0-9a-f-]{36}\n.* : Unauthorized\n$/);
    assert.equal(refused.policy, undefined);
    const missing = await client.send(new TestInvokeAuthorizerCommand({ restApiId, authorizerId }));
    assert.equal(missing.clientStatus, 401);
    const failing = await client.send(new TestInvokeAuthorizerCommand({ restApiId, authorizerId, headers: { Authorization: 'explode' } }));
    assert.equal(failing.clientStatus, 500);
    assert.match(failing.log!, /AuthorizerConfigurationException/);
    await expectError(client.send(new TestInvokeAuthorizerCommand({ restApiId, authorizerId: 'nope12' })), 'NotFoundException', 404, 'Invalid Authorizer identifier specified');
  });

  it('runs a REQUEST authorizer with the given query string and stage variables', async () => {
    const client = newClient();
    const { id: restApiId } = await client.send(new CreateRestApiCommand({ name: 'test-invoke' }));
    const { id: authorizerId } = await client.send(
      new CreateAuthorizerCommand({
        restApiId,
        name: 'request',
        type: 'REQUEST',
        authorizerUri: functionUri(client.accountId, 'auth-request'),
        identitySource: 'method.request.header.HeaderAuth1, method.request.querystring.QueryString1, stageVariables.StageVar1',
      }),
    );
    const request = { restApiId, authorizerId, headers: { HeaderAuth1: 'headerValue1' }, pathWithQueryString: '/?QueryString1=queryValue1' };
    const allowed = await client.send(new TestInvokeAuthorizerCommand({ ...request, stageVariables: { StageVar1: 'stageValue1' } }));
    assert.equal(allowed.clientStatus, 200, allowed.log);
    assert.equal(allowed.principalId, 'request-user');
    assert.match(allowed.log!, /"stage":"test-invoke-stage"/);
    const noStageVariable = await client.send(new TestInvokeAuthorizerCommand(request));
    assert.equal(noStageVariable.clientStatus, 401);
  });
});

/** A user pool's issuer: an RSA key, its JWKS over HTTP, and tokens signed with it. */
class LocalUserPool {
  readonly kid = randomUUID();
  private readonly privateKey: KeyObject;
  private readonly publicJwk: Record<string, unknown>;
  private server?: Server;
  issuer = '';

  constructor() {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.privateKey = privateKey;
    this.publicJwk = { ...publicKey.export({ format: 'jwk' }), kid: this.kid, alg: 'RS256', use: 'sig' };
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      if (req.url?.endsWith('/.well-known/jwks.json')) res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [this.publicJwk] }));
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.issuer = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/us-east-1_test`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  sign(claims: Record<string, unknown>, options: { expiresIn?: number; issuer?: string } = {}): string {
    const now = Math.floor(Date.now() / 1000);
    return jwt.sign({ iat: now, exp: now + (options.expiresIn ?? 3600), iss: options.issuer ?? this.issuer, ...claims }, this.privateKey, { algorithm: 'RS256', keyid: this.kid });
  }

  idToken(extra: Record<string, unknown> = {}, options = {}) {
    return this.sign({ sub: 'user-sub-1', aud: 'app-client-1', token_use: 'id', email: 'jane@example.com', 'cognito:username': 'jane', ...extra }, options);
  }

  accessToken(scope: string, extra: Record<string, unknown> = {}) {
    return this.sign({ sub: 'user-sub-1', client_id: 'app-client-1', token_use: 'access', scope, ...extra });
  }
}

describe('COGNITO_USER_POOLS authorizers', () => {
  const pool = new LocalUserPool();
  const poolArn = 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_test';
  const cacheDir = mkdtempSync(join(tmpdir(), 'portico-authorizers-'));
  let worker: RunningWorker;
  let workerUrl: string;
  let idOnly: Deployed;
  let scoped: Deployed;

  before(async () => {
    await pool.start();
    // User pools are a worker setting (PORTICO_COGNITO_USER_POOLS): this suite runs its own worker.
    worker = await startTestWorker(cacheDir, {
      cognitoUserPools: { [poolArn]: { issuer: pool.issuer, clientIds: ['app-client-1'] } },
      lambda: { functionsDir: fileURLToPath(new URL('../functions', import.meta.url)) },
    });
    workerUrl = `http://127.0.0.1:${worker.port}`;
    const authorizer = () => ({ type: 'COGNITO_USER_POOLS' as const, providerARNs: [poolArn], identitySource: 'method.request.header.Authorization' });
    idOnly = await deploy({ worker: workerUrl, authorizer });
    scoped = await deploy({ worker: workerUrl, authorizer, authorizationScopes: ['pets/read', 'pets/admin'] });
  });
  after(async () => {
    await worker?.stop();
    await pool.stop();
    rmSync(cacheDir, { recursive: true, force: true });
  });

  const callPool = (d: Deployed, token?: string) => call(d, token === undefined ? {} : { Authorization: token }, '/pets/1', 'GET', workerUrl);

  it('accepts a valid id token and passes its claims to $context.authorizer.claims', async () => {
    const r = await callPool(idOnly, pool.idToken());
    assert.equal(r.status, 200, r.body);
    const body = json(r.body);
    assert.equal(body.email, 'jane@example.com');
    assert.equal(body.sub, 'user-sub-1');
    assert.equal(body.tokenUse, 'id');
  });

  it('accepts an access token granting one of the method scopes, and refuses it without one', async () => {
    assert.equal((await callPool(scoped, pool.accessToken('openid pets/read'))).status, 200);
    const missing = await callPool(scoped, pool.accessToken('openid pets/write'));
    assert.deepEqual([missing.status, missing.body], [401, '{"message":"Unauthorized"}']);
    // With scopes on the method, only access tokens; without, only id tokens.
    assert.equal((await callPool(scoped, pool.idToken())).status, 401);
    assert.equal((await callPool(idOnly, pool.accessToken('pets/read'))).status, 401);
  });

  it('passes the claims to a Lambda proxy integration in requestContext.authorizer.claims', async () => {
    const proxied = await deploy({
      worker: workerUrl,
      proxy: true,
      authorizer: () => ({ type: 'COGNITO_USER_POOLS', providerARNs: [poolArn], identitySource: 'method.request.header.Authorization' }),
    });
    const r = await callPool(proxied, pool.idToken());
    assert.equal(r.status, 200, r.body);
    const { claims } = (JSON.parse(r.body) as { event: { requestContext: { authorizer: { claims: Record<string, string> } } } }).event.requestContext.authorizer;
    assert.equal(claims.email, 'jane@example.com');
    assert.equal(claims['cognito:username'], 'jane');
    assert.match(claims.exp!, /^\w{3} \w{3} \d{2} \d{2}:\d{2}:\d{2} UTC \d{4}$/);
  });

  it('answers 401 for a missing, expired, foreign, forged or other-client token', async () => {
    const other = new LocalUserPool();
    other.issuer = pool.issuer;
    const cases: Record<string, string | undefined> = {
      missing: undefined,
      garbage: 'not-a-jwt',
      expired: pool.idToken({}, { expiresIn: -60 }),
      'wrong issuer': pool.idToken({}, { issuer: 'http://127.0.0.1:1/other' }),
      'wrong client': pool.idToken({ aud: 'someone-else' }),
      'unknown key': other.idToken(),
    };
    for (const [name, token] of Object.entries(cases)) {
      const r = await callPool(idOnly, token);
      assert.deepEqual([r.status, r.body], [401, '{"message":"Unauthorized"}'], name);
    }
  });
});
