// The Developer Guide's "Create and use usage plans with API keys" and "Throttle requests to your
// REST APIs" walkthroughs, driven with the AWS CLI exactly as a user types them (`aws apigateway ...
// --endpoint-url`), then called over HTTP on the worker. The guide's PetStore API is a MOCK one here.
// Skipped, visibly, where the AWS CLI is not installed.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { aws, awsCliSkip } from '../helpers/aws-cli.js';
import { randomAccountId } from '../helpers/client.js';
import { invoke, waitUntil, type Invocation } from '../helpers/invoke.js';
import { utcDay } from '../../src/shared/quota.js';

const skip = awsCliSkip;

/** A PetStore-like API: GET /pets answering a fixed list (MOCK), with apiKeyRequired as given, deployed to `dev`. */
async function petStore(account: string, apiKeyRequired: boolean) {
  const api = await aws(account, 'create-rest-api', '--name', 'PetStore');
  const restApiId = api.id as string;
  const pets = await aws(account, 'create-resource', '--rest-api-id', restApiId, '--parent-id', api.rootResourceId, '--path-part', 'pets');
  await aws(account, 'put-method', '--rest-api-id', restApiId, '--resource-id', pets.id, '--http-method', 'GET', '--authorization-type', 'NONE',
    apiKeyRequired ? '--api-key-required' : '--no-api-key-required');
  await aws(account, 'put-integration', '--rest-api-id', restApiId, '--resource-id', pets.id, '--http-method', 'GET', '--type', 'MOCK',
    '--request-templates', '{"application/json": "{\\"statusCode\\": 200}"}');
  await aws(account, 'put-method-response', '--rest-api-id', restApiId, '--resource-id', pets.id, '--http-method', 'GET', '--status-code', '200');
  await aws(account, 'put-integration-response', '--rest-api-id', restApiId, '--resource-id', pets.id, '--http-method', 'GET', '--status-code', '200',
    '--response-templates', '{"application/json": "[{\\"id\\": 1, \\"type\\": \\"dog\\"}]"}');
  await aws(account, 'create-deployment', '--rest-api-id', restApiId, '--stage-name', 'dev');
  return restApiId;
}

const getPets = (restApiId: string, headers: Record<string, string> = {}) => invoke(restApiId, 'dev', '/pets', { headers });
const eventually = (request: () => Promise<Invocation>, status: number) => waitUntil(request, (r) => r.status === status, 8000).then((w) => w.result);

