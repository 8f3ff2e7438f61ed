import { Counter, Histogram, Registry } from 'prom-client';
const r = new Registry();
const L = ['ApiName','Stage','Method','Resource'];
const c = new Counter({ name: 'c', help: 'h', labelNames: L, registers: [r] });
const h = new Histogram({ name: 'h', help: 'h', labelNames: L, buckets: [0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 29000], registers: [r] });
const labels = { ApiName: 'bench', Stage: 'bench' };
const cc = c.labels(labels), hh = h.labels(labels);
for (let k = 0; k < 3; k++) {
  let t = performance.now();
  for (let i = 0; i < 1e6; i++) cc.inc();
  const a = (performance.now() - t);
  t = performance.now();
  for (let i = 0; i < 1e6; i++) hh.observe(i % 7);
  const b = (performance.now() - t);
  console.log('counter inc ns', a.toFixed(0), 'hist observe ns', b.toFixed(0));
}
