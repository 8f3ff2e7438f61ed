// What a worker's request path may use besides the compiled config: long-lived clients and caches
// created once per worker (never per request) and handed to every invocation as `ctx.services`.
import type { AuthorizerServices } from './auth/services.js';
import type { LambdaInvoker } from './lambda/types.js';

export type WorkerServices = {
  /** the host suffix of host-style invoke URLs (PORTICO_EXECUTE_API_DOMAIN) */
  executeApiDomain: string;
  /** calls Lambda functions: the Invoke API at PORTICO_LAMBDA_ENDPOINT, or the built-in runner */
  lambda?: LambdaInvoker;
  /** Lambda authorizer result cache, user pool signing keys and settings */
  authorizers?: AuthorizerServices;
};
