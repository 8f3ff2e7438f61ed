// Every setting of Portico, read once from the environment (the README lists them with their defaults).
import { resolve } from 'node:path';
import { parseUserPoolSettings } from './data-plane/auth/user-pools.js';
import { parseAllowedNetworks } from './data-plane/integrations/network-allowlist.js';
import { parseRoleCredentials, type AwsCredentials } from './data-plane/integrations/role-credentials.js';
import { parseVpcLinkTargets } from './data-plane/integrations/vpc-link-targets.js';
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

/** PORTICO_AWS_ENDPOINT_{SERVICE}: where AWS service integrations call, by service name lower-cased. */
function awsEndpoints(): Record<string, string> {
  const endpoints: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    const service = /^PORTICO_AWS_ENDPOINT_(.+)$/.exec(name)?.[1];
    if (service && value) endpoints[service.toLowerCase()] = value;
  }
  return endpoints;
}

/** What a role that PORTICO_ROLE_CREDENTIALS does not list signs with: the standard AWS_* variables. */
function defaultCredentials(): AwsCredentials | undefined {
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, AWS_SESSION_TOKEN: sessionToken } = env;
  return accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) } : undefined;
}

/** PORTICO_ACCESS_LOG_DESTINATIONS: access log destination ARN (or log group name, or `*`) → file path or `stdout`. */
function accessLogDestinations(): Record<string, string> {
  const raw = env.PORTICO_ACCESS_LOG_DESTINATIONS;
  if (!raw) return {};
  const parsed: unknown = JSON.parse(raw);
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed) || Object.values(parsed).some((v) => typeof v !== 'string' || v === '')) {
    throw new Error('PORTICO_ACCESS_LOG_DESTINATIONS must be a JSON object of destination ARN → file path or "stdout"');
  }
  return parsed as Record<string, string>;
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
  /** the networks HTTP integrations may connect to (CIDR list); undefined: any */
  integrationAllowedNetworks: parseAllowedNetworks(env.PORTICO_INTEGRATION_ALLOWED_NETWORKS),
  /** user pool ARN → OIDC issuer (and JWKS URI, app clients) for COGNITO_USER_POOLS authorizers */
  cognitoUserPools: parseUserPoolSettings(env.PORTICO_COGNITO_USER_POOLS),
  lambda: lambdaSettings(),
  /** VPC link target ARN → backend address (PORTICO_VPC_LINK_TARGETS), read by workers */
  vpcLinkTargets: parseVpcLinkTargets(env.PORTICO_VPC_LINK_TARGETS),
  /** how long a new VPC link stays PENDING and a deleted one DELETING */
  vpcLinkProvisioningMs: int('PORTICO_VPC_LINK_PROVISIONING_MS', 2000),
  /** a worker's HTTPS port for custom domain names; unset: none */
  tlsPort: env.PORTICO_TLS_PORT ? int('PORTICO_TLS_PORT', 0) : undefined,
  /** `{domainName}.crt` / `{domainName}.key` pairs the HTTPS port serves, chosen by SNI */
  tlsCertsDir: env.PORTICO_TLS_CERTS_DIR ? resolve(env.PORTICO_TLS_CERTS_DIR) : undefined,
  /** mutual TLS truststores: `s3://bucket/key` is the file `{bucket}/{key}` here */
  tlsTruststoresDir: env.PORTICO_TLS_TRUSTSTORES_DIR
    ? resolve(env.PORTICO_TLS_TRUSTSTORES_DIR)
    : env.PORTICO_TLS_CERTS_DIR ? resolve(env.PORTICO_TLS_CERTS_DIR, 'truststores') : undefined,
  /** where stages' access logs go, by destination ARN */
  accessLogDestinations: accessLogDestinations(),
  /** how long a worker stopping (SIGTERM) waits for requests in flight */
  drainTimeoutMs: int('PORTICO_DRAIN_TIMEOUT_MS', 30_000),
  /** AWS service integrations: endpoints by service (PORTICO_AWS_ENDPOINT_{SERVICE}) */
  awsEndpoints: awsEndpoints(),
  /** role ARN → credentials (PORTICO_ROLE_CREDENTIALS), and the AWS_* pair for roles it does not list */
  roleCredentials: { roles: parseRoleCredentials(env.PORTICO_ROLE_CREDENTIALS), fallback: defaultCredentials() },
  /** Redis for fleet-wide throttle buckets and quota counters; unset: each worker keeps them in its process */
  redisUrl: env.PORTICO_REDIS_URL || undefined,
  /** what each worker's stage cache may hold in memory, over all stages (MB) */
  stageCacheMaxMb: int('PORTICO_STAGE_CACHE_MAX_MB', 128),
};

if (config.auth !== 'open' && config.auth !== 'sigv4') throw new Error(`PORTICO_AUTH must be open or sigv4, got ${config.auth}`);