describe('usage plan walkthroughs with the AWS CLI', { skip, concurrency: true }, () => {
  it('Create and use usage plans with API keys', async () => {
    const account = randomAccountId();
    const restApiId = await petStore(account, true);

    // Create a usage plan with throttle and quota limits for the API's stage.
    const plan = await aws(account, 'create-usage-plan', '--name', 'New Usage Plan', '--description', 'A new usage plan',
      '--throttle', 'burstLimit=10,rateLimit=5', '--quota', 'limit=500,offset=0,period=MONTH', '--api-stages', `apiId=${restApiId},stage=dev`);
    assert.deepEqual(plan.throttle, { burstLimit: 10, rateLimit: 5 });
    assert.deepEqual((await aws(account, 'get-usage-plans')).items.map((p: { id: string }) => p.id), [plan.id]);

    // An API key, added to the plan.
    const value = `walkthrough-${randomBytes(12).toString('hex')}`;
    const key = await aws(account, 'create-api-key', '--name', 'Dev API Key', '--description', 'Used for development', '--enabled', '--value', value);
    const planKey = await aws(account, 'create-usage-plan-key', '--usage-plan-id', plan.id, '--key-type', 'API_KEY', '--key-id', key.id);
    assert.equal(planKey.id, key.id);

    // Clients call the API with the key in x-api-key; without it they are refused.
    const admitted = await eventually(() => getPets(restApiId, { 'x-api-key': value }), 200);
    assert.deepEqual(JSON.parse(admitted.body), [{ id: 1, type: 'dog' }]);

    // Or import keys straight into the plan from an API key file; a bad row fails the whole file.
    const imported = `imported-${randomBytes(12).toString('hex')}`;
    const file = join(mkdtempSync(join(tmpdir(), 'portico-keys-')), 'keys.csv');
    writeFileSync(file, `name,key,description,enabled,usageplanIds\nImported Key,${imported},From a file,true,${plan.id}\nBad Key,short,,true,\n`);
    await assert.rejects(aws(account, 'import-api-keys', '--body', `fileb://${file}`, '--format', 'csv', '--fail-on-warnings'), /BadRequestException/);
    writeFileSync(file, `name,key,description,enabled,usageplanIds\nImported Key,${imported},From a file,true,${plan.id}\n`);
    const importedIds = (await aws(account, 'import-api-keys', '--body', `fileb://${file}`, '--format', 'csv', '--fail-on-warnings')).ids;
    rmSync(dirname(file), { recursive: true, force: true });
    assert.deepEqual((await aws(account, 'get-usage-plan-keys', '--usage-plan-id', plan.id)).items.map((k: { name: string }) => k.name).sort(), ['Dev API Key', 'Imported Key']);
    await eventually(() => getPets(restApiId, { 'x-api-key': imported }), 200);
    await aws(account, 'delete-api-key', '--api-key', importedIds[0]);

    const refused = await getPets(restApiId);
    assert.deepEqual([refused.status, refused.body], [403, '{"message":"Forbidden"}']);
    for (let i = 0; i < 4; i++) assert.equal((await getPets(restApiId, { 'x-api-key': value })).status, 200);

    // Usage data: five calls today, 495 left of the month's quota.
    const today = utcDay();
    await waitUntil(
      async () => ({ status: 200, headers: new Headers(), body: JSON.stringify((await aws(account, 'get-usage', '--usage-plan-id', plan.id, '--start-date', today, '--end-date', today)).items) }),
      (r) => r.body === JSON.stringify({ [key.id]: [[5, 495]] }),
      10_000,
    );

    // Lower the quota; the key's remaining count follows, and an exhausted key gets Limit Exceeded.
    await aws(account, 'update-usage-plan', '--usage-plan-id', plan.id, '--patch-operations', 'op=replace,path=/quota/limit,value=6');
    await eventually(() => getPets(restApiId, { 'x-api-key': value }), 200);
    const over = await eventually(() => getPets(restApiId, { 'x-api-key': value }), 429);
    assert.equal(over.body, '{"message":"Limit Exceeded"}');
    // Grant more of this period's quota to the key.
    const usage = await aws(account, 'update-usage', '--usage-plan-id', plan.id, '--key-id', key.id, '--patch-operations', 'op=replace,path=/remaining,value=1');
    // Its days run from the start of the quota period to today.
    assert.equal(usage.items[key.id].at(-1)[1], 1);
    await eventually(() => getPets(restApiId, { 'x-api-key': value }), 200);

    // Remove the key from the plan and the plan itself.
    await aws(account, 'delete-usage-plan-key', '--usage-plan-id', plan.id, '--key-id', key.id);
    await eventually(() => getPets(restApiId, { 'x-api-key': value }), 403);
    await aws(account, 'update-usage-plan', '--usage-plan-id', plan.id, '--patch-operations', `op=remove,path=/apiStages,value=${restApiId}:dev`);
    await aws(account, 'delete-usage-plan', '--usage-plan-id', plan.id);
    assert.deepEqual((await aws(account, 'get-usage-plans')).items, []);
  });

  it('Throttle requests to your REST APIs', async () => {
    const account = randomAccountId();
    const restApiId = await petStore(account, false);
    await eventually(() => getPets(restApiId), 200);

    // The account-level throttle every API of the account shares, at its default.
    assert.deepEqual((await aws(account, 'get-account')).throttleSettings, { burstLimit: 5000, rateLimit: 10000 });

    // Stage-level throttling for every method, then a stricter target for GET /pets.
    await aws(account, 'update-stage', '--rest-api-id', restApiId, '--stage-name', 'dev', '--patch-operations',
      'op=replace,path=/*/*/throttling/rateLimit,value=100', 'op=replace,path=/*/*/throttling/burstLimit,value=200');
    const stage = await aws(account, 'update-stage', '--rest-api-id', restApiId, '--stage-name', 'dev', '--patch-operations',
      'op=replace,path=/~1pets/GET/throttling/rateLimit,value=0.1', 'op=replace,path=/~1pets/GET/throttling/burstLimit,value=1');
    assert.equal(stage.methodSettings['pets/GET'].throttlingRateLimit, 0.1);
    // One request per ten seconds: the second is throttled.
    const throttled = await eventually(() => getPets(restApiId), 429);
    assert.equal(throttled.body, '{"message":"Too Many Requests"}');
    assert.equal(throttled.headers.get('x-amzn-errortype'), 'TooManyRequestsException');

    // Per-client throttling in a usage plan, with a target for one method of the stage.
    await aws(account, 'update-method', '--rest-api-id', restApiId, '--resource-id', (await aws(account, 'get-resources', '--rest-api-id', restApiId)).items.find((r: { path: string }) => r.path === '/pets').id,
      '--http-method', 'GET', '--patch-operations', 'op=replace,path=/apiKeyRequired,value=true');
    await aws(account, 'update-stage', '--rest-api-id', restApiId, '--stage-name', 'dev', '--patch-operations',
      'op=replace,path=/~1pets/GET/throttling/rateLimit,value=100', 'op=replace,path=/~1pets/GET/throttling/burstLimit,value=200');
    await aws(account, 'create-deployment', '--rest-api-id', restApiId, '--stage-name', 'dev');
    const plan = await aws(account, 'create-usage-plan', '--name', 'Throttled', '--throttle', 'burstLimit=100,rateLimit=50',
      '--api-stages', `apiId=${restApiId},stage=dev`);
    await aws(account, 'update-usage-plan', '--usage-plan-id', plan.id, '--patch-operations',
      `op=replace,path=/apiStages/${restApiId}:dev/throttle/~1pets/GET/rateLimit,value=0.1`,
      `op=replace,path=/apiStages/${restApiId}:dev/throttle/~1pets/GET/burstLimit,value=1`);
    const value = `throttle-${randomBytes(12).toString('hex')}`;
    const key = await aws(account, 'create-api-key', '--name', 'client', '--enabled', '--value', value);
    await aws(account, 'create-usage-plan-key', '--usage-plan-id', plan.id, '--key-type', 'API_KEY', '--key-id', key.id);
    await eventually(() => getPets(restApiId, { 'x-api-key': value }), 200);
    const perClient = await getPets(restApiId, { 'x-api-key': value });
    assert.deepEqual([perClient.status, perClient.body], [429, '{"message":"Too Many Requests"}']);
  });
});
