// Authorizers on the worker, with a fake Lambda: identity sources, the result cache (TTL, epoch,
// bounds), the function's output as API Gateway reads it, and user pool claims as it passes them on.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import type { Authorizer, Method } from '../../src/control-plane/protocol/shapes.js';
import { AuthorizerCache, type CacheScope } from '../../src/data-plane/auth/authorizer-cache.js';
import { claimsOf, javaDate } from '../../src/data-plane/auth/cognito-authorizer.js';
import { JwksClient, JwksUnavailable } from '../../src/data-plane/auth/jwks.js';
import { parseAuthorizerOutput } from '../../src/data-plane/auth/lambda-authorizer.js';
import { createAuthorizerServices } from '../../src/data-plane/auth/services.js';
import { parseUserPoolSettings, userPool } from '../../src/data-plane/auth/user-pools.js';
import { compileDeployment } from '../../src/data-plane/compile/index.js';
import type { LambdaInvocation, LambdaInvoker, LambdaResult } from '../../src/data-plane/lambda/types.js';
import { contextVariables } from '../../src/data-plane/mapping/context-variables.js';
import { authorize } from '../../src/data-plane/pipeline/authorize.js';
import type { InvocationContext } from '../../src/data-plane/pipeline/context.js';
import { GatewayError } from '../../src/data-plane/pipeline/errors.js';
import { gatewayResponse } from '../../src/data-plane/pipeline/gateway-response.js';
import { route } from '../../src/data-plane/pipeline/route.js';

const FUNCTION = 'arn:aws:lambda:us-east-1:123456789012:function:auth';
const URI = `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${FUNCTION}/invocations`;

const allowAll = (principalId = 'user-1', context: Record<string, unknown> = {}) => ({
  principalId,
  policyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: 'arn:aws:execute-api:us-east-1:123456789012:api123/prod/GET/*' }] },
  context,
});

/** A fake Lambda: answers with `answer(event)`, counting and keeping the events it got. */
class FakeLambda implements LambdaInvoker {
  readonly events: Record<string, unknown>[] = [];
  constructor(private readonly answer: (event: Record<string, unknown>) => LambdaResult | object) {}
  async invoke(invocation: LambdaInvocation): Promise<LambdaResult> {
    const event = JSON.parse(invocation.payload.toString()) as Record<string, unknown>;
    this.events.push(event);
    const answer = this.answer(event);
    if ('statusCode' in answer && 'payload' in answer) return answer as LambdaResult;
    return { statusCode: 200, payload: Buffer.from(JSON.stringify(answer)) };
  }
  async close() {}
}

const fail = (errorMessage: string): LambdaResult => ({
  statusCode: 200,
  functionError: 'Unhandled',
  payload: Buffer.from(JSON.stringify({ errorMessage, errorType: 'Error' })),
});

function deployment(authorizer: Authorizer, method: Partial<Method> = {}) {
  const get: Method = { httpMethod: 'GET', authorizationType: 'CUSTOM', authorizerId: authorizer.id, ...method };
  return compileDeployment({
    restApiId: 'api123',
    deploymentId: 'dep1',
    accountId: '123456789012',
    api: { name: 'test' },
    resources: [
      { id: 'root', path: '/', methods: {} },
      { id: 'pets', path: '/pets/{id}', methods: { GET: get, POST: { ...get, httpMethod: 'POST' } } },
    ],
    models: [],
    requestValidators: [],
    authorizers: [authorizer],
    gatewayResponses: [],
  });
}

type Setup = { authorizer: Authorizer; lambda: FakeLambda; method?: Partial<Method>; variables?: Record<string, string> };

