// `npm start`: the all-in-one Portico — the control plane (on the embedded database unless
// DATABASE_URL is set) and one data-plane worker as a separate process.
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { config } from './config.js';
import { startControlPlane } from './control-plane/server.js';
import { logger } from './logger.js';

const clusterSecret = config.clusterSecret ?? randomBytes(32).toString('hex');

const controlPlane = await startControlPlane({
  port: config.controlPort,
  host: config.host,
  databaseUrl: config.databaseUrl,
  embeddedDataDir: join(config.dataDir, 'postgres'),
  clusterSecret,
});

let stopping = false;
let worker: ChildProcess | undefined;

function startWorkerProcess(): void {
  // Compiled (dist/src/main.js, `npm start`) the worker is dist's JavaScript; under tsx, the TypeScript.
  const source = import.meta.url.endsWith('.ts');
  worker = fork(fileURLToPath(new URL(`./data-plane/main.${source ? 'ts' : 'js'}`, import.meta.url)), [], {
    execArgv: source ? ['--import', 'tsx'] : [],
    env: {
      ...process.env,
      PORTICO_CLUSTER_SECRET: clusterSecret,
      PORTICO_CONTROL_PLANE_URL: `http://127.0.0.1:${controlPlane.port}`,
    },
  });
  worker.on('exit', (code, signal) => {
    if (stopping) return;
    logger.error({ code, signal }, 'worker exited; restarting it');
    setTimeout(startWorkerProcess, 500);
  });
}
startWorkerProcess();

logger.info(
  { managementApi: `http://localhost:${controlPlane.port}`, invokeUrl: `http://{restApiId}.${config.executeApiDomain}:${config.dataPort}/{stage}/` },
  'Portico is up',
);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const workerExited = new Promise((resolve) => (worker?.exitCode !== null ? resolve(undefined) : worker.once('exit', resolve)));
    worker?.kill('SIGTERM');
    await workerExited;
    await controlPlane.stop();
    process.exit(0);
  });
}
