// The stage cache's parts: the store (TTL, LRU bounds per stage and per worker, flush by
// generation, AWS's entry size limit), which methods a stage's settings cache and how entries are
// keyed, and the canary draw.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Method, MethodSetting } from '../../src/control-plane/protocol/shapes.js';
import { cacheKey, compileStageCache } from '../../src/data-plane/cache/policy.js';
import { MAX_ENTRY_BYTES, StageCache, type CachePartition } from '../../src/data-plane/cache/stage-cache.js';
import { compileDeployment, type CompiledStage } from '../../src/data-plane/compile/index.js';
import type { InvocationContext, MethodResult } from '../../src/data-plane/pipeline/context.js';
import { canary } from '../../src/data-plane/pipeline/canary.js';
import type { DeploymentSnapshot, SnapshotResource, StageConfig } from '../../src/shared/worker-config.js';

const response = (body: string): MethodResult => ({ statusCode: 200, headers: { 'content-type': ['application/json'] }, body: Buffer.from(body) });
const partition = (id: string, generation = '0:0.5', capacityBytes = 0.5 * 1024 ** 3): CachePartition => ({ id, generation, capacityBytes });

describe('StageCache', () => {
  it('keeps an entry for its TTL', () => {
    let now = 1_000;
    const cache = new StageCache(1024 * 1024, () => now);
    const p = partition('api/prod');
    cache.set(p, 'k', response('a'), 2);
    assert.equal(cache.get(p, 'k')?.body.toString(), 'a');
    now += 1999;
    assert.ok(cache.get(p, 'k'));
    now += 1;
    assert.equal(cache.get(p, 'k'), undefined);
    assert.equal(cache.size, 0, 'the expired entry is released');
    cache.set(p, 'zero', response('a'), 0);
    assert.equal(cache.get(p, 'zero'), undefined, 'TTL 0 caches nothing');
  });

  it('empties a stage whose generation changed (a flush, a new cluster size), and only that stage', () => {
    const cache = new StageCache(1024 * 1024);
    cache.set(partition('api/prod'), 'k', response('a'), 60);
    cache.set(partition('api/dev'), 'k', response('b'), 60);
    assert.equal(cache.get(partition('api/prod', '1:0.5'), 'k'), undefined);
    assert.equal(cache.get(partition('api/prod', '0:0.5'), 'k'), undefined, 'gone for good');
    assert.equal(cache.get(partition('api/dev'), 'k')?.body.toString(), 'b');
  });

  it('evicts the least recently used entries over the worker bound, across stages', () => {
    let now = 0;
    const body = 'x'.repeat(1000);
    const cache = new StageCache(4500, () => now++);
    const [a, b] = [partition('api/a'), partition('api/b')];
    cache.set(a, '1', response(body), 60);
    cache.set(b, '2', response(body), 60);
    cache.set(a, '3', response(body), 60);
    assert.ok(cache.get(a, '1'), 'touching entry 1 makes entry 2 the least recently used');
    cache.set(b, '4', response(body), 60);
    assert.equal(cache.get(b, '2'), undefined);
    assert.ok(cache.get(a, '1') && cache.get(a, '3') && cache.get(b, '4'));
    assert.ok(cache.size <= 4500);
  });

  it('bounds each stage by its cache cluster size', () => {
    const cache = new StageCache(1024 * 1024);
    const small = partition('api/small', '0:tiny', 2500);
    for (const key of ['1', '2', '3']) cache.set(small, key, response('y'.repeat(1000)), 60);
    assert.equal(cache.get(small, '1'), undefined);
    assert.ok(cache.get(small, '2') && cache.get(small, '3'));
  });

  it('does not cache a response above 1,048,576 bytes', () => {
    const cache = new StageCache(8 * 1024 * 1024);
    const p = partition('api/prod');
    cache.set(p, 'big', response('z'.repeat(MAX_ENTRY_BYTES)), 60);
    assert.equal(cache.get(p, 'big'), undefined);
    cache.set(p, 'fits', response('z'.repeat(MAX_ENTRY_BYTES - 100)), 60);
    assert.ok(cache.get(p, 'fits'));
  });
});

const method = (httpMethod: string, integration: Method['methodIntegration'] = { type: 'MOCK' }): Method => ({ httpMethod, methodIntegration: integration });

function snapshot(resources: SnapshotResource[]): DeploymentSnapshot {
  return { restApiId: 'api123', deploymentId: 'dep1', accountId: '123456789012', api: { name: 'x' }, resources, models: [], requestValidators: [], authorizers: [], gatewayResponses: [] };
}

function stageConfig(methodSettings: Record<string, MethodSetting>, overrides: Partial<StageConfig> = {}): StageConfig {
  return { restApiId: 'api123', stageName: 'prod', deploymentId: 'dep1', variables: {}, methodSettings, tracingEnabled: false, cacheClusterEnabled: true, cacheClusterSize: '0.5', ...overrides };
}

