// The Lambda proxy event and response contract, away from the network: what the event holds for
// each kind of request, and which function outputs make a response.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileDeployment } from '../../src/data-plane/compile/index.js';
import { pathAfterStage, proxyEvent, rawPathParameters } from '../../src/data-plane/integrations/lambda-proxy-event.js';
import { MalformedProxyResponse, proxyResponse } from '../../src/data-plane/integrations/lambda-proxy-response.js';
import type { InvocationContext } from '../../src/data-plane/pipeline/context.js';
import { testInvocation } from '../helpers/invocation.js';

const deployment = compileDeployment({
  restApiId: 'a1b2c3d4e5',
  deploymentId: 'dep123',
  accountId: '123456789012',
  api: { name: 'test', binaryMediaTypes: ['image/*'] },
  resources: [{ id: 'res123', path: '/pets/{petId}/{proxy+}', methods: {} }],
  models: [],
  requestValidators: [],
  authorizers: [],
  gatewayResponses: [],
});

type Request = { path?: string; query?: Record<string, string[]>; headers?: Record<string, string[]>; names?: Record<string, string>; body?: Buffer; variables?: Record<string, string> };

/** A request on stage `dev`, path style unless the path says otherwise. */
function invocation(request: Request = {}): InvocationContext {
  const received = request.path ?? '/restapis/a1b2c3d4e5/dev/_user_request_/pets/42/toys/ball';
  const segments = received.split('/').filter(Boolean).slice(received.startsWith('/restapis/') ? 4 : 1).map(decodeURIComponent);
  const body = request.body ?? Buffer.alloc(0);
  return testInvocation(deployment, request.variables ?? {}, {
    path: '/' + segments.join('/'),
    segments,
    query: request.query ?? {},
    headers: request.headers ?? { host: ['a1b2c3d4e5.execute-api.localhost:4568'] },
    rawHeaderNames: request.names ?? { host: 'Host' },
    body,
    received: { path: received, query: '', body },
  });
}