function harness({ authorizer, lambda, method, variables = {} }: Setup) {
  const compiled = deployment(authorizer, method);
  const services = { executeApiDomain: 'execute-api.localhost', lambda, authorizers: createAuthorizerServices({ region: 'us-east-1' }) };
  let epoch = 0;
  return {
    flush: () => epoch++,
    async call(path: string, init: { method?: string; headers?: Record<string, string>; query?: Record<string, string> } = {}) {
      const headers = Object.fromEntries(Object.entries(init.headers ?? {}).map(([k, v]) => [k.toLowerCase(), [v]]));
      const ctx: InvocationContext = {
        requestId: 'req-1',
        extendedRequestId: 'ext-1',
        startedAt: Date.now(),
        httpMethod: init.method ?? 'GET',
        protocol: 'HTTP/1.1',
        sourceIp: '10.0.0.1',
        domainName: 'api123.execute-api.localhost',
        path,
        segments: path.split('/').filter(Boolean),
        query: Object.fromEntries(Object.entries(init.query ?? {}).map(([k, v]) => [k, [v]])),
        headers,
        rawHeaderNames: Object.fromEntries(Object.keys(init.headers ?? {}).map((k) => [k.toLowerCase(), k])),
        body: Buffer.alloc(0),
        received: { path, query: '', body: Buffer.alloc(0) },
        pathParams: {},
        services,
        stage: {
          config: {
            restApiId: 'api123',
            stageName: 'prod',
            deploymentId: 'dep1',
            variables,
            methodSettings: {},
            tracingEnabled: false,
            cacheClusterEnabled: false,
            authorizersCacheEpoch: epoch,
          },
          deployment: compiled,
        },
      };
      route(ctx);
      try {
        await authorize(ctx);
        return { ctx, status: 200, body: '' };
      } catch (err) {
        if (!(err instanceof GatewayError)) throw err;
        const response = gatewayResponse(ctx, err);
        return { ctx, status: response.statusCode, body: response.body.toString(), errorType: response.headers['x-amzn-errortype']?.[0] };
      }
    },
  };
}

const tokenAuthorizer = (extra: Partial<Authorizer> = {}): Authorizer => ({
  id: 'tok1',
  name: 'token',
  type: 'TOKEN',
  authorizerUri: URI,
  identitySource: 'method.request.header.Authorization',
  ...extra,
});