describe('compileStageCache', () => {
  const pets: SnapshotResource = {
    id: 'res1',
    path: '/pets/{petId}',
    methods: {
      GET: method('GET', {
        type: 'HTTP',
        cacheKeyParameters: ['method.request.path.petId', 'integration.request.header.tenant', 'integration.request.querystring.fixed'],
        requestParameters: { 'integration.request.header.tenant': 'method.request.header.X-Tenant', 'integration.request.querystring.fixed': "'v1'" },
      }),
      POST: method('POST'),
      DELETE: method('DELETE', { type: 'MOCK', cacheNamespace: 'shared' }),
    },
  };
  const root: SnapshotResource = { id: 'root1', path: '/', methods: { GET: method('GET') } };

  it('caches what the settings enable: GET from */*, any method by its own settings', () => {
    const policy = compileStageCache(
      stageConfig({ '*/*': { cachingEnabled: true }, 'pets/{petId}/DELETE': { cachingEnabled: true, cacheTtlInSeconds: 7200 }, '/GET': { cachingEnabled: false } }),
      [pets, root],
    )!;
    assert.equal(policy.partition.id, 'api123/prod');
    assert.equal(policy.partition.capacityBytes, 0.5 * 1024 ** 3);
    const get = policy.methods.get(pets.methods.GET!)!;
    assert.deepEqual([get.getOnly, get.ttlSeconds, get.namespace, get.requireAuthorization, get.unauthorizedStrategy], [true, 300, 'res1', true, 'SUCCEED_WITH_RESPONSE_HEADER']);
    assert.equal(policy.methods.get(pets.methods.POST!)!.getOnly, true, 'from */* a POST method serves GET requests only: never');
    const del = policy.methods.get(pets.methods.DELETE!)!;
    assert.deepEqual([del.getOnly, del.ttlSeconds, del.namespace], [false, 3600, 'shared']);
    assert.equal(policy.methods.has(root.methods.GET!), false, 'the root GET turned caching off');
  });

  it('caches nothing without a cluster, with caching off or a TTL of 0', () => {
    assert.equal(compileStageCache(stageConfig({ '*/*': { cachingEnabled: true } }, { cacheClusterEnabled: false }), [pets]), undefined);
    assert.equal(compileStageCache(stageConfig({}), [pets]), undefined);
    assert.equal(compileStageCache(stageConfig({ '*/*': { cachingEnabled: true, cacheTtlInSeconds: 0 } }), [pets]), undefined);
  });

  it('puts the flush epoch and the cluster size in the generation', () => {
    const a = compileStageCache(stageConfig({ '*/*': { cachingEnabled: true } }, { cacheEpoch: 5, cacheClusterSize: '6.1' }), [pets])!;
    assert.equal(a.partition.generation, '5:6.1');
  });

  it('keys an entry by namespace, HTTP method and the cache key parameters, mapped ones included', () => {
    const policy = compileStageCache(stageConfig({ '*/*': { cachingEnabled: true } }), [pets])!.methods.get(pets.methods.GET!)!;
    const ctx = (pathParams: Record<string, string>, headers: Record<string, string[]>, query: Record<string, string[]> = {}) =>
      ({ httpMethod: 'GET', pathParams, headers, query }) as unknown as InvocationContext;
    const key = cacheKey(policy, ctx({ petId: '7' }, { 'x-tenant': ['acme'] }, { other: ['1'] }));
    assert.equal(key, JSON.stringify(['res1', 'GET', '7', 'acme', 'v1']));
    assert.equal(cacheKey(policy, ctx({ petId: '7' }, { 'x-tenant': ['acme'] })), key, 'other query strings do not count');
    assert.notEqual(cacheKey(policy, ctx({ petId: '8' }, { 'x-tenant': ['acme'] })), key);
  });
});

describe('canary draw', () => {
  const stage = (percentTraffic: number): CompiledStage => {
    const deployment = compileDeployment(snapshot([]));
    const config = stageConfig({});
    return { config, deployment, canary: { percentTraffic, stage: { config, deployment, isCanary: true } } };
  };
  const drawn = (percentTraffic: number, random: number) => {
    const ctx = { stage: stage(percentTraffic) } as InvocationContext;
    canary(ctx, () => random);
    return ctx.stage!.isCanary === true;
  };

  it('sends a request to the canary when the draw falls within percentTraffic', () => {
    assert.equal(drawn(25, 0.2499), true);
    assert.equal(drawn(25, 0.25), false);
    assert.equal(drawn(0, 0), false, '0% never');
    assert.equal(drawn(100, 0.999999), true, '100% always');
    const ctx = { stage: { ...stage(50), canary: undefined } } as InvocationContext;
    canary(ctx, () => 0);
    assert.equal(ctx.stage!.isCanary, undefined, 'a stage without a canary stays itself');
  });
});
