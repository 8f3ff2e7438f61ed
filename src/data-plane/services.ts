// What a worker's request path may use besides the compiled config: long-lived clients and caches
// created once per worker (never per request) and handed to every invocation as `ctx.services`.
import type { AuthorizerServices } from './auth/services.js';
import type { StageCache } from './cache/stage-cache.js';
import type { BackendConnections } from './integrations/backend-connections.js';
import type { RoleCredentials } from './integrations/role-credentials.js';
import type { LambdaInvoker } from './lambda/types.js';
import type { Observability } from './observability/index.js';
import type { UsageServices } from './usage/index.js';

export type WorkerServices = {
  /** the host suffix of host-style invoke URLs (PORTICO_EXECUTE_API_DOMAIN) */
  executeApiDomain: string;
  /** calls Lambda functions: the Invoke API at PORTICO_LAMBDA_ENDPOINT, or the built-in runner */
  lambda?: LambdaInvoker;
  /** Lambda authorizer result cache, user pool signing keys and settings */
  authorizers?: AuthorizerServices;
  /** metrics, access logs and execution logs: recorded once per request, after the response is sent */
  observability?: Observability;
  /** AWS service integrations' endpoints by service name (PORTICO_AWS_ENDPOINT_{SERVICE}) */
  awsEndpoints?: Record<string, string>;
  /** the credentials an IAM role ARN stands for (PORTICO_ROLE_CREDENTIALS, else AWS_*) */
  roleCredentials?: RoleCredentials;
  /** throttle buckets and quota counters (in Redis with PORTICO_REDIS_URL), and usage reports to the control plane */
  usage?: UsageServices;
  /** the stage caches' method responses, this worker's own (PORTICO_STAGE_CACHE_MAX_MB) */
  stageCache?: StageCache;
  /** HTTP integration pools that present a client certificate or go through a VPC link (PORTICO_VPC_LINK_TARGETS) */
  backends?: BackendConnections;
};