describe('TOKEN authorizers', () => {
  it('invokes the function with the token and the method ARN, and passes principalId and context on', async () => {
    const lambda = new FakeLambda(() => allowAll('user-7', { tier: 'gold', n: 3, ok: true }));
    const { call } = harness({ authorizer: tokenAuthorizer(), lambda });
    const { status, ctx } = await call('/pets/42', { headers: { Authorization: 'allow' } });
    assert.equal(status, 200);
    assert.deepEqual(lambda.events, [{ type: 'TOKEN', authorizationToken: 'allow', methodArn: 'arn:aws:execute-api:us-east-1:123456789012:api123/prod/GET/pets/42' }]);
    assert.equal(ctx.authorizer?.principalId, 'user-7');
    assert.deepEqual(ctx.authorizer?.context, { tier: 'gold', n: '3', ok: 'true' });
    assert.deepEqual(contextVariables(ctx).authorizer, { tier: 'gold', n: '3', ok: 'true', principalId: 'user-7' });
  });

  it('answers 401 without invoking the function when the token is missing or fails the validation expression', async () => {
    const lambda = new FakeLambda(() => allowAll());
    const { call } = harness({ authorizer: tokenAuthorizer({ identityValidationExpression: 'Bearer [a-z]+' }), lambda });
    for (const headers of [{}, { Authorization: '' }, { Authorization: 'Bearer abc1' }, { Authorization: 'xBearer abc' }] as Record<string, string>[]) {
      const r = await call('/pets/1', { headers });
      assert.equal(r.status, 401);
      assert.equal(r.body, '{"message":"Unauthorized"}');
      assert.equal(r.errorType, 'UnauthorizedException');
    }
    assert.equal(lambda.events.length, 0);
    assert.equal((await call('/pets/1', { headers: { Authorization: 'Bearer abc' } })).status, 200);
  });

  it('denies with 403: an explicit Deny, or a policy that does not allow this method', async () => {
    const lambda = new FakeLambda((e) =>
      e.authorizationToken === 'deny'
        ? { principalId: 'u', policyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'execute-api:Invoke', Resource: '*' }] } }
        : allowAll(),
    );
    const { call } = harness({ authorizer: tokenAuthorizer({ authorizerResultTtlInSeconds: 0 }), lambda });
    const denied = await call('/pets/1', { headers: { Authorization: 'deny' } });
    assert.equal(denied.status, 403);
    assert.equal(denied.errorType, 'AccessDeniedException');
    assert.equal(denied.body, '{"Message":"User is not authorized to access this resource with an explicit deny"}');
    const implicit = await call('/pets/1', { method: 'POST', headers: { Authorization: 'allow' } });
    assert.equal(implicit.status, 403);
    assert.equal(implicit.body, '{"Message":"User is not authorized to access this resource"}');
  });

  it('answers 401 when the function fails with "Unauthorized", 500 {"message": null} for other failures and malformed output', async () => {
    const answers: Record<string, LambdaResult | object> = {
      unauthorized: fail('Unauthorized'),
      boom: fail('boom'),
      nested: allowAll('u', { nested: { a: 1 } }),
      nopolicy: { principalId: 'u' },
      badpolicy: { principalId: 'u', policyDocument: { Statement: [{ Effect: 'Maybe', Action: '*' }] } },
      notjson: { statusCode: 200, payload: Buffer.from('not json') },
      missing: { statusCode: 404, payload: Buffer.from('{"Message":"Function not found"}'), errorType: 'ResourceNotFoundException' },
    };
    const lambda = new FakeLambda((e) => answers[e.authorizationToken as string]!);
    const { call } = harness({ authorizer: tokenAuthorizer(), lambda });
    const r401 = await call('/pets/1', { headers: { Authorization: 'unauthorized' } });
    assert.deepEqual([r401.status, r401.body], [401, '{"message":"Unauthorized"}']);
    for (const token of ['boom', 'nested', 'nopolicy', 'badpolicy', 'notjson', 'missing']) {
      const r = await call('/pets/1', { headers: { Authorization: token } });
      assert.deepEqual([r.status, r.body, r.errorType], [500, '{"message":null}', 'AuthorizerConfigurationException'], token);
    }
  });

  it('caches by token for the TTL, re-evaluating the cached policy for each method; a flush or TTL 0 invokes again', async () => {
    const lambda = new FakeLambda(() => allowAll());
    const h = harness({ authorizer: tokenAuthorizer({ authorizerResultTtlInSeconds: 60 }), lambda });
    assert.equal((await h.call('/pets/1', { headers: { Authorization: 'a' } })).status, 200);
    assert.equal((await h.call('/pets/2', { headers: { Authorization: 'a' } })).status, 200);
    // The cached policy allows GET only.
    assert.equal((await h.call('/pets/2', { method: 'POST', headers: { Authorization: 'a' } })).status, 403);
    assert.equal(lambda.events.length, 1);
    assert.equal((await h.call('/pets/1', { headers: { Authorization: 'b' } })).status, 200);
    assert.equal(lambda.events.length, 2);
    h.flush();
    assert.equal((await h.call('/pets/1', { headers: { Authorization: 'a' } })).status, 200);
    assert.equal(lambda.events.length, 3);

    const uncached = new FakeLambda(() => allowAll());
    const h0 = harness({ authorizer: tokenAuthorizer({ authorizerResultTtlInSeconds: 0 }), lambda: uncached });
    await h0.call('/pets/1', { headers: { Authorization: 'a' } });
    await h0.call('/pets/1', { headers: { Authorization: 'a' } });
    assert.equal(uncached.events.length, 2);
  });

  it('resolves stage variables in the authorizer URI', async () => {
    let invoked = '';
    const lambda: LambdaInvoker = {
      async invoke(invocation) {
        invoked = invocation.functionArn;
        return { statusCode: 200, payload: Buffer.from(JSON.stringify(allowAll())) };
      },
      async close() {},
    };
    const uri = 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:${stageVariables.fn}/invocations';
    const { call } = harness({ authorizer: tokenAuthorizer({ authorizerUri: uri }), lambda: lambda as FakeLambda, variables: { fn: 'auth-prod' } });
    assert.equal((await call('/pets/1', { headers: { Authorization: 'a' } })).status, 200);
    assert.equal(invoked, 'arn:aws:lambda:us-east-1:123456789012:function:auth-prod');
  });
});

