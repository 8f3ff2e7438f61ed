// A standalone control-plane process (`node dist/src/control-plane/main.js` once built), for
// deployments where workers run as their own processes (docker-compose.yml).
import { config } from '../config.js';
import { logger } from '../logger.js';
import { startControlPlane } from './server.js';

if (!config.clusterSecret) {
  logger.fatal('PORTICO_CLUSTER_SECRET is required: workers present cluster tokens signed with it');
  process.exit(1);
}

const controlPlane = await startControlPlane({
  port: config.controlPort,
  host: config.host,
  databaseUrl: config.databaseUrl,
  embeddedDataDir: `${config.dataDir}/postgres`,
  clusterSecret: config.clusterSecret,
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    logger.info({ signal }, 'control plane shutting down');
    await controlPlane.stop();
    process.exit(0);
  });
}
