// The OpenAPI description drives routing: every one of the model's operations is reachable at its URI.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { operations } from '../../src/control-plane/protocol/openapi.js';
import { matchOperation } from '../../src/control-plane/protocol/router.js';
import { endpoint } from '../helpers/client.js';

it('describes all 124 operations, each routed to itself', () => {
  assert.equal(operations.length, 124);
  for (const op of operations) {
    const path = '/' + op.segments.map((s) => (s.startsWith('{') ? 'some%2Fvalue' : s)).join('/');
    const query = new URLSearchParams(op.queryLiterals);
    const match = matchOperation(op.method, path, query);
    assert.equal(match?.spec.name, op.name, `${op.method} ${op.uri}`);
    for (const label of op.segments.filter((s) => s.startsWith('{'))) assert.equal(match?.pathParams[label.slice(1, -1)], 'some/value');
  }
});

it('is served at /openapi.json', async () => {
  const res = await fetch(`${endpoint}/openapi.json`);
  assert.equal(res.status, 200);
  const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown> };
  assert.equal(doc.openapi, '3.0.3');
  assert.ok(doc.paths['/restapis/{restapi_id}/resources/{resource_id}']);
});