describe('REQUEST authorizers', () => {
  const requestAuthorizer = (extra: Partial<Authorizer> = {}): Authorizer => ({
    id: 'req1',
    name: 'request',
    type: 'REQUEST',
    authorizerUri: URI,
    identitySource: 'method.request.header.HeaderAuth1, method.request.querystring.QueryString1, stageVariables.StageVar1',
    ...extra,
  });

  it('sends the request to the function and keys the cache by every identity source', async () => {
    const lambda = new FakeLambda(() => allowAll());
    const { call } = harness({ authorizer: requestAuthorizer(), lambda, variables: { StageVar1: 'stageValue1' } });
    const init = { headers: { HeaderAuth1: 'headerValue1' }, query: { QueryString1: 'queryValue1' } };
    assert.equal((await call('/pets/9', init)).status, 200);
    const event = lambda.events[0]!;
    assert.equal(event.type, 'REQUEST');
    assert.equal(event.methodArn, 'arn:aws:execute-api:us-east-1:123456789012:api123/prod/GET/pets/9');
    assert.equal(event.resource, '/pets/{id}');
    assert.equal(event.path, '/pets/9');
    assert.equal(event.httpMethod, 'GET');
    assert.deepEqual(event.headers, { HeaderAuth1: 'headerValue1' });
    assert.deepEqual(event.multiValueHeaders, { HeaderAuth1: ['headerValue1'] });
    assert.deepEqual(event.queryStringParameters, { QueryString1: 'queryValue1' });
    assert.deepEqual(event.multiValueQueryStringParameters, { QueryString1: ['queryValue1'] });
    assert.deepEqual(event.pathParameters, { id: '9' });
    assert.deepEqual(event.stageVariables, { StageVar1: 'stageValue1' });
    const requestContext = event.requestContext as Record<string, unknown>;
    assert.equal(requestContext.resourcePath, '/pets/{id}');
    assert.equal(requestContext.stage, 'prod');
    assert.equal(requestContext.apiId, 'api123');
    assert.equal((requestContext.identity as Record<string, unknown>).sourceIp, '10.0.0.1');

    assert.equal((await call('/pets/10', init)).status, 200);
    assert.equal(lambda.events.length, 1);
    assert.equal((await call('/pets/10', { ...init, query: { QueryString1: 'other' } })).status, 200);
    assert.equal(lambda.events.length, 2);
  });

  it('answers 401 when any identity source is missing, without invoking the function', async () => {
    const lambda = new FakeLambda(() => allowAll());
    const { call } = harness({ authorizer: requestAuthorizer(), lambda, variables: { StageVar1: 'v' } });
    assert.equal((await call('/pets/1', { headers: { HeaderAuth1: 'h' } })).status, 401);
    assert.equal((await call('/pets/1', { query: { QueryString1: 'q' } })).status, 401);
    const noStageVariable = harness({ authorizer: requestAuthorizer(), lambda });
    assert.equal((await noStageVariable.call('/pets/1', { headers: { HeaderAuth1: 'h' }, query: { QueryString1: 'q' } })).status, 401);
    assert.equal(lambda.events.length, 0);
  });

  it('reads context variables as identity sources, and invokes every time without any source', async () => {
    const lambda = new FakeLambda(() => allowAll());
    const { call } = harness({ authorizer: requestAuthorizer({ identitySource: 'context.identity.sourceIp' }), lambda });
    await call('/pets/1');
    await call('/pets/1');
    assert.equal(lambda.events.length, 1);
    const none = new FakeLambda(() => allowAll());
    const h = harness({ authorizer: requestAuthorizer({ identitySource: undefined, authorizerResultTtlInSeconds: 0 }), lambda: none });
    await h.call('/pets/1');
    await h.call('/pets/1');
    assert.equal(none.events.length, 2);
  });
});

describe('authorizer output', () => {
  it('takes principalId, policy, string/number/boolean context and usageIdentifierKey', () => {
    const result = parseAuthorizerOutput(Buffer.from(JSON.stringify({ ...allowAll('p', { a: 'x', b: 2, c: false }), usageIdentifierKey: 'key-1' })));
    assert.equal(result.principalId, 'p');
    assert.deepEqual(result.context, { a: 'x', b: '2', c: 'false' });
    assert.equal(result.usageIdentifierKey, 'key-1');
  });

  it('refuses context values that are not scalars, a missing policy and non-string principals', () => {
    for (const output of [allowAll('p', { a: null }), allowAll('p', { a: [1] }), { principalId: 'p' }, { ...allowAll(), principalId: { x: 1 } }, [], 'x']) {
      assert.throws(() => parseAuthorizerOutput(Buffer.from(JSON.stringify(output))), Error, JSON.stringify(output));
    }
  });
});

