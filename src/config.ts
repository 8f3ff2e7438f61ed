// Every setting of Portico, read once from the environment (the README lists them with their defaults).
import { resolve } from 'node:path';
import { parseUserPoolSettings } from './data-plane/auth/user-pools.js';
import { DEFAULT_LAMBDA_SETTINGS, type LambdaSettings } from './data-plane/lambda/settings.js';

const env = process.env;
const int = (name: string, fallback: number) => {
  const v = env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new Error(`${name} must be an integer, got ${v}`);
  return n;
};

export type AuthMode = 'open' | 'sigv4';

/**
 * Where Lambda functions run. Calls to PORTICO_LAMBDA_ENDPOINT are signed with PORTICO_LAMBDA_ACCESS_KEY_ID /
 * PORTICO_LAMBDA_SECRET_ACCESS_KEY (/ PORTICO_LAMBDA_SESSION_TOKEN), else with the standard AWS_* variables.
 */
function lambdaSettings(): LambdaSettings {
  const own = Boolean(env.PORTICO_LAMBDA_ACCESS_KEY_ID);
  const accessKeyId = own ? env.PORTICO_LAMBDA_ACCESS_KEY_ID : env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = own ? env.PORTICO_LAMBDA_SECRET_ACCESS_KEY : env.AWS_SECRET_ACCESS_KEY;
  const sessionToken = (own ? env.PORTICO_LAMBDA_SESSION_TOKEN : env.AWS_SESSION_TOKEN) || undefined;
  const defaults = DEFAULT_LAMBDA_SETTINGS;
  return {
    endpoint: env.PORTICO_LAMBDA_ENDPOINT || undefined,
    credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) } : undefined,
    region: env.PORTICO_REGION ?? defaults.region,
    functionsDir: resolve(env.PORTICO_FUNCTIONS_DIR || defaults.functionsDir),
    functionTimeoutMs: int('PORTICO_FUNCTION_TIMEOUT_MS', defaults.functionTimeoutMs),
    functionMemoryMb: int('PORTICO_FUNCTION_MEMORY_MB', defaults.functionMemoryMb),
    functionConcurrency: int('PORTICO_FUNCTION_CONCURRENCY', defaults.functionConcurrency),
    functionIdleMs: int('PORTICO_FUNCTION_IDLE_MS', defaults.functionIdleMs),
    invokeApi: (env.PORTICO_LAMBDA_INVOKE_API ?? 'true') !== 'false',
  };
}

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
  /** IAM users (keys, account, identity policies) that AWS_IAM methods accept, as JSON */
  iamIdentitiesFile: env.PORTICO_IAM_IDENTITIES_FILE || undefined,
  /** proxies in front of the workers whose X-Forwarded-For entries are trusted for the client address */
  trustedProxyHops: int('PORTICO_TRUSTED_PROXY_HOPS', 0),
  /** user pool ARN → OIDC issuer (and JWKS URI, app clients) for COGNITO_USER_POOLS authorizers */
  cognitoUserPools: parseUserPoolSettings(env.PORTICO_COGNITO_USER_POOLS),
  lambda: lambdaSettings(),
};

if (config.auth !== 'open' && config.auth !== 'sigv4') throw new Error(`PORTICO_AUTH must be open or sigv4, got ${config.auth}`);
