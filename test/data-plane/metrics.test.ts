// Prometheus metrics with API Gateway's names and dimensions, as the Developer Guide's "Amazon API
// Gateway dimensions and metrics" lists them: Count, 4XXError, 5XXError, Latency and
// IntegrationLatency by ApiName and Stage, and by Method and Resource once detailed metrics are on.
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
    assert.equal(added('apigateway_count'), 6);
    assert.equal(added('apigateway_4xx_error'), 1, 'Missing Authentication Token is a 4XX');
    assert.equal(added('apigateway_5xx_error'), 2);
    assert.equal(added('apigateway_latency_ms_count'), 6);
    assert.equal(added('apigateway_integration_latency_ms_count'), 5, 'every request that reached its integration');
    assert.equal(metricValue(after, 'apigateway_count', stage({ Method: 'GET' })), undefined, 'no Method dimension without detailed metrics');
    const types = await (await fetch(`${workerEndpoint}/_portico/metrics`)).text();
    assert.match(types, /# TYPE apigateway_latency_ms histogram/);
    assert.match(types, /# TYPE apigateway_count counter/);
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
    while (metricValue(await workerMetrics(), 'apigateway_count', stage({ Method: 'GET', Resource: '/' })) === undefined) {
      assert.ok(Date.now() < deadline, 'detailed metrics did not appear within 5 s');
      await invoke(restApiId, 'prod', '/');
    }
    const before = await workerMetrics();
    await calls(['/', '/', '/broken']);
    const after = await workerMetrics();
    const root = stage({ Method: 'GET', Resource: '/' });
    assert.equal(metricValue(after, 'apigateway_count', root)! - metricValue(before, 'apigateway_count', root)!, 2);
    assert.equal(metricValue(after, 'apigateway_latency_ms_count', root)! - metricValue(before, 'apigateway_latency_ms_count', root)!, 2);
    assert.equal(metricValue(after, 'apigateway_count', stage({ Resource: '/broken' })), undefined, '/broken turned detailed metrics off');
    assert.equal(stageOnly(after, 'apigateway_5xx_error') - stageOnly(before, 'apigateway_5xx_error'), 1);
    assert.equal(stageOnly(after, 'apigateway_count') - stageOnly(before, 'apigateway_count'), 1, 'each request counts in one series only');
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