describe('the authorizer result cache', () => {
  const scope: CacheScope = { restApiId: 'a', stageName: 's', deploymentId: 'd', authorizerId: 'x', epoch: 0 };

  it('expires entries after their TTL and drops those of an older epoch', () => {
    let now = 1000;
    const cache = new AuthorizerCache<string>({ maxEntries: 10, maxBytes: 10_000 }, () => now);
    cache.set(scope, ['t'], 'v', 5, 10);
    assert.equal(cache.get(scope, ['t']), 'v');
    now += 5000;
    assert.equal(cache.get(scope, ['t']), undefined);
    cache.set(scope, ['t'], 'v', 5, 10);
    assert.equal(cache.get({ ...scope, epoch: 1 }, ['t']), undefined);
    assert.equal(cache.size, 0);
  });

  it('keeps identities apart and evicts the least recently used past its bounds', () => {
    const cache = new AuthorizerCache<string>({ maxEntries: 2, maxBytes: 1000 });
    cache.set(scope, ['a', 'b'], 'ab', 60, 10);
    cache.set(scope, ['a,b'], 'a,b', 60, 10);
    assert.equal(cache.get(scope, ['a', 'b']), 'ab');
    cache.set(scope, ['c'], 'c', 60, 10);
    assert.equal(cache.get(scope, ['a,b']), undefined);
    assert.equal(cache.get(scope, ['a', 'b']), 'ab');
    const small = new AuthorizerCache<string>({ maxEntries: 100, maxBytes: 300 });
    for (const t of ['1', '2', '3']) small.set(scope, [t], t, 60, 100);
    assert.ok(small.size < 3);
    assert.equal(small.get(scope, ['3']), '3');
  });
});

describe('user pools', () => {
  it('maps pool ARNs to issuers by setting, else to Amazon Cognito', () => {
    const arn = 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_abc';
    const settings = parseUserPoolSettings(JSON.stringify({ [arn]: { issuer: 'http://127.0.0.1:9000/pool/', clientIds: ['c1'] } }));
    assert.deepEqual(userPool(arn, settings), { arn, issuer: 'http://127.0.0.1:9000/pool/', jwksUri: 'http://127.0.0.1:9000/pool/.well-known/jwks.json', clientIds: ['c1'] });
    assert.deepEqual(userPool('arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_xyz', settings), {
      arn: 'arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_xyz',
      issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_xyz',
      jwksUri: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_xyz/.well-known/jwks.json',
    });
    assert.throws(() => parseUserPoolSettings('[]'), /must be a JSON object/);
    assert.throws(() => parseUserPoolSettings('{"not-an-arn": {"issuer": "x"}}'), /not a user pool ARN/);
    assert.throws(() => parseUserPoolSettings(JSON.stringify({ [arn]: {} })), /needs an "issuer"/);
  });

  it('passes claims on as strings, exp and iat as Java dates', () => {
    assert.equal(javaDate(1499912200), 'Thu Jul 13 02:16:40 UTC 2017');
    assert.deepEqual(claimsOf({ sub: 'u1', exp: 1499912200, iat: 1499908600, auth_time: 1499908600, email_verified: true, 'cognito:groups': ['a', 'b'] }), {
      sub: 'u1',
      exp: 'Thu Jul 13 02:16:40 UTC 2017',
      iat: 'Thu Jul 13 01:16:40 UTC 2017',
      auth_time: '1499908600',
      email_verified: 'true',
      'cognito:groups': 'a,b',
    });
  });
});

describe('user pool signing keys', () => {
  const jwk = (kid: string) => ({ ...generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'jwk' }), kid, use: 'sig' });

  it('fetches a key set once, refetches for an unknown key id no more often than allowed, and survives the issuer going away', async () => {
    let keys = [jwk('a')];
    let fetches = 0;
    let up = true;
    const server = createServer((_, res) => {
      fetches++;
      if (!up) res.writeHead(503).end();
      else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const uri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
    let now = 0;
    const client = new JwksClient({ minRefreshMs: 30_000, retryMs: 1000, maxAgeMs: 3_600_000 }, () => now);
    try {
      const [first, second] = await Promise.all([client.key(uri, 'a'), client.key(uri, 'a')]);
      assert.ok(first && second);
      assert.equal(fetches, 1);
      keys = [jwk('a'), jwk('b')];
      assert.equal(await client.key(uri, 'b'), undefined, 'no refetch within minRefreshMs');
      assert.equal(fetches, 1);
      now += 30_000;
      assert.ok(await client.key(uri, 'b'), 'refetched for the unknown key id');
      assert.equal(fetches, 2);
      up = false;
      now += 3_600_000;
      assert.ok(await client.key(uri, 'a'), 'a stale set keeps serving while the issuer is down');
      assert.equal(fetches, 3);

      const fresh = new JwksClient({ retryMs: 1000 }, () => now);
      await assert.rejects(fresh.key(uri, 'a'), JwksUnavailable);
      await assert.rejects(fresh.key(uri, 'a'), JwksUnavailable);
      assert.equal(fetches, 4, 'a failed fetch is retried only after retryMs');
      up = true;
      now += 1000;
      assert.ok(await fresh.key(uri, 'a'));
    } finally {
      server.close();
    }
  });
});
