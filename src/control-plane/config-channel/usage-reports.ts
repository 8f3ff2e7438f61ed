// POST /_portico/usage: workers report the requests they admitted per usage plan, API key and UTC
// day, in batches (`UsageReportBatch`); a batch is checked whole and added atomically, counts
// adding up. A cluster token is required, as on the config channel.
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type { Database } from '../../db/data-source.js';
import { logger } from '../../logger.js';
import type { UsageReport } from '../../shared/worker-config.js';
import { isDay, recordUsage } from '../usage-plans/usage.js';

const MAX_REPORTS = 10_000;
const MAX_COUNT = 2 ** 31 - 1;

const isId = (v: unknown): v is string => typeof v === 'string' && /^[A-Za-z0-9_-]{1,32}$/.test(v);

/** The reports of a batch, or why it is not one. */
function reportsOf(body: unknown): UsageReport[] | string {
  const reports = (body as { reports?: unknown } | null)?.reports;
  if (!Array.isArray(reports)) return 'The body must be {"reports": [...]}';
  if (reports.length > MAX_REPORTS) return `A batch holds at most ${MAX_REPORTS} reports`;
  for (const [i, r] of reports.entries()) {
    const { usagePlanId, keyId, day, count } = (r ?? {}) as Partial<UsageReport>;
    if (!isId(usagePlanId) || !isId(keyId) || !isDay(day) || !Number.isInteger(count) || count! < 1 || count! > MAX_COUNT) {
      return `Report ${i} must have usagePlanId, keyId, day (YYYY-MM-DD) and a positive integer count`;
    }
  }
  return reports as UsageReport[];
}

export function usageReports(db: Database, authorized: (req: Request) => boolean): Router {
  const router = Router();
  router.post(
    '/_portico/usage',
    (req: Request, res: Response, next: NextFunction) => {
      if (authorized(req)) next();
      else res.status(401).json({ message: 'A valid cluster token is required' });
    },
    express.json({ limit: '5mb', type: () => true }),
    async (req: Request, res: Response) => {
      const reports = reportsOf(req.body);
      if (typeof reports === 'string') {
        res.status(400).json({ message: reports });
        return;
      }
      try {
        res.json(await recordUsage(db, reports));
      } catch (err) {
        logger.warn({ err: (err as Error).message }, 'usage reports could not be recorded');
        res.status(503).json({ message: 'Usage temporarily unavailable' });
      }
    },
    // A body that is not JSON.
    (err: Error, _req: Request, res: Response, _next: NextFunction) => {
      res.status(400).json({ message: `Malformed usage report: ${err.message}` });
    },
  );
  return router;
}
