// The control plane's operational endpoints: Prometheus metrics of management calls (`/metrics`)
// and readiness (`/ready`: the database answers). `/health` only says the process is up.
import { Router } from 'express';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import type { Database } from '../db/data-source.js';

export function controlPlaneObservability(db: Database): Router {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const calls = new Counter({
    name: 'portico_management_requests_total',
    help: 'Management API calls by operation and status',
    labelNames: ['operation', 'status'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'portico_management_request_duration_ms',
    help: 'Management API call latency in milliseconds, by operation',
    labelNames: ['operation'],
    buckets: [1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 10000],
    registers: [registry],
  });

  const router = Router();
  router.get('/metrics', async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });
  router.get('/ready', async (_req, res) => {
    try {
      await db.dataSource.query('SELECT 1');
      res.json({ ready: true });
    } catch (err) {
      res.status(503).json({ ready: false, reason: (err as Error).message });
    }
  });
  // Every other call is measured when it finishes; app.ts names its operation in res.locals.
  router.use((_req, res, next) => {
    const started = performance.now();
    res.on('finish', () => {
      const operation: string = res.locals.operation ?? 'Unknown';
      calls.labels(operation, String(res.statusCode)).inc();
      duration.labels(operation).observe(performance.now() - started);
    });
    next();
  });
  return router;
}
