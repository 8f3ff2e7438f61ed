// The route tree: literal before {param} before {greedy+}, backtracking to the most specific match.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { buildRouteTree } from '../../src/data-plane/compile/routes.js';
import type { SnapshotResource } from '../../src/shared/worker-config.js';

const resource = (path: string): SnapshotResource => ({ id: path, path, methods: {} });
const tree = buildRouteTree(['/', '/pets', '/pets/{id}', '/pets/mine', '/pets/{id}/toys', '/{proxy+}', '/files/{path+}', '/a/{x}/c', '/a/b/d'].map(resource));
const match = (path: string) => {
  const m = tree.match(path.split('/').filter(Boolean));
  return m && { resource: m.resource.path, params: m.pathParams };
};

it('prefers literal segments, then variables, then greedy paths', () => {
  assert.deepEqual(match('/'), { resource: '/', params: {} });
  assert.deepEqual(match('/pets'), { resource: '/pets', params: {} });
  assert.deepEqual(match('/pets/mine'), { resource: '/pets/mine', params: {} });
  assert.deepEqual(match('/pets/42'), { resource: '/pets/{id}', params: { id: '42' } });
  assert.deepEqual(match('/pets/42/toys'), { resource: '/pets/{id}/toys', params: { id: '42' } });
  assert.deepEqual(match('/pets/42/food'), { resource: '/{proxy+}', params: { proxy: 'pets/42/food' } });
  assert.deepEqual(match('/files/a/b/c.txt'), { resource: '/files/{path+}', params: { path: 'a/b/c.txt' } });
});

it('backtracks from a literal that leads nowhere to a variable', () => {
  assert.deepEqual(match('/a/b/c'), { resource: '/a/{x}/c', params: { x: 'b' } });
  assert.deepEqual(match('/a/b/d'), { resource: '/a/b/d', params: {} });
});

it('is case-sensitive and finds nothing where nothing is', () => {
  const small = buildRouteTree(['/', '/pets'].map(resource));
  assert.equal(small.match(['Pets']), undefined);
  assert.equal(small.match(['pets', 'x']), undefined);
});
