// The Developer Guide's "Enable API caching" and "Set up an API Gateway canary release deployment"
// walkthroughs, driven with the AWS CLI exactly as a user types them (`aws apigateway ...
// --endpoint-url`), then called over HTTP on the worker. The guide's PetStore backend is a loopback
// server that counts its calls. Skipped, visibly, where the AWS CLI is not installed.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { aws, awsCliSkip } from '../helpers/aws-cli.js';
import { randomAccountId } from '../helpers/client.js';
import { invoke, waitForStage, waitUntil, type Invocation } from '../helpers/invoke.js';

const skip = awsCliSkip;

/** The PetStore's GET /petstore/pets, on loopback; every answer carries how many calls it has seen. */
let backend: Server;
let backendUrl: string;
let petCalls = 0;

async function startPetStore(): Promise<void> {
  backend = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      petCalls++;
      const type = new URL(req.url!, 'http://petstore').searchParams.get('type');
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ type, call: petCalls }));
    });
  });
  await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
  backendUrl = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;
}

async function newApi(name: string) {
  const account = randomAccountId();
  const api = await aws(account, 'create-rest-api', '--name', name);
  return { account, restApiId: api.id as string, rootId: api.rootResourceId as string };
}

const json = (r: Invocation) => {
  assert.equal(r.status, 200, r.body);
  return JSON.parse(r.body) as Record<string, any>;
};

