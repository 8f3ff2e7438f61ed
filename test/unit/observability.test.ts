// What a worker records per request, away from the network: cache hits and misses counted when the
// cache step says so, one series per request, and access log formats with `-` for absent values.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileAccessLogFormat } from '../../src/data-plane/compile/access-log-format.js';
import { compileDeployment } from '../../src/data-plane/compile/index.js';
import { Observability } from '../../src/data-plane/observability/index.js';
import { metricValue, parseMetrics } from '../helpers/metrics.js';
import { testInvocation } from '../helpers/invocation.js';

const method = { httpMethod: 'GET' };
const deployment = compileDeployment({
  restApiId: 'a1b2c3d4e5',
  deploymentId: 'dep123',
  accountId: '123456789012',
  api: { name: 'pets' },
  resources: [{ id: 'res123', path: '/pets', methods: { GET: method } }],
  models: [],
  requestValidators: [],
  authorizers: [],
  gatewayResponses: [],
});

describe('metrics of a request', () => {
  it('counts CacheHitCount and CacheMissCount only when the cache step set ctx.cacheHit', async () => {
    const observability = new Observability({ accessLogDestinations: {} });
    const ctx = testInvocation(deployment, {}, { method, httpMethod: 'GET' });
    observability.record({ ...ctx, cacheHit: true }, 200);
    observability.record({ ...ctx, cacheHit: true }, 200);
    observability.record({ ...ctx, cacheHit: false }, 200);
    observability.record(ctx, 502);
    const samples = parseMetrics(await observability.metrics.text());
    const stage = { ApiName: 'pets', Stage: 'dev' };
    assert.equal(metricValue(samples, 'apigateway_CacheHitCount', stage), 2);
    assert.equal(metricValue(samples, 'apigateway_CacheMissCount', stage), 1);
    assert.equal(metricValue(samples, 'apigateway_Count', stage), 4);
    assert.equal(metricValue(samples, 'apigateway_5XXError', stage), 1);
    assert.equal(metricValue(samples, 'apigateway_4XXError', stage), 0);
    await observability.close();
  });
});

describe('access log formats', () => {
  const ctx = testInvocation(deployment, {}, { resource: deployment.snapshot.resources[0], httpMethod: 'GET', headers: { 'user-agent': ['curl/8'] } });

  it('writes `-` for what the request does not have, and JSON-quotes messageString', () => {
    const format = compileAccessLogFormat('$context.requestId $context.identity.caller $context.integrationLatency $context.error.messageString $context.authorizer.principalId');
    assert.equal(format(ctx, { status: 200, latencyMs: 1.4 }), 'req-1 - - - -');
    const failed = { ...ctx, gatewayError: { message: 'Missing Authentication Token', responseType: 'MISSING_AUTHENTICATION_TOKEN' } };
    assert.equal(compileAccessLogFormat('$context.error.messageString|$context.error.responseType')(failed, { status: 403, latencyMs: 1 }), '"Missing Authentication Token"|MISSING_AUTHENTICATION_TOKEN');
  });

  it('reads every other $context variable from the template variables, braces or not', () => {
    const format = compileAccessLogFormat('${context.stage}/$context.apiId $context.identity.userAgent $context.domainPrefix $context.responseLatency $context.status.');
    assert.equal(format(ctx, { status: 201, latencyMs: 2.6 }), 'dev/a1b2c3d4e5 curl/8 a1b2c3d4e5 3 201.');
  });
});
