// The stage cache end to end, as the Developer Guide's "Cache settings for REST APIs" describes it:
// a stage with a cache cluster and caching method settings answers repeated requests without
// calling the backend (a loopback server counting its calls), per TTL, keyed by the integration's
// cacheKeyParameters only; GET only from the stage-wide settings; `Cache-Control: max-age=0` under
// each unauthorizedCacheControlHeaderStrategy and for a signed caller; FlushStageCache.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import {
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  FlushStageCacheCommand,
  GetStageCommand,
  PutIntegrationCommand,
  PutMethodCommand,
  UpdateStageCommand,
  type PatchOperation,
} from '@aws-sdk/client-api-gateway';
import aws4 from 'aws4';
import { expectError, newClient, randomAccountId } from '../helpers/client.js';
import { invoke, waitForStage, waitUntil, workerEndpoint, type Invocation } from '../helpers/invoke.js';

const client = newClient();
let restApiId: string;
let rootId: string;
let backend: Server;
let backendUrl: string;
/** backend calls by path (without the query) */
const calls = new Map<string, number>();

async function startBackend(): Promise<void> {
  backend = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const path = req.url!.split('?')[0]!;
      const n = (calls.get(path) ?? 0) + 1;
      calls.set(path, n);
      res.writeHead(200, { 'content-type': 'application/json', 'x-backend': 'yes' }).end(JSON.stringify({ method: req.method, url: req.url, n }));
    });
  });
  await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
  backendUrl = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;
}

/** A resource under the root with an HTTP_PROXY method to `{backend}/{pathPart}`. */
async function proxied(pathPart: string, options: { httpMethod?: string; parameters?: string[]; cacheKeyParameters?: string[]; authorizationType?: string } = {}) {
  const httpMethod = options.httpMethod ?? 'GET';
  const { id } = await client.send(new CreateResourceCommand({ restApiId, parentId: rootId, pathPart }));
  await client.send(new PutMethodCommand({
    restApiId, resourceId: id!, httpMethod, authorizationType: options.authorizationType ?? 'NONE',
    requestParameters: Object.fromEntries((options.parameters ?? []).map((p) => [p, false])),
  }));
  await client.send(new PutIntegrationCommand({
    restApiId, resourceId: id!, httpMethod, type: 'HTTP_PROXY', integrationHttpMethod: httpMethod, uri: `${backendUrl}/${pathPart}`,
    cacheKeyParameters: options.cacheKeyParameters,
  }));
  return id!;
}

const replace = (path: string, value: string): PatchOperation => ({ op: 'replace', path, value });

/** The backend's count in a cached or fresh answer. */
function countOf(r: Invocation): number {
  assert.equal(r.status, 200, r.body);
  return (JSON.parse(r.body) as { n: number }).n;
}

const get = (path: string, init: RequestInit = {}) => invoke(restApiId, 'prod', path, init);

