// Prometheus metrics with API Gateway's names and dimensions, as the Developer Guide's "Amazon API
// Gateway dimensions and metrics" lists them: Count, 4XXError, 5XXError, Latency, IntegrationLatency,
// CacheHitCount and CacheMissCount by ApiName and Stage, and by Method and Resource once detailed
// metrics are on.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { before, describe, it } from 'node:test';
import {
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
  UpdateStageCommand,
} from '@aws-sdk/client-api-gateway';
import { endpoint, newClient } from '../helpers/client.js';
import { invoke, waitForStage, workerEndpoint } from '../helpers/invoke.js';
import { metricValue, scrape, type Sample } from '../helpers/metrics.js';

const client = newClient();
const apiName = `metrics-${randomBytes(6).toString('hex')}`;
let restApiId: string;

/** A MOCK method answering `status` with a fixed body. */
async function mockMethod(resourceId: string, status: number) {
  await client.send(new PutMethodCommand({ restApiId, resourceId, httpMethod: 'GET', authorizationType: 'NONE' }));
  await client.send(new PutIntegrationCommand({ restApiId, resourceId, httpMethod: 'GET', type: 'MOCK', requestTemplates: { 'application/json': `{"statusCode": ${status}}` } }));
  await client.send(new PutMethodResponseCommand({ restApiId, resourceId, httpMethod: 'GET', statusCode: String(status) }));
  await client.send(new PutIntegrationResponseCommand({ restApiId, resourceId, httpMethod: 'GET', statusCode: String(status), responseTemplates: { 'application/json': '{"ok": true}' } }));
}

const workerMetrics = () => scrape(`${workerEndpoint}/_portico/metrics`);
const stage = (extra: Record<string, string> = {}) => ({ ApiName: apiName, Stage: 'prod', ...extra });
/** A stage's series that carry no Method dimension. */
const stageOnly = (samples: Sample[], name: string) =>
  samples.filter((s) => s.name === name && s.labels.ApiName === apiName && s.labels.Stage === 'prod' && s.labels.Method === undefined).reduce((sum, s) => sum + s.value, 0);

async function calls(paths: string[]) {
  for (const path of paths) await invoke(restApiId, 'prod', path);
}

