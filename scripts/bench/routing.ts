// Routing cost: the route tree's match of a path under one of N resources (`/res{i}` and
// `/res{i}/{id}`), in nanoseconds per match, measured in this process.
import { buildRouteTree } from '../../src/data-plane/compile/routes.js';

export function routeCost(resources: number): number {
  const list = [];
  for (let i = 0; i < resources / 2; i++) {
    list.push({ id: `a${i}`, path: `/res${i}`, methods: {} });
    list.push({ id: `b${i}`, path: `/res${i}/{id}`, methods: { GET: {} } });
  }
  const tree = buildRouteTree(list);
  const segments = [`res${resources / 2 - 1}`, '42'];
  for (let i = 0; i < 50_000; i++) tree.match(segments);
  const n = 300_000;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) tree.match(segments);
  return ((performance.now() - t0) * 1e6) / n;
}
