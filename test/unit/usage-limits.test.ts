// Usage plans on the worker: which buckets a request takes tokens from and in what order, how a
// bucket is kept as a window, quota allowances and periods, the in-process limiter, and usage
// reports sent whole and retried without counting twice.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { UsagePlanConfig } from '../../src/shared/worker-config.js';
import { compileUsage, planOf } from '../../src/data-plane/usage/compile.js';
import { Limiter } from '../../src/data-plane/usage/limiter.js';
import { bucketsFor, bucketWindow, quotaCheck, type RequestLimits } from '../../src/data-plane/usage/limits.js';
import { UsageReporter } from '../../src/data-plane/usage/reporter.js';

const plan = (over: Partial<UsagePlanConfig> = {}): UsagePlanConfig => ({
  id: 'plan1',
  accountId: '111122223333',
  apiStages: [{ restApiId: 'api1', stageName: 'prod', methodThrottles: { '/pets/GET': { rateLimit: 5, burstLimit: 2 } } }],
  throttle: { rateLimit: 10, burstLimit: 20 },
  quotaAdjustments: {},
  ...over,
});

const request = (over: Partial<RequestLimits> = {}): RequestLimits => ({
  accountId: '111122223333',
  restApiId: 'api1',
  stageName: 'prod',
  resourcePath: '/pets',
  httpMethod: 'GET',
  methodSettings: {},
  accountThrottle: { rateLimit: 10000, burstLimit: 5000 },
  ...over,
});

describe('bucket windows', () => {
  it('keeps about burst requests per window of burst / rate seconds', () => {
    assert.deepEqual(bucketWindow({ rateLimit: 10, burstLimit: 20 }), { points: 20, seconds: 2 });
    assert.deepEqual(bucketWindow({ rateLimit: 0.5, burstLimit: 1 }), { points: 1, seconds: 2 });
    assert.deepEqual(bucketWindow({ rateLimit: 1, burstLimit: 1 }), { points: 1, seconds: 1 });
    // Windows are whole seconds: a burst smaller than the rate admits the rate's second.
    assert.deepEqual(bucketWindow({ rateLimit: 10000, burstLimit: 5000 }), { points: 10000, seconds: 1 });
  });

  it('admits nothing when the rate or the burst is 0', () => {
    assert.equal(bucketWindow({ rateLimit: 0, burstLimit: 10 }), undefined);
    assert.equal(bucketWindow({ rateLimit: 10, burstLimit: 0 }), undefined);
  });
});

describe('buckets of a request', () => {
  it('takes the plan method throttle instead of the plan throttle, per key, then stage and account', () => {
    const ids = bucketsFor(request({ plan: plan(), keyId: 'key1', methodSettings: { '*/*': { throttlingRateLimit: 100, throttlingBurstLimit: 50 } } }));
    assert.deepEqual(ids, [
      { id: 'plan:plan1:key1:api1/prod/pets/GET', throttle: { rateLimit: 5, burstLimit: 2 } },
      { id: 'stage:api1/prod/pets/GET', throttle: { rateLimit: 100, burstLimit: 50 } },
      { id: 'account:111122223333', throttle: { rateLimit: 10000, burstLimit: 5000 } },
    ]);
  });

  it('takes the plan throttle for other methods, and a method setting over the stage default', () => {
    const ids = bucketsFor(request({
      httpMethod: 'POST', plan: plan(), keyId: 'key1',
      methodSettings: { '*/*': { throttlingRateLimit: 100, throttlingBurstLimit: 50 }, 'pets/POST': { throttlingRateLimit: 1, throttlingBurstLimit: 1 } },
    }));
    assert.deepEqual(ids.map((b) => [b.id, b.throttle.rateLimit]), [['plan:plan1:key1', 10], ['stage:api1/prod/pets/POST', 1], ['account:111122223333', 10000]]);
  });

  it('holds requests without a key to the stage and the account only', () => {
    assert.deepEqual(bucketsFor(request()).map((b) => b.id), ['account:111122223333']);
    assert.deepEqual(bucketsFor(request({ resourcePath: '/', methodSettings: { '/GET': { throttlingRateLimit: 3 } } })).map((b) => [b.id, b.throttle]), [
      ['stage:api1/prod//GET', { rateLimit: 3, burstLimit: 5000 }],
      ['account:111122223333', { rateLimit: 10000, burstLimit: 5000 }],
    ]);
  });
});