describe('Developer Guide caching and canary walkthroughs with the AWS CLI', { skip, concurrency: true }, () => {
  before(startPetStore);
  after(() => backend?.close());

  it('Enable API caching: stage cache, method override, cache keys, invalidation and flush', async () => {
    const { account, restApiId, rootId } = await newApi('CachedPetStore');
    const pets = await aws(account, 'create-resource', '--rest-api-id', restApiId, '--parent-id', rootId, '--path-part', 'pets');
    await aws(account, 'put-method', '--rest-api-id', restApiId, '--resource-id', pets.id, '--http-method', 'GET',
      '--authorization-type', 'NONE', '--request-parameters', 'method.request.querystring.type=false');
    // "Use method or integration parameters as cache keys": the query string `type` varies the cached answer.
    const integration = await aws(account, 'put-integration', '--rest-api-id', restApiId, '--resource-id', pets.id, '--http-method', 'GET',
      '--type', 'HTTP_PROXY', '--integration-http-method', 'GET', '--uri', `${backendUrl}/petstore/pets`,
      '--request-parameters', '{"integration.request.querystring.type":"method.request.querystring.type"}',
      '--cache-key-parameters', 'method.request.querystring.type');
    assert.deepEqual(integration.cacheKeyParameters, ['method.request.querystring.type']);
    assert.equal(integration.cacheNamespace, pets.id);
    const deployment = await aws(account, 'create-deployment', '--rest-api-id', restApiId, '--stage-name', 'prod');

    // "Enable Amazon API Gateway caching" on the stage, then caching for its methods.
    const dev = await aws(account, 'create-stage', '--rest-api-id', restApiId, '--stage-name', 'dev', '--description', 'Development stage',
      '--deployment-id', deployment.id, '--cache-cluster-enabled', '--cache-cluster-size', '0.5');
    assert.deepEqual([dev.cacheClusterEnabled, dev.cacheClusterSize, dev.cacheClusterStatus], [true, '0.5', 'AVAILABLE']);
    const enabled = await aws(account, 'update-stage', '--rest-api-id', restApiId, '--stage-name', 'prod', '--patch-operations',
      'op=replace,path=/cacheClusterEnabled,value=true', 'op=replace,path=/cacheClusterSize,value=0.5');
    assert.deepEqual([enabled.cacheClusterEnabled, enabled.cacheClusterSize, enabled.cacheClusterStatus], [true, '0.5', 'AVAILABLE']);
    const methods = await aws(account, 'update-stage', '--rest-api-id', restApiId, '--stage-name', 'prod', '--patch-operations',
      'op=replace,path=/*/*/caching/enabled,value=true', 'op=replace,path=/*/*/caching/ttlInSeconds,value=300',
      // "Override API Gateway stage-level caching for method caching"
      'op=replace,path=/~1pets/GET/caching/ttlInSeconds,value=60');
    assert.equal(methods.methodSettings['*/*'].cachingEnabled, true);
    assert.deepEqual([methods.methodSettings['pets/GET'].cachingEnabled, methods.methodSettings['pets/GET'].cacheTtlInSeconds], [true, 60]);

    const dog = () => invoke(restApiId, 'prod', '/pets?type=dog');
    await waitForStage(restApiId, 'prod', '/pets?type=dog');
    // Cached once the worker has the settings: two calls in a row get one backend answer.
    const { result } = await waitUntil(async () => {
      const [a, b] = [json(await dog()), json(await dog())];
      return { status: 200, headers: new Headers(), body: JSON.stringify({ a, b }) };
    }, (r) => { const { a, b } = JSON.parse(r.body); return a.call === b.call; }, 10_000);
    const cached = JSON.parse(result.body).a.call as number;
    assert.equal(json(await dog()).call, cached);
    const cat = json(await invoke(restApiId, 'prod', '/pets?type=cat'));
    assert.deepEqual([cat.type, cat.call > cached], ['cat', true], 'another cache key value is another entry');

    // "Invalidate an API Gateway cache entry": by default a client needs execute-api:InvalidateCache;
    // unauthorized, the header is ignored with a warning.
    const ignored = await invoke(restApiId, 'prod', '/pets?type=dog', { headers: { 'Cache-Control': 'max-age=0' } });
    assert.equal(json(ignored).call, cached);
    assert.match(ignored.headers.get('warning') ?? '', /^199 /);
    await aws(account, 'update-stage', '--rest-api-id', restApiId, '--stage-name', 'prod', '--patch-operations',
      'op=replace,path=/~1pets/GET/caching/requireAuthorizationForCacheControl,value=false');
    const fresh = await waitUntil(() => invoke(restApiId, 'prod', '/pets?type=dog', { headers: { 'Cache-Control': 'max-age=0' } }), (r) => json(r).call !== cached, 5000);
    const refreshed = json(fresh.result).call as number;
    assert.equal(json(await dog()).call, refreshed, 'the fresh answer replaced the entry');

    // "Flush the API stage cache in API Gateway"
    assert.deepEqual(await aws(account, 'flush-stage-cache', '--rest-api-id', restApiId, '--stage-name', 'prod'), {});
    const flushed = await waitUntil(dog, (r) => json(r).call !== refreshed, 5000);
    assert.equal(json(await dog()).call, json(flushed.result).call, 'cached again after the flush');
    const stage = await aws(account, 'get-stage', '--rest-api-id', restApiId, '--stage-name', 'prod');
    assert.equal(stage.cacheClusterStatus, 'AVAILABLE');
  });

  it('Set up an API Gateway canary release deployment: create, update, promote, turn off', async () => {
    const { account, restApiId, rootId } = await newApi('CanaryDemo');
    await aws(account, 'put-method', '--rest-api-id', restApiId, '--resource-id', rootId, '--http-method', 'GET', '--authorization-type', 'NONE');
    await aws(account, 'put-method-response', '--rest-api-id', restApiId, '--resource-id', rootId, '--http-method', 'GET', '--status-code', '200');
    await aws(account, 'put-integration', '--rest-api-id', restApiId, '--resource-id', rootId, '--http-method', 'GET', '--type', 'MOCK',
      '--request-templates', '{"application/json": "{\\"statusCode\\": 200}"}');
    const respond = (version: string) =>
      JSON.stringify({ 'application/json': `{"version": "${version}", "sv1": "$stageVariables.sv1", "sv2": "$stageVariables.sv2", "canary": "$context.isCanaryRequest"}` });
    await aws(account, 'put-integration-response', '--rest-api-id', restApiId, '--resource-id', rootId, '--http-method', 'GET',
      '--status-code', '200', '--selection-pattern', '', '--response-templates', respond('v1'));

    // "Create a canary release deployment": first the production release, then its canary.
    const production = await aws(account, 'create-deployment', '--rest-api-id', restApiId, '--stage-name', 'prod',
      '--description', 'A basic deployment', '--variables', 'sv0=val0,sv1=val1');
    await aws(account, 'put-integration-response', '--rest-api-id', restApiId, '--resource-id', rootId, '--http-method', 'GET',
      '--status-code', '200', '--selection-pattern', '', '--response-templates', respond('v2'));
    const canary = await aws(account, 'create-deployment', '--rest-api-id', restApiId, '--stage-name', 'prod',
      '--canary-settings', '{"percentTraffic": 10.5, "useStageCache": false, "stageVariableOverrides": {"sv1": "val2", "sv2": "val3"}}');
    const stage = await aws(account, 'get-stage', '--rest-api-id', restApiId, '--stage-name', 'prod');
    assert.equal(stage.deploymentId, production.id);
    assert.deepEqual(stage.variables, { sv0: 'val0', sv1: 'val1' });
    assert.deepEqual(stage.canarySettings, { deploymentId: canary.id, percentTraffic: 10.5, stageVariableOverrides: { sv1: 'val2', sv2: 'val3' }, useStageCache: false });

    await waitForStage(restApiId, 'prod');
    await waitUntil(() => invoke(restApiId, 'prod', '/'), (r) => json(r).canary === 'true', 10_000);
    // 400 requests at 10.5%: 42 expected, 16–68 accepted (over 4 standard deviations).
    const answers = await Promise.all(Array.from({ length: 400 }, async () => json(await invoke(restApiId, 'prod', '/'))));
    const canaryAnswers = answers.filter((a) => a.canary === 'true');
    assert.ok(canaryAnswers.length >= 16 && canaryAnswers.length <= 68, `canary answered ${canaryAnswers.length} of 400`);
    for (const a of canaryAnswers) assert.deepEqual(a, { version: 'v2', sv1: 'val2', sv2: 'val3', canary: 'true' });
    for (const a of answers.filter((x) => x.canary !== 'true')) assert.deepEqual(a, { version: 'v1', sv1: 'val1', sv2: '', canary: 'false' });

    // "Update a canary release": more traffic, another override.
    const updated = await aws(account, 'update-stage', '--rest-api-id', restApiId, '--stage-name', 'prod', '--patch-operations',
      '[{"op": "replace", "path": "/canarySettings/percentTraffic", "value": "100.0"}, {"op": "replace", "path": "/canarySettings/stageVariableOverrides/sv2", "value": "val4"}]');
    assert.deepEqual(updated.canarySettings, { deploymentId: canary.id, percentTraffic: 100, stageVariableOverrides: { sv1: 'val2', sv2: 'val4' }, useStageCache: false });
    await waitUntil(() => invoke(restApiId, 'prod', '/'), (r) => json(r).sv2 === 'val4', 10_000);

    // "Promote a canary release": no more canary traffic, the stage takes its deployment and variables.
    const promoted = await aws(account, 'update-stage', '--rest-api-id', restApiId, '--stage-name', 'prod', '--patch-operations',
      '[{"op": "replace", "path": "/canarySettings/percentTraffic", "value": "0.0"}, {"op": "copy", "from": "/canarySettings/deploymentId", "path": "/deploymentId"}, {"op": "copy", "from": "/canarySettings/stageVariableOverrides", "path": "/variables"}]');
    assert.equal(promoted.deploymentId, canary.id);
    assert.deepEqual(promoted.variables, { sv0: 'val0', sv1: 'val2', sv2: 'val4' });
    assert.equal(promoted.canarySettings.percentTraffic, 0);
    const { result } = await waitUntil(() => invoke(restApiId, 'prod', '/'), (r) => json(r).canary === 'false' && json(r).version === 'v2', 10_000);
    assert.deepEqual(json(result), { version: 'v2', sv1: 'val2', sv2: 'val4', canary: 'false' });

    // "Turn off a canary release"
    const off = await aws(account, 'update-stage', '--rest-api-id', restApiId, '--stage-name', 'prod', '--patch-operations', '[{"op": "remove", "path": "/canarySettings"}]');
    assert.equal(off.canarySettings, undefined);
    assert.equal(off.deploymentId, canary.id);
  });
});
