// What authorizers keep per worker: the region of method ARNs, the cache of Lambda authorizer
// answers, the user pools' signing keys and where user pools live. Created once in startWorker.
import { AuthorizerCache } from './authorizer-cache.js';
import { JwksClient } from './jwks.js';
import type { LambdaAuthorizerResult } from './lambda-authorizer.js';
import type { UserPoolSettings } from './user-pools.js';

export type AuthorizerServices = {
  region: string;
  lambdaResults: AuthorizerCache<LambdaAuthorizerResult>;
  jwks: JwksClient;
  userPools: UserPoolSettings;
};

export function createAuthorizerServices(settings: { region: string; userPools?: UserPoolSettings }): AuthorizerServices {
  return { region: settings.region, lambdaResults: new AuthorizerCache(), jwks: new JwksClient(), userPools: settings.userPools ?? {} };
}