describe('the proxy event', () => {
  it('has every field, null for absent maps', () => {
    const event = proxyEvent(invocation());
    assert.deepEqual(Object.keys(event), [
      'resource', 'path', 'httpMethod', 'headers', 'multiValueHeaders', 'queryStringParameters', 'multiValueQueryStringParameters',
      'pathParameters', 'stageVariables', 'requestContext', 'body', 'isBase64Encoded',
    ]);
    assert.equal(event.resource, '/pets/{petId}/{proxy+}');
    assert.equal(event.path, '/pets/42/toys/ball');
    assert.deepEqual(event.pathParameters, { petId: '42', proxy: 'toys/ball' });
    assert.equal(event.queryStringParameters, null);
    assert.equal(event.multiValueQueryStringParameters, null);
    assert.equal(event.stageVariables, null);
    assert.equal(event.body, null);
    assert.equal(event.isBase64Encoded, false);
  });

  it('has the documented requestContext, without an authorizer when there is none', () => {
    const { requestContext } = proxyEvent(invocation());
    assert.deepEqual(requestContext, {
      accountId: '123456789012',
      apiId: 'a1b2c3d4e5',
      deploymentId: 'dep123',
      domainName: 'a1b2c3d4e5.execute-api.localhost',
      domainPrefix: 'a1b2c3d4e5',
      extendedRequestId: 'ext-1',
      httpMethod: 'POST',
      identity: {
        accessKey: null, accountId: null, caller: null, cognitoAuthenticationProvider: null, cognitoAuthenticationType: null, cognitoIdentityId: null,
        cognitoIdentityPoolId: null, principalOrgId: null, sourceIp: '10.0.0.7', user: null, userAgent: null, userArn: null,
      },
      path: '/dev/pets/42/toys/ball',
      protocol: 'HTTP/1.1',
      requestId: 'req-1',
      requestTime: '03/Feb/2024:04:05:06 +0000',
      requestTimeEpoch: Date.UTC(2024, 1, 3, 4, 5, 6),
      resourceId: 'res123',
      resourcePath: '/pets/{petId}/{proxy+}',
      stage: 'dev',
    });
  });

  it("flattens a Lambda authorizer's context beside its principalId", () => {
    const ctx = { ...invocation(), authorizer: { principalId: 'user-1', context: { tier: 'gold', count: '3' }, integrationLatency: 12 } };
    assert.deepEqual(proxyEvent(ctx).requestContext.authorizer, { tier: 'gold', count: '3', principalId: 'user-1', integrationLatency: 12 });
  });

  it("carries a user pool token's claims", () => {
    const ctx = { ...invocation(), authorizer: { claims: { sub: 'abc', 'cognito:username': 'jane' } } };
    assert.deepEqual(proxyEvent(ctx).requestContext.authorizer, { claims: { sub: 'abc', 'cognito:username': 'jane' } });
  });

  it('keeps the last value of repeated headers and query strings in the single-valued maps', () => {
    const event = proxyEvent(invocation({
      query: { multi: ['you', 'me'] },
      headers: { 'x-twice': ['one', 'two'], 'content-length': ['0'], connection: ['keep-alive'] },
      names: { 'x-twice': 'X-Twice' },
    }));
    assert.deepEqual(event.queryStringParameters, { multi: 'me' });
    assert.deepEqual(event.multiValueQueryStringParameters, { multi: ['you', 'me'] });
    assert.equal(event.headers!['X-Twice'], 'two');
    assert.deepEqual(event.multiValueHeaders!['X-Twice'], ['one', 'two']);
    assert.equal(event.headers!['content-length'], undefined);
    assert.equal(event.headers!.connection, undefined);
  });

  it('appends the client to X-Forwarded-For, and keeps forwarded port and protocol', () => {
    const forwarded = proxyEvent(invocation({
      headers: { 'x-forwarded-for': ['203.0.113.9'], 'x-forwarded-proto': ['https'], 'x-forwarded-port': ['443'] },
      names: { 'x-forwarded-for': 'X-Forwarded-For', 'x-forwarded-proto': 'X-Forwarded-Proto', 'x-forwarded-port': 'X-Forwarded-Port' },
    }));
    assert.equal(forwarded.headers!['X-Forwarded-For'], '203.0.113.9, 10.0.0.7');
    assert.equal(forwarded.headers!['X-Forwarded-Proto'], 'https');
    assert.equal(forwarded.headers!['X-Forwarded-Port'], '443');
  });

  it('base64-encodes a body of a binary media type', () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0xff]);
    const binary = proxyEvent(invocation({ headers: { 'content-type': ['image/png'] }, body: png }));
    assert.deepEqual([binary.body, binary.isBase64Encoded], [png.toString('base64'), true]);
    const text = proxyEvent(invocation({ headers: { 'content-type': ['text/plain'] }, body: Buffer.from('héllo') }));
    assert.deepEqual([text.body, text.isBase64Encoded], ['héllo', false]);
  });

  it('reads the host-style path after the stage as sent', () => {
    const ctx = invocation({ path: '/dev//pets/a%20b/x//y/' });
    assert.equal(pathAfterStage(ctx), '//pets/a%20b/x//y/');
    const event = proxyEvent(ctx);
    assert.equal(event.path, '/pets/a%20b/x//y/');
    assert.equal(event.requestContext.path, '/dev//pets/a%20b/x//y/');
    assert.deepEqual(event.pathParameters, { petId: 'a%20b', proxy: 'x//y' });
  });

  it('reads path parameters from raw paths', () => {
    assert.deepEqual(rawPathParameters('/', ''), {});
    assert.deepEqual(rawPathParameters('/{proxy+}', '/a/b/'), { proxy: 'a/b' });
    assert.deepEqual(rawPathParameters('/users/{id}/files/{path+}', '/users/u%401/files/docs//a.txt'), { id: 'u%401', path: 'docs//a.txt' });
  });
});

describe('the proxy response', () => {
  const respond = (output: unknown, accept?: string) => proxyResponse(invocation({ headers: accept ? { accept: [accept] } : {} }), Buffer.from(JSON.stringify(output)));

  it('reads scalars as text and defaults the status to 200', () => {
    const r = respond({ headers: { 'x-count': 3, 'x-flag': false }, body: 42 });
    assert.equal(r.statusCode, 200);
    assert.deepEqual(r.headers, { 'x-count': ['3'], 'x-flag': ['false'], 'content-type': ['application/json'] });
    assert.equal(r.body.toString(), '42');
  });

  it('decodes base64 for a client that accepts the binary media type', () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47]);
    const output = { statusCode: 200, headers: { 'Content-Type': 'image/png' }, body: png.toString('base64'), isBase64Encoded: 'true' };
    assert.deepEqual(respond(output, 'image/png').body, png);
    assert.equal(respond(output, 'application/json').body.toString(), png.toString('base64'));
    assert.deepEqual(respond(output, 'image/png').headers['content-type'], ['image/png']);
  });

  it('refuses what API Gateway refuses', () => {
    for (const output of [{ statusCode: 99 }, { statusCode: 200.5 }, { isBase64Encoded: 'yes' }, { statusCode: 200, body: 'not base64!', isBase64Encoded: true }, [1, 2], 12]) {
      assert.throws(() => respond(output, 'image/png'), MalformedProxyResponse, JSON.stringify(output));
    }
    assert.throws(() => proxyResponse(invocation(), Buffer.from('{"statusCode": 200')), MalformedProxyResponse);
  });
});