describe('quota checks', () => {
  const quota = { limit: 100, offset: 0, period: 'WEEK' as const };
  it('counts per plan, key and period, with the adjustment of the current period only', () => {
    const now = new Date('2024-05-15T12:00:00Z'); // a Wednesday; the week started on Sunday the 12th
    const adjusted = plan({ quota, quotaAdjustments: { key1: { periodStart: '2024-05-12', delta: -30 }, key2: { periodStart: '2024-05-05', delta: 50 } } });
    const check = quotaCheck({ ...adjusted, quota }, 'key1', now);
    assert.deepEqual({ ...check, expiresInSeconds: undefined }, { counter: 'quota:plan1:key1', periodStart: '2024-05-12', allowance: 70, expiresInSeconds: undefined });
    // Until the next Sunday, plus a day.
    assert.equal(check.expiresInSeconds, (3.5 + 1) * 86_400);
    assert.equal(quotaCheck({ ...adjusted, quota }, 'key2', now).allowance, 100);
  });
});

describe('compiled keys and plans', () => {
  it('finds a key by its hash and its plan by stage; old configs without keys compile', () => {
    const usage = compileUsage({
      apiKeys: [{ id: 'key1', accountId: '111122223333', valueHash: 'abc', enabled: true, usagePlanIds: ['plan1'], stageKeys: [] }],
      usagePlans: [plan()],
    });
    assert.equal(usage.apiKeys.get('abc')?.id, 'key1');
    assert.equal(planOf(usage, 'key1', 'api1', 'prod')?.id, 'plan1');
    assert.equal(planOf(usage, 'key1', 'api1', 'dev'), undefined);
    const empty = compileUsage({});
    assert.equal(empty.apiKeys.size, 0);
    assert.equal(empty.accountThrottles.size, 0);
  });
});

describe('the in-process limiter', () => {
  it('empties a bucket and refills it after its window', async () => {
    const limiter = new Limiter();
    const throttle = { rateLimit: 1, burstLimit: 1 };
    assert.equal(await limiter.take('b', throttle), true);
    assert.equal(await limiter.take('b', throttle), false);
    assert.equal(await limiter.take('other', throttle), true);
    await new Promise((r) => setTimeout(r, 1100));
    assert.equal(await limiter.take('b', throttle), true);
    assert.equal(await limiter.take('z', { rateLimit: 0, burstLimit: 0 }), false);
  });

  it('admits exactly the allowance of a period, and starts over in the next', async () => {
    const limiter = new Limiter();
    const check = { counter: 'quota:p:k', periodStart: '2024-05-12', allowance: 3, expiresInSeconds: 60 };
    const admitted = await Promise.all(Array.from({ length: 5 }, () => limiter.takeQuota(check)));
    assert.equal(admitted.filter(Boolean).length, 3);
    assert.equal(await limiter.takeQuota({ ...check, allowance: 4 }), true, 'a raised allowance admits the difference');
    assert.equal(await limiter.takeQuota({ ...check, allowance: 4 }), false);
    assert.equal(await limiter.takeQuota({ ...check, periodStart: '2024-05-19' }), true);
  });
});

describe('usage reports', () => {
  let server: Server;
  let url: string;
  const received: { usagePlanId: string; keyId: string; day: string; count: number }[][] = [];
  let failNext = 0;

  before(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        assert.equal(req.headers.authorization, 'Bearer token-1');
        if (failNext > 0) {
          failNext--;
          res.writeHead(503).end('{"message":"Usage temporarily unavailable"}');
          return;
        }
        received.push(JSON.parse(body).reports);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"recorded":1,"ignored":0}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => server.close());

  it('sums counts per plan, key and day, retries a refused batch whole, and counts it once', async () => {
    const reporter = new UsageReporter({ controlPlaneUrl: url, token: () => 'token-1', intervalMs: 60_000 });
    reporter.count('p1', 'k1', '2024-05-15');
    reporter.count('p1', 'k1', '2024-05-15');
    reporter.count('p1', 'k2', '2024-05-15');
    failNext = 1;
    await reporter.flush();
    assert.equal(received.length, 0);
    reporter.count('p1', 'k1', '2024-05-15');
    await reporter.stop();
    assert.equal(received.length, 1);
    assert.deepEqual(received[0]!.sort((a, b) => a.keyId.localeCompare(b.keyId)), [
      { usagePlanId: 'p1', keyId: 'k1', day: '2024-05-15', count: 3 },
      { usagePlanId: 'p1', keyId: 'k2', day: '2024-05-15', count: 1 },
    ]);
    await reporter.flush();
    assert.equal(received.length, 1, 'nothing left to send');
  });
});