describe('worker metrics', () => {
  before(async () => {
    const api = await client.send(new CreateRestApiCommand({ name: apiName }));
    restApiId = api.id!;
    await mockMethod(api.rootResourceId!, 200);
    const broken = await client.send(new CreateResourceCommand({ restApiId, parentId: api.rootResourceId!, pathPart: 'broken' }));
    await mockMethod(broken.id!, 500);
    await client.send(new CreateDeploymentCommand({ restApiId, stageName: 'prod' }));
    await waitForStage(restApiId, 'prod');
  });

  it('counts requests, 4XX and 5XX errors and latencies by ApiName and Stage', async () => {
    const before = await workerMetrics();
    await calls(['/', '/', '/', '/broken', '/broken', '/nowhere']);
    const after = await workerMetrics();
    const added = (name: string) => stageOnly(after, name) - stageOnly(before, name);
    assert.equal(added('apigateway_Count'), 6);
    assert.equal(added('apigateway_4XXError'), 1, 'Missing Authentication Token is a 4XX');
    assert.equal(added('apigateway_5XXError'), 2);
    assert.equal(added('apigateway_Latency_count'), 6);
    assert.equal(added('apigateway_IntegrationLatency_count'), 5, 'every request that reached its integration');
    assert.equal(metricValue(after, 'apigateway_Count', stage({ Method: 'GET' })), undefined, 'no Method dimension without detailed metrics');
    const types = await (await fetch(`${workerEndpoint}/_portico/metrics`)).text();
    assert.match(types, /# TYPE apigateway_Latency histogram/);
    assert.match(types, /# TYPE apigateway_Count counter/);
  });

  it('adds the Method and Resource dimensions for methods with detailed metrics', async () => {
    await client.send(new UpdateStageCommand({
      restApiId,
      stageName: 'prod',
      patchOperations: [
        { op: 'replace', path: '/*/*/metrics/enabled', value: 'true' },
        // A method's own setting wins over the stage-wide one.
        { op: 'replace', path: '/~1broken/GET/metrics/enabled', value: 'false' },
      ],
    }));
    const deadline = Date.now() + 5000;
    while (metricValue(await workerMetrics(), 'apigateway_Count', stage({ Method: 'GET', Resource: '/' })) === undefined) {
      assert.ok(Date.now() < deadline, 'detailed metrics did not appear within 5 s');
      await invoke(restApiId, 'prod', '/');
    }
    const before = await workerMetrics();
    await calls(['/', '/', '/broken']);
    const after = await workerMetrics();
    const root = stage({ Method: 'GET', Resource: '/' });
    assert.equal(metricValue(after, 'apigateway_Count', root)! - metricValue(before, 'apigateway_Count', root)!, 2);
    assert.equal(metricValue(after, 'apigateway_Latency_count', root)! - metricValue(before, 'apigateway_Latency_count', root)!, 2);
    assert.equal(metricValue(after, 'apigateway_Count', stage({ Resource: '/broken' })), undefined, '/broken turned detailed metrics off');
    assert.equal(stageOnly(after, 'apigateway_5XXError') - stageOnly(before, 'apigateway_5XXError'), 1);
    assert.equal(stageOnly(after, 'apigateway_Count') - stageOnly(before, 'apigateway_Count'), 1, 'each request counts in one series only');
  });

  it('counts CacheHitCount and CacheMissCount on a stage with a cache cluster', async () => {
    const deployment = await client.send(new CreateDeploymentCommand({ restApiId, stageName: 'cached' }));
    assert.ok(deployment.id);
    await client.send(new UpdateStageCommand({
      restApiId,
      stageName: 'cached',
      patchOperations: [
        { op: 'replace', path: '/cacheClusterEnabled', value: 'true' },
        { op: 'replace', path: '/cacheClusterSize', value: '0.5' },
        { op: 'replace', path: '/*/*/caching/enabled', value: 'true' },
      ],
    }));
    await waitForStage(restApiId, 'cached');
    const cached = { ApiName: apiName, Stage: 'cached' };
    const misses = async () => metricValue(await workerMetrics(), 'apigateway_CacheMissCount', cached) ?? 0;
    // The first request once the cache is live goes to the integration and fills the entry.
    const deadline = Date.now() + 5000;
    while ((await misses()) === 0) {
      assert.ok(Date.now() < deadline, 'the cache was not live within 5 s');
      assert.equal((await invoke(restApiId, 'cached', '/')).status, 200);
    }
    const before = await workerMetrics();
    // The query string is no cache key parameter: the same entry answers.
    for (const path of ['/', '/?n=1', '/']) assert.equal((await invoke(restApiId, 'cached', path)).status, 200);
    const after = await workerMetrics();
    const added = (name: string) => (metricValue(after, name, cached) ?? 0) - (metricValue(before, name, cached) ?? 0);
    assert.equal(metricValue(before, 'apigateway_CacheMissCount', cached), 1, 'one miss filled the entry');
    assert.equal(added('apigateway_CacheHitCount'), 3, 'then the cache answers');
    assert.equal(added('apigateway_CacheMissCount'), 0);
    assert.equal(added('apigateway_Count'), 3);
    assert.equal(added('apigateway_IntegrationLatency_count'), 0, 'cache hits have no integration latency');
  });

  it('tells readiness and serves its config version', async () => {
    const ready = await fetch(`${workerEndpoint}/_portico/ready`);
    assert.equal(ready.status, 200);
    const samples = await workerMetrics();
    assert.ok(metricValue(samples, 'portico_worker_config_version', {})! > 0);
    assert.ok(metricValue(samples, 'process_cpu_seconds_total', {}) !== undefined, 'process metrics');
  });
});

describe('control plane metrics', () => {
  it('counts management calls by operation and status, and answers readiness with the database up', async () => {
    await newClient().send(new CreateRestApiCommand({ name: 'counted' }));
    const samples = await scrape(`${endpoint}/metrics`);
    assert.ok(metricValue(samples, 'portico_management_requests_total', { operation: 'CreateRestApi', status: '201' })! >= 1);
    assert.ok(metricValue(samples, 'portico_management_request_duration_ms_count', { operation: 'CreateRestApi' })! >= 1);
    const ready = await fetch(`${endpoint}/ready`);
    assert.equal(ready.status, 200);
    assert.deepEqual(await ready.json(), { ready: true });
  });
});
