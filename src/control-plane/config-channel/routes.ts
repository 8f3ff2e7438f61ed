// The config channel workers subscribe to: GET /_portico/config?after=N long-polls until the
// version passes N and answers the whole config; workers report usage on the same channel
// (usage-reports.ts). A cluster token (JWT) is required.
import { Router, type Request, type Response } from 'express';
import jwt from 'jsonwebtoken';
import type { Database } from '../../db/data-source.js';
import { logger } from '../../logger.js';
import { usageReports } from './usage-reports.js';
import type { ConfigWatcher } from './watcher.js';

const MAX_WAIT_MS = 25_000;

function authorized(req: Request, secret: string): boolean {
  const header = req.headers.authorization ?? '';
  if (!header.startsWith('Bearer ')) return false;
  try {
    const claims = jwt.verify(header.slice(7), secret, { algorithms: ['HS256'], audience: 'portico-control-plane' });
    return typeof claims === 'object' && claims.sub !== undefined;
  } catch {
    return false;
  }
}

export function configChannel(watcher: ConfigWatcher, clusterSecret: string, db: Database): Router {
  const router = Router();
  router.use(usageReports(db, (req) => authorized(req, clusterSecret)));
  router.get('/_portico/config', async (req: Request, res: Response) => {
    if (!authorized(req, clusterSecret)) {
      res.status(401).json({ message: 'A valid cluster token is required' });
      return;
    }
    const after = Number(req.query.after ?? -1);
    const waitMs = Math.min(Number(req.query.waitMs ?? MAX_WAIT_MS), MAX_WAIT_MS);
    try {
      const version = await watcher.waitFor(Number.isFinite(after) ? after : -1, Number.isFinite(waitMs) ? waitMs : MAX_WAIT_MS);
      if (version <= after) {
        res.status(204).end();
        return;
      }
      res.json(await watcher.config());
    } catch (err) {
      logger.warn({ err: (err as Error).message }, 'config channel could not build the config');
      res.status(503).json({ message: 'Config temporarily unavailable' });
    }
  });
  return router;
}