describe('stage cache', { concurrency: false }, () => {
  before(async () => {
    await startBackend();
    // Anyone may invoke (so that another account's signed caller gets as far as the cache); nobody is granted InvalidateCache.
    const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*' }] };
    const api = await client.send(new CreateRestApiCommand({ name: 'cached', policy: JSON.stringify(policy) }));
    restApiId = api.id!;
    rootId = api.rootResourceId!;
    await proxied('pets', { parameters: ['method.request.querystring.type', 'method.request.header.X-Tenant'], cacheKeyParameters: ['method.request.querystring.type', 'method.request.header.X-Tenant'] });
    await proxied('nokey');
    await proxied('post', { httpMethod: 'POST' });
    await proxied('orders', { httpMethod: 'POST' });
    await proxied('short');
    await proxied('fresh-open');
    await proxied('fresh-fail');
    await proxied('fresh-warn');
    await proxied('fresh-silent');
    await proxied('iam', { authorizationType: 'AWS_IAM' });
    await proxied('off');
    await client.send(new CreateDeploymentCommand({ restApiId, stageName: 'prod' }));
    const stage = await client.send(new UpdateStageCommand({
      restApiId, stageName: 'prod', patchOperations: [
        replace('/cacheClusterEnabled', 'true'),
        replace('/cacheClusterSize', '0.5'),
        replace('/*/*/caching/enabled', 'true'),
        replace('/~1orders/POST/caching/enabled', 'true'),
        replace('/~1short/GET/caching/ttlInSeconds', '1'),
        replace('/~1fresh-open/GET/caching/requireAuthorizationForCacheControl', 'false'),
        replace('/~1fresh-fail/GET/caching/unauthorizedCacheControlHeaderStrategy', 'FAIL_WITH_403'),
        replace('/~1fresh-warn/GET/caching/unauthorizedCacheControlHeaderStrategy', 'SUCCEED_WITH_RESPONSE_HEADER'),
        replace('/~1fresh-silent/GET/caching/unauthorizedCacheControlHeaderStrategy', 'SUCCEED_WITHOUT_RESPONSE_HEADER'),
        replace('/~1iam/GET/caching/unauthorizedCacheControlHeaderStrategy', 'FAIL_WITH_403'),
        replace('/~1off/GET/caching/enabled', 'false'),
      ],
    }));
    assert.equal(stage.cacheClusterEnabled, true);
    assert.equal(stage.cacheClusterStatus, 'AVAILABLE');
    assert.equal(stage.methodSettings!['*/*']!.cachingEnabled, true);
    // The worker has the cache settings once two calls in a row get one backend answer.
    await waitForStage(restApiId, 'prod', '/nokey');
    const deadline = Date.now() + 10_000;
    while (countOf(await get('/nokey')) !== countOf(await get('/nokey'))) {
      if (Date.now() > deadline) throw new Error('the stage cache settings never reached the worker');
      await new Promise((r) => setTimeout(r, 25));
    }
  });
  after(() => backend?.close());

  it('answers a repeated GET from the cache, without calling the backend', async () => {
    const first = await get('/pets?type=dog');
    const second = await get('/pets?type=dog');
    assert.equal(countOf(first), countOf(second));
    assert.equal(second.headers.get('x-backend'), 'yes', 'the cached response keeps its headers');
    assert.equal(calls.get('/pets'), countOf(first));
    assert.notEqual(first.headers.get('x-amzn-requestid'), second.headers.get('x-amzn-requestid'), 'each answer has its own request id');
  });

  it('keys entries by the cacheKeyParameters only', async () => {
    const before = calls.get('/pets') ?? 0;
    const cat = countOf(await get('/pets?type=cat'));
    const catAgain = countOf(await get('/pets?type=cat&page=2'));
    assert.equal(catAgain, cat, 'a query string outside the cache key does not vary the answer');
    const tenant = countOf(await get('/pets?type=cat', { headers: { 'X-Tenant': 'a' } }));
    assert.notEqual(tenant, cat, 'a header in the cache key does');
    assert.equal(countOf(await get('/pets?type=cat', { headers: { 'X-Tenant': 'a' } })), tenant);
    assert.equal(calls.get('/pets'), before + 2);

    const a = countOf(await get('/nokey?x=1'));
    assert.equal(countOf(await get('/nokey?x=2')), a, 'without cache keys every request of the method shares one entry');
  });

  it('caches GET only from the stage-wide settings, other methods by their own settings', async () => {
    const post1 = countOf(await get('/post', { method: 'POST', body: '{}' }));
    const post2 = countOf(await get('/post', { method: 'POST', body: '{}' }));
    assert.equal(post2, post1 + 1, 'POST is not cached by */*');
    const order1 = countOf(await get('/orders', { method: 'POST', body: '{}' }));
    assert.equal(countOf(await get('/orders', { method: 'POST', body: '{}' })), order1, 'a method setting of its own caches POST');
    const off1 = countOf(await get('/off'));
    assert.equal(countOf(await get('/off')), off1 + 1, 'a method setting may turn caching off');
  });

  it('keeps an entry for the method TTL', async () => {
    const first = countOf(await get('/short'));
    assert.equal(countOf(await get('/short')), first);
    await new Promise((r) => setTimeout(r, 1300));
    assert.equal(countOf(await get('/short')), first + 1, 'expired after ttlInSeconds');
  });

  it('Cache-Control: max-age=0 refreshes the entry when the method does not require authorization', async () => {
    const first = countOf(await get('/fresh-open'));
    const fresh = await get('/fresh-open', { headers: { 'Cache-Control': 'max-age=0' } });
    assert.equal(countOf(fresh), first + 1);
    assert.equal(fresh.headers.get('warning'), null);
    assert.equal(countOf(await get('/fresh-open')), first + 1, 'the fresh answer replaced the entry');
  });

  it('FAIL_WITH_403 refuses an unauthorized Cache-Control: max-age=0', async () => {
    const first = countOf(await get('/fresh-fail'));
    const refused = await get('/fresh-fail', { headers: { 'Cache-Control': 'max-age=0' } });
    assert.equal(refused.status, 403, refused.body);
    assert.equal(refused.headers.get('x-amzn-errortype'), 'AccessDeniedException');
    assert.match(JSON.parse(refused.body).Message, new RegExp(`^User: anonymous is not authorized to perform: execute-api:InvalidateCache on resource: arn:aws:execute-api:us-east-1:\\*{8}\\d{4}:${restApiId}/prod/GET/fresh-fail$`));
    assert.equal(countOf(await get('/fresh-fail')), first, 'the entry stays');
  });

  it('SUCCEED_WITH_RESPONSE_HEADER ignores the header and says so; SUCCEED_WITHOUT_RESPONSE_HEADER silently', async () => {
    const warn = countOf(await get('/fresh-warn'));
    const ignored = await get('/fresh-warn', { headers: { 'Cache-Control': 'no-cache, max-age=0' } });
    assert.equal(countOf(ignored), warn, 'served from the cache');
    assert.equal(ignored.headers.get('warning'), '199 Cache-control headers were ignored because the caller was unauthorized.');
    assert.equal((await get('/fresh-warn')).headers.get('warning'), null);

    const silent = countOf(await get('/fresh-silent'));
    const quiet = await get('/fresh-silent', { headers: { 'Cache-Control': 'max-age=0' } });
    assert.equal(countOf(quiet), silent);
    assert.equal(quiet.headers.get('warning'), null);
  });

  it('a signed caller allowed execute-api:InvalidateCache refreshes the entry; another account may not', async () => {
    const signedGet = async (accountId: string, headers: Record<string, string> = {}) => {
      const url = new URL(`${workerEndpoint}/restapis/${restApiId}/prod/_user_request_/iam`);
      const signed = aws4.sign({ host: url.host, method: 'GET', path: url.pathname, headers, service: 'execute-api', region: 'us-east-1' }, { accessKeyId: accountId, secretAccessKey: 'anything' });
      const res = await fetch(url, { headers: signed.headers as Record<string, string> });
      return { status: res.status, headers: res.headers, body: await res.text() };
    };
    const first = countOf(await signedGet(client.accountId));
    assert.equal(countOf(await signedGet(client.accountId)), first);
    // The root of the API's account may do anything in it, InvalidateCache included.
    assert.equal(countOf(await signedGet(client.accountId, { 'Cache-Control': 'max-age=0' })), first + 1);
    assert.equal(countOf(await signedGet(client.accountId)), first + 1);
    // Another account needs the resource policy to allow it too, and it allows Invoke only.
    const other = randomAccountId();
    assert.equal(countOf(await signedGet(other)), first + 1, 'another account may invoke');
    const refused = await signedGet(other, { 'Cache-Control': 'max-age=0' });
    assert.equal(refused.status, 403, refused.body);
    assert.match(JSON.parse(refused.body).Message, new RegExp(`^User: arn:aws:iam::${other}:root is not authorized to perform: execute-api:InvalidateCache`));
  });

  it('FlushStageCache empties the stage cache on the workers', async () => {
    const first = countOf(await get('/nokey'));
    assert.equal(countOf(await get('/nokey')), first);
    const flushed = await client.send(new FlushStageCacheCommand({ restApiId, stageName: 'prod' }));
    assert.equal(flushed.$metadata.httpStatusCode, 202);
    const { result } = await waitUntil(() => get('/nokey'), (r) => countOf(r) > first, 5000);
    assert.equal(countOf(result), first + 1, 'one miss after the flush, then hits again');
    assert.equal(countOf(await get('/nokey')), first + 1);
    const stage = await client.send(new GetStageCommand({ restApiId, stageName: 'prod' }));
    assert.equal(stage.cacheClusterStatus, 'AVAILABLE');
    assert.equal(Object.hasOwn(stage, 'cacheEpoch'), false, 'the epoch is not part of the Stage');

    await expectError(client.send(new FlushStageCacheCommand({ restApiId, stageName: 'nope' })), 'NotFoundException', 404, 'Invalid stage identifier specified');
    await expectError(client.send(new FlushStageCacheCommand({ restApiId: 'nope000000', stageName: 'prod' })), 'NotFoundException', 404);
  });

  it('caches nothing once the cache cluster is disabled', async () => {
    await client.send(new UpdateStageCommand({ restApiId, stageName: 'prod', patchOperations: [replace('/cacheClusterEnabled', 'false')] }));
    const before = calls.get('/nokey')!;
    await waitUntil(() => get('/nokey'), () => calls.get('/nokey')! >= before + 2, 5000);
    const stage = await client.send(new GetStageCommand({ restApiId, stageName: 'prod' }));
    assert.equal(stage.cacheClusterStatus, 'NOT_AVAILABLE');
  });
});
