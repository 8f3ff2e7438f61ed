// Every setting of Portico, read once from the environment (the README lists them with their defaults).
import { resolve } from 'node:path';

const env = process.env;
const int = (name: string, fallback: number) => {
  const v = env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new Error(`${name} must be an integer, got ${v}`);
  return n;
};

export type AuthMode = 'open' | 'sigv4';

export const config = {
  controlPort: int('PORTICO_CONTROL_PORT', 4567),
  host: env.PORTICO_HOST ?? '0.0.0.0',
  databaseUrl: env.DATABASE_URL || undefined,
  dataDir: resolve(env.PORTICO_DATA_DIR ?? './data'),
  region: env.PORTICO_REGION ?? 'us-east-1',
  auth: (env.PORTICO_AUTH ?? 'open') as AuthMode,
  rootAccessKeyId: env.PORTICO_ROOT_ACCESS_KEY_ID || undefined,
  rootSecretAccessKey: env.PORTICO_ROOT_SECRET_ACCESS_KEY || undefined,
  logLevel: env.PORTICO_LOG_LEVEL ?? 'info',
  /** shared by the control plane and its workers; the all-in-one start makes one up when unset */
  clusterSecret: env.PORTICO_CLUSTER_SECRET || undefined,
  dataPort: int('PORTICO_DATA_PORT', 4568),
  controlPlaneUrl: env.PORTICO_CONTROL_PLANE_URL ?? `http://127.0.0.1:${int('PORTICO_CONTROL_PORT', 4567)}`,
  executeApiDomain: env.PORTICO_EXECUTE_API_DOMAIN ?? 'execute-api.localhost',
  workerCacheDir: env.PORTICO_WORKER_CACHE_DIR || undefined,
};

if (config.auth !== 'open' && config.auth !== 'sigv4') throw new Error(`PORTICO_AUTH must be open or sigv4, got ${config.auth}`);
