// API keys, usage plans, throttling and quotas on the worker, as the Developer Guide's "Usage plans"
// and "Throttle requests" pages describe them: a method that requires a key refuses callers without
// a key of a plan for the stage; plan, per-method plan, stage and account throttles answer 429 Too
// Many Requests; a quota answers 429 Limit Exceeded; GetUsage counts the calls that were admitted.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { describe, it } from 'node:test';
import {
  CreateApiKeyCommand,
  CreateAuthorizerCommand,
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  CreateStageCommand,
  CreateUsagePlanCommand,
  CreateUsagePlanKeyCommand,
  DeleteUsagePlanKeyCommand,
  GetStageCommand,
  GetUsageCommand,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
  UpdateAccountCommand,
  UpdateApiKeyCommand,
  UpdateStageCommand,
  UpdateUsageCommand,
  type APIGatewayClient,
  type CreateUsagePlanCommandInput,
} from '@aws-sdk/client-api-gateway';
import { newClient } from '../helpers/client.js';
import { invoke, waitForStage, waitUntil, type Invocation } from '../helpers/invoke.js';
import { addDays, utcDay } from '../../src/shared/quota.js';

const functionUri = (accountId: string, name: string) =>
  `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:${accountId}:function:${name}/invocations`;

/** What the backend sees of the key: $context.identity.apiKey and apiKeyId. */
const KEY_TEMPLATE = '{"apiKey": "$context.identity.apiKey", "apiKeyId": "$context.identity.apiKeyId"}';

type KeyedApi = { client: APIGatewayClient & { accountId: string }; restApiId: string };

/**
 * An API on stage `prod`: GET and POST /pets require an API key (MOCK, answering the key they saw),
 * GET /echo requires one too (Lambda proxy, answering its event), GET /open requires none.
 * With `authorizer`, the key comes from a TOKEN authorizer (apiKeySource AUTHORIZER).
 */
