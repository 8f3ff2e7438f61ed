// The config channel workers follow: a cluster token signed with the cluster secret is required.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import jwt from 'jsonwebtoken';
import { endpoint } from '../helpers/client.js';

const secret = process.env.PORTICO_TEST_CLUSTER_SECRET!;
const token = (key: string, audience = 'portico-control-plane') => jwt.sign({ sub: 'test-worker' }, key, { algorithm: 'HS256', audience, expiresIn: '1m' });

it('refuses calls without a valid cluster token', async () => {
  assert.equal((await fetch(`${endpoint}/_portico/config?after=-1`)).status, 401);
  assert.equal((await fetch(`${endpoint}/_portico/config?after=-1`, { headers: { authorization: `Bearer ${token('wrong-secret')}` } })).status, 401);
  assert.equal((await fetch(`${endpoint}/_portico/config?after=-1`, { headers: { authorization: `Bearer ${token(secret, 'someone-else')}` } })).status, 401);
  const expired = jwt.sign({ sub: 'w', exp: Math.floor(Date.now() / 1000) - 60 }, secret, { algorithm: 'HS256', audience: 'portico-control-plane' });
  assert.equal((await fetch(`${endpoint}/_portico/config?after=-1`, { headers: { authorization: `Bearer ${expired}` } })).status, 401);
});

it('answers the versioned config to a worker that holds the token, and waits when it is current', async () => {
  const res = await fetch(`${endpoint}/_portico/config?after=-1`, { headers: { authorization: `Bearer ${token(secret)}` } });
  assert.equal(res.status, 200);
  const config = (await res.json()) as { format: number; version: number; stages: unknown[]; deployments: object };
  assert.equal(config.format, 1);
  assert.ok(Number.isInteger(config.version));
  assert.ok(Array.isArray(config.stages));
  const started = Date.now();
  const waited = await fetch(`${endpoint}/_portico/config?after=${config.version + 1_000_000}&waitMs=300`, { headers: { authorization: `Bearer ${token(secret)}` } });
  assert.equal(waited.status, 204);
  assert.ok(Date.now() - started >= 250);
});
