// Authorize: runs the method's Lambda authorizer (CUSTOM) or user pool authorizer
// (COGNITO_USER_POOLS), combines its answer with the API's resource policy, and records what it
// established in ctx.authorizer, for $context.authorizer and the proxy event. A caller the
// authorizer refuses gets 401, one the policies do not allow 403.
import { cognitoAuthorize } from '../auth/cognito-authorizer.js';
import { authorizerConfigurationError, explicitDeny, implicitDeny } from '../auth/denials.js';
import { lambdaAuthorize } from '../auth/lambda-authorizer.js';
import { authorizeWithResourcePolicy } from '../auth/resource-policy.js';
import type { InvocationContext } from './context.js';

const authorizerDenial = (explicit: boolean) => (explicit ? explicitDeny() : implicitDeny());

/** A promise only for methods with an authorizer. */
export function authorize(ctx: InvocationContext): void | Promise<void> {
  const type = ctx.method!.authorizationType;
  if (type !== 'CUSTOM' && type !== 'COGNITO_USER_POOLS') return;
  return runAuthorizer(ctx, type);
}

async function runAuthorizer(ctx: InvocationContext, type: 'CUSTOM' | 'COGNITO_USER_POOLS'): Promise<void> {
  const method = ctx.method!;
  const authorizer = method.authorizerId ? ctx.stage!.deployment.authorizers.get(method.authorizerId) : undefined;
  const services = ctx.services.authorizers;
  if (!authorizer || !services || (type === 'CUSTOM') !== (authorizer.type !== 'COGNITO_USER_POOLS')) throw authorizerConfigurationError();

  if (authorizer.type === 'COGNITO_USER_POOLS') {
    const identity = await cognitoAuthorize(ctx, authorizer.cognito, services, method.authorizationScopes ?? []);
    authorizeWithResourcePolicy(ctx, 'Allow', authorizerDenial);
    ctx.authorizer = identity;
    return;
  }
  const { decision, identity } = await lambdaAuthorize(ctx, authorizer.lambda, services, ctx.stage!.config.authorizersCacheEpoch ?? 0);
  authorizeWithResourcePolicy(ctx, decision, authorizerDenial);
  ctx.authorizer = identity;
}