async function keyedApi(options: { authorizer?: boolean } = {}): Promise<KeyedApi> {
  const client = newClient();
  const api = await client.send(new CreateRestApiCommand({ name: 'usage-plans', ...(options.authorizer ? { apiKeySource: 'AUTHORIZER' } : {}) }));
  const restApiId = api.id!;
  const authorizerId = options.authorizer
    ? (await client.send(new CreateAuthorizerCommand({
      restApiId, name: 'keys', type: 'TOKEN', authorizerUri: functionUri(client.accountId, 'auth-usage-key'),
      identitySource: 'method.request.header.Authorization', authorizerResultTtlInSeconds: 0,
    }))).id
    : undefined;
  const auth = authorizerId ? { authorizationType: 'CUSTOM', authorizerId } : { authorizationType: 'NONE' };
  const mock = async (resourceId: string, httpMethod: string, apiKeyRequired: boolean) => {
    await client.send(new PutMethodCommand({ restApiId, resourceId, httpMethod, apiKeyRequired, ...auth }));
    await client.send(new PutIntegrationCommand({ restApiId, resourceId, httpMethod, type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
    await client.send(new PutMethodResponseCommand({ restApiId, resourceId, httpMethod, statusCode: '200' }));
    await client.send(new PutIntegrationResponseCommand({ restApiId, resourceId, httpMethod, statusCode: '200', responseTemplates: { 'application/json': KEY_TEMPLATE } }));
  };
  const resource = async (pathPart: string) => (await client.send(new CreateResourceCommand({ restApiId, parentId: api.rootResourceId!, pathPart }))).id!;
  const pets = await resource('pets');
  await mock(pets, 'GET', true);
  await mock(pets, 'POST', true);
  await mock(await resource('open'), 'GET', false);
  const echo = await resource('echo');
  await client.send(new PutMethodCommand({ restApiId, resourceId: echo, httpMethod: 'GET', apiKeyRequired: true, ...auth }));
  await client.send(new PutIntegrationCommand({ restApiId, resourceId: echo, httpMethod: 'GET', type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: functionUri(client.accountId, 'echo') }));
  await client.send(new CreateDeploymentCommand({ restApiId, stageName: 'prod' }));
  // /open needs no key; with an authorizer it needs a token.
  await waitUntil(() => invoke(restApiId, 'prod', '/open', { headers: { authorization: 'Bearer anything' } }), (r) => r.status === 200, 5000);
  return { client, restApiId };
}

async function newKey(client: APIGatewayClient, extra: { stageKeys?: { restApiId: string; stageName: string }[] } = {}) {
  const value = `usage-test-${randomBytes(12).toString('hex')}`;
  const key = await client.send(new CreateApiKeyCommand({ name: `key-${value.slice(-6)}`, value, enabled: true, ...extra }));
  return { id: key.id!, value };
}

async function planWithKey(api: KeyedApi, keyId: string, plan: Partial<CreateUsagePlanCommandInput> = {}) {
  const { id } = await api.client.send(new CreateUsagePlanCommand({ name: 'plan', apiStages: [{ apiId: api.restApiId, stage: 'prod' }], ...plan }));
  await api.client.send(new CreateUsagePlanKeyCommand({ usagePlanId: id!, keyId, keyType: 'API_KEY' }));
  return id!;
}

const call = (api: KeyedApi, path: string, headers: Record<string, string> = {}, method = 'GET') => invoke(api.restApiId, 'prod', path, { method, headers });
const withKey = (key: { value: string }) => ({ 'x-api-key': key.value });
const eventually = (request: () => Promise<Invocation>, status: number) => waitUntil(request, (r) => r.status === status, 8000).then((w) => w.result);

function assertRefused(result: Invocation, status: number, errorType: string, message: string): void {
  assert.equal(result.status, status, result.body);
  assert.equal(result.headers.get('x-amzn-errortype'), errorType);
  assert.deepEqual(JSON.parse(result.body), { message });
}
const assertForbidden = (r: Invocation) => assertRefused(r, 403, 'ForbiddenException', 'Forbidden');
const assertThrottled = (r: Invocation) => assertRefused(r, 429, 'TooManyRequestsException', 'Too Many Requests');
const assertOverQuota = (r: Invocation) => assertRefused(r, 429, 'LimitExceededException', 'Limit Exceeded');

describe('API keys', () => {
  it('admit a key only while it is enabled and in a usage plan for the stage', async () => {
    const api = await keyedApi();
    const key = await newKey(api.client);
    assertForbidden(await call(api, '/pets'));
    assertForbidden(await call(api, '/pets', withKey(key)));

    const planId = await planWithKey(api, key.id);
    const admitted = await eventually(() => call(api, '/pets', withKey(key)), 200);
    assert.deepEqual(JSON.parse(admitted.body), { apiKey: key.value, apiKeyId: key.id });
    assertForbidden(await call(api, '/pets'));
    assertForbidden(await call(api, '/pets', { 'x-api-key': `${key.value}x` }));
    assertForbidden(await call(api, '/pets', { 'x-api-key': '' }));
    // Methods without apiKeyRequired ignore keys.
    assert.deepEqual(JSON.parse((await call(api, '/open', withKey(key))).body), { apiKey: '', apiKeyId: '' });

    // The Lambda proxy event carries the key too.
    const echoed = JSON.parse((await call(api, '/echo', withKey(key))).body).event.requestContext.identity;
    assert.equal(echoed.apiKey, key.value);
    assert.equal(echoed.apiKeyId, key.id);
    assert.deepEqual(Object.keys(echoed).slice(0, 4), ['accessKey', 'accountId', 'apiKey', 'apiKeyId']);

    await api.client.send(new UpdateApiKeyCommand({ apiKey: key.id, patchOperations: [{ op: 'replace', path: '/enabled', value: 'false' }] }));
    assertForbidden(await eventually(() => call(api, '/pets', withKey(key)), 403));
    await api.client.send(new UpdateApiKeyCommand({ apiKey: key.id, patchOperations: [{ op: 'replace', path: '/enabled', value: 'true' }] }));
    await eventually(() => call(api, '/pets', withKey(key)), 200);

    await api.client.send(new DeleteUsagePlanKeyCommand({ usagePlanId: planId, keyId: key.id }));
    assertForbidden(await eventually(() => call(api, '/pets', withKey(key)), 403));
  });

  it('refuse a key whose plan covers another stage of the API only', async () => {
    const api = await keyedApi();
    const { restApiId } = api;
    const deploymentId = (await api.client.send(new GetStageCommand({ restApiId, stageName: 'prod' }))).deploymentId!;
    await api.client.send(new CreateStageCommand({ restApiId, stageName: 'beta', deploymentId }));
    const key = await newKey(api.client);
    const { id } = await api.client.send(new CreateUsagePlanCommand({ name: 'beta only', apiStages: [{ apiId: restApiId, stage: 'beta' }] }));
    await api.client.send(new CreateUsagePlanKeyCommand({ usagePlanId: id!, keyId: key.id, keyType: 'API_KEY' }));
    await waitUntil(() => invoke(restApiId, 'beta', '/pets', { headers: withKey(key) }), (r) => r.status === 200, 8000);
    assertForbidden(await call(api, '/pets', withKey(key)));
  });

  it('admit a legacy stage key without a plan, and no key of another account', async () => {
    const api = await keyedApi();
    const legacy = await newKey(api.client, { stageKeys: [{ restApiId: api.restApiId, stageName: 'prod' }] });
    await eventually(() => call(api, '/pets', withKey(legacy)), 200);

    const other = newClient();
    const foreign = await newKey(other);
    const foreignPlan = await other.send(new CreateUsagePlanCommand({ name: 'theirs' }));
    await other.send(new CreateUsagePlanKeyCommand({ usagePlanId: foreignPlan.id!, keyId: foreign.id, keyType: 'API_KEY' }));
    // Give the config time to reach the worker, then check the foreign key is still refused.
    await new Promise((r) => setTimeout(r, 1500));
    assertForbidden(await call(api, '/pets', withKey(foreign)));
  });

  it('come from the authorizer when apiKeySource is AUTHORIZER', async () => {
    const api = await keyedApi({ authorizer: true });
    const key = await newKey(api.client);
    await planWithKey(api, key.id);
    const admitted = await eventually(() => call(api, '/pets', { authorization: `Bearer ${key.value}` }), 200);
    assert.deepEqual(JSON.parse(admitted.body), { apiKey: key.value, apiKeyId: key.id });
    // The header is not where keys come from on this API.
    assertForbidden(await call(api, '/pets', { authorization: 'Bearer not-a-key-of-any-plan', ...withKey(key) }));
  });
});

describe('throttling', () => {
  it('holds a key to its plan throttle, or to the plan throttle of the method', async () => {
    const api = await keyedApi();
    const key = await newKey(api.client);
    // One request per 10 s for the key, but POST /pets has its own, looser limit.
    await planWithKey(api, key.id, {
      throttle: { rateLimit: 0.1, burstLimit: 1 },
      apiStages: [{ apiId: api.restApiId, stage: 'prod', throttle: { '/pets/POST': { rateLimit: 100, burstLimit: 100 } } }],
    });
    await eventually(() => call(api, '/pets', withKey(key)), 200);
    assertThrottled(await call(api, '/pets', withKey(key)));
    for (let i = 0; i < 3; i++) assert.equal((await call(api, '/pets', withKey(key), 'POST')).status, 200);

    // Each key has its own bucket.
    const other = await newKey(api.client);
    await planWithKey(api, other.id, { throttle: { rateLimit: 0.1, burstLimit: 1 } });
    await eventually(() => call(api, '/pets', withKey(other)), 200);
  });

  it('holds every caller to the stage method settings, and a rate of 0 admits nothing', async () => {
    const api = await keyedApi();
    const { client, restApiId } = api;
    await client.send(new UpdateStageCommand({ restApiId, stageName: 'prod', patchOperations: [{ op: 'replace', path: '/*/*/throttling/rateLimit', value: '0' }] }));
    assertThrottled(await eventually(() => call(api, '/open'), 429));
    // A method's own settings take over from */*.
    await client.send(new UpdateStageCommand({ restApiId, stageName: 'prod', patchOperations: [
      { op: 'replace', path: '/~1open/GET/throttling/rateLimit', value: '0.1' },
      { op: 'replace', path: '/~1open/GET/throttling/burstLimit', value: '1' },
    ] }));
    await eventually(() => call(api, '/open'), 200);
    assertThrottled(await call(api, '/open'));
  });

  it('holds an account to its account-level throttle', async () => {
    const api = await keyedApi();
    await api.client.send(new UpdateAccountCommand({ patchOperations: [{ op: 'replace', path: '/throttle/rateLimit', value: '0' }] }));
    assertThrottled(await eventually(() => call(api, '/open'), 429));
    await api.client.send(new UpdateAccountCommand({ patchOperations: [{ op: 'replace', path: '/throttle/rateLimit', value: '10000' }] }));
    await eventually(() => call(api, '/open'), 200);
  });
});

describe('quotas and usage', () => {
  it('admit the quota, then Limit Exceeded; UpdateUsage changes what is left; GetUsage counts the calls', async () => {
    const api = await keyedApi();
    const key = await newKey(api.client);
    const usagePlanId = await planWithKey(api, key.id, { quota: { limit: 3, period: 'DAY' } });
    await eventually(() => call(api, '/pets', withKey(key)), 200);
    assert.equal((await call(api, '/pets', withKey(key))).status, 200);
    assert.equal((await call(api, '/pets', withKey(key), 'POST')).status, 200);
    assertOverQuota(await call(api, '/pets', withKey(key)));
    assertOverQuota(await call(api, '/pets', withKey(key)));

    const today = utcDay();
    const usage = () => api.client.send(new GetUsageCommand({ usagePlanId, keyId: key.id, startDate: today, endDate: today }));
    const usageReaches = async (expected: number[][]) => {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const items = (await usage()).items;
        if (JSON.stringify(items?.[key.id]) === JSON.stringify(expected)) return;
        if (Date.now() > deadline) assert.fail(`usage ${JSON.stringify(items)} never became ${JSON.stringify(expected)}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    };
    await usageReaches([[3, 0]]);

    await api.client.send(new UpdateUsageCommand({ usagePlanId, keyId: key.id, patchOperations: [{ op: 'replace', path: '/remaining', value: '2' }] }));
    await eventually(() => call(api, '/pets', withKey(key)), 200);
    assert.equal((await call(api, '/pets', withKey(key))).status, 200);
    assertOverQuota(await call(api, '/pets', withKey(key)));
    await usageReaches([[5, 0]]);

    // Another key of the plan counts on its own; over a date range each key has a row per day.
    const other = await newKey(api.client);
    await api.client.send(new CreateUsagePlanKeyCommand({ usagePlanId, keyId: other.id, keyType: 'API_KEY' }));
    await eventually(() => call(api, '/pets', withKey(other)), 200);
    const yesterday = addDays(today, -1);
    const expected = { [key.id]: [[0, 3], [5, 0]], [other.id]: [[0, 3], [1, 2]] };
    const deadline = Date.now() + 10_000;
    for (;;) {
      const { items, startDate, endDate } = await api.client.send(new GetUsageCommand({ usagePlanId, startDate: yesterday, endDate: today }));
      if (isDeepStrictEqual(items, expected)) {
        assert.deepEqual([startDate, endDate], [yesterday, today]);
        break;
      }
      if (Date.now() > deadline) assert.fail(`usage ${JSON.stringify(items)} never became ${JSON.stringify(expected)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  });
});
