// A standalone data-plane worker process (`node dist/src/data-plane/main.js` once built; `npm run build`).
import { join } from 'node:path';
import { config } from '../config.js';
import { logger } from '../logger.js';
import { startWorker } from './worker.js';

if (!config.clusterSecret) {
  logger.fatal('PORTICO_CLUSTER_SECRET is required: the worker signs its cluster token with it');
  process.exit(1);
}

const worker = await startWorker({
  port: config.dataPort,
  host: config.host,
  controlPlaneUrl: config.controlPlaneUrl,
  clusterSecret: config.clusterSecret,
  cacheDir: config.workerCacheDir ?? join(config.dataDir, 'worker-cache'),
  executeApiDomain: config.executeApiDomain,
  lambda: config.lambda,
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    logger.info({ signal }, 'worker draining');
    await worker.stop();
    process.exit(0);
  });
}
