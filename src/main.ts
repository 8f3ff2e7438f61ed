// `npm start`: the all-in-one Portico (the control plane, on the embedded database unless DATABASE_URL is set).
import { join } from 'node:path';
import { config } from './config.js';
import { startControlPlane } from './control-plane/server.js';
import { logger } from './logger.js';

const controlPlane = await startControlPlane({
  port: config.controlPort,
  host: config.host,
  databaseUrl: config.databaseUrl,
  embeddedDataDir: join(config.dataDir, 'postgres'),
});

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await controlPlane.stop();
    process.exit(0);
  });
}
