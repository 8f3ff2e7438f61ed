// Resource policies of REST APIs (`api.policy`): compiled once per deployment, evaluated for the
// method ARN of each request, and combined with the method's authorization as the Developer Guide's
// "How API Gateway resource policies affect authorization workflow" says:
// - NONE: the resource policy alone; it must explicitly allow.
// - CUSTOM (Lambda authorizer): an explicit deny refuses before the authorizer runs; afterwards
//   Table A: allowed when the authorizer's policy or the resource policy allows, and neither denies.
// - COGNITO_USER_POOLS: after the token is verified, the resource policy must explicitly allow.
// - AWS_IAM: evaluated with the signed caller as principal. Same account: Table A (identity policy
//   or resource policy allows, neither denies); another account: Table B (both must allow).
//
// For authorizers (src/data-plane/pipeline/authorize.ts), after the authorizer has answered:
//   authorizeWithResourcePolicy(ctx, decision, (explicit) => explicit ? explicitDeny() : implicitDeny())
// with the Lambda authorizer policy's decision, or 'Allow' for a verified user pool token. It returns
// when the call may proceed and throws otherwise: the authorizer's own denial when its side refused,
// else the resource policy's 403 (ACCESS_DENIED, `{"Message":"User: anonymous is not authorized ..."}`).
// combineWithResourcePolicy() is the tables themselves, as a pure function.
//
// Condition keys offered: aws:SourceIp (see client-address.ts), aws:CurrentTime, aws:EpochTime,
// aws:SecureTransport, aws:UserAgent, aws:Referer, aws:RequestedRegion and, for signed callers,
// aws:PrincipalAccount, aws:PrincipalArn, aws:PrincipalType, aws:userid, aws:username. There are no
// VPCs here: aws:SourceVpc and aws:SourceVpce are always absent.
import { config } from '../../config.js';
import { logger } from '../../logger.js';
import type { DeploymentSnapshot } from '../../shared/worker-config.js';
import { firstValue, type IamCaller, type InvocationContext } from '../pipeline/context.js';
import { GatewayError } from '../pipeline/errors.js';
import { methodArn } from './method-arn.js';
import { compilePolicy, evaluate, type CompiledPolicy, type PolicyDecision, type PolicyRequest } from './policy.js';

/** The region of method ARNs (PORTICO_REGION, unless the worker was started with another). */
export const regionOf = (ctx: InvocationContext): string => ctx.services.authorizers?.region ?? config.region;

/** A deployment's resource policy; one that cannot be read refuses every call (fail closed). */
export type CompiledResourcePolicy = { policy: CompiledPolicy } | { malformed: string };

export function compileResourcePolicy(snapshot: DeploymentSnapshot): CompiledResourcePolicy | undefined {
  const text = snapshot.api.policy;
  if (!text) return undefined;
  try {
    // `execute-api:/...` names this API; the worker serves one region, so any region matches.
    const api = { region: '*', accountId: snapshot.accountId, restApiId: snapshot.restApiId };
    return { policy: compilePolicy(text, { api }) };
  } catch (err) {
    const reason = (err as Error).message;
    logger.warn({ restApiId: snapshot.restApiId, deploymentId: snapshot.deploymentId, reason }, 'resource policy is malformed; every call is denied');
    return { malformed: reason };
  }
}

/** The policy request for the routed method: `execute-api:Invoke` on its ARN, with the condition keys above. */
export function policyRequest(ctx: InvocationContext, caller?: IamCaller): PolicyRequest {
  const region = regionOf(ctx);
  const secure = config.trustedProxyHops > 0 && firstValue(ctx.headers, 'x-forwarded-proto')?.split(',')[0]?.trim() === 'https';
  return {
    action: 'execute-api:Invoke',
    resource: methodArn(ctx, region),
    ...(caller ? { principal: { aws: [caller.arn, caller.accountId] } } : {}),
    conditions: {
      'aws:SourceIp': ctx.sourceIp,
      'aws:CurrentTime': new Date(ctx.startedAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      'aws:EpochTime': String(Math.floor(ctx.startedAt / 1000)),
      'aws:SecureTransport': String(secure),
      'aws:UserAgent': firstValue(ctx.headers, 'user-agent'),
      'aws:Referer': firstValue(ctx.headers, 'referer'),
      'aws:RequestedRegion': region,
      ...(caller
        ? {
            'aws:PrincipalAccount': caller.accountId,
            'aws:PrincipalArn': caller.arn,
            'aws:PrincipalType': caller.userName ? 'User' : 'Account',
            'aws:userid': caller.principalId,
            'aws:username': caller.userName,
          }
        : {}),
    },
  };
}

/** What the API's resource policy says about this call; undefined when the API has none (the request is then never built). */
export function resourcePolicyDecision(ctx: InvocationContext, request?: PolicyRequest): PolicyDecision | undefined {
  const compiled = ctx.stage!.deployment.resourcePolicy;
  if (!compiled) return undefined;
  return 'policy' in compiled ? evaluate(compiled.policy, request ?? policyRequest(ctx)) : 'Deny';
}

export type CombinedDecision = { allowed: true } | { allowed: false; explicit: boolean; deniedBy: 'identity' | 'resource' };

/**
 * The Developer Guide's outcome tables. `identity` is what the caller's side says: the IAM user's
 * policies, a Lambda authorizer's policy, or 'Allow' for a verified user pool token. `resource` is
 * the resource policy's decision, undefined when the API has none (neither allow nor deny).
 * `bothMustAllow` is Table B (cross-account IAM callers) and the user pool rule; otherwise Table A.
 */
export function combineWithResourcePolicy(identity: PolicyDecision, resource: PolicyDecision | undefined, options: { bothMustAllow?: boolean } = {}): CombinedDecision {
  if (identity === 'Deny') return { allowed: false, explicit: true, deniedBy: 'identity' };
  if (resource === 'Deny') return { allowed: false, explicit: true, deniedBy: 'resource' };
  // No resource policy at all says neither allow nor deny.
  const allowed = options.bothMustAllow ? identity === 'Allow' && resource === 'Allow' : identity === 'Allow' || resource === 'Allow';
  if (allowed) return { allowed: true };
  return { allowed: false, explicit: false, deniedBy: identity === 'Allow' ? 'resource' : 'identity' };
}

/** For CUSTOM and COGNITO_USER_POOLS methods, once the authorizer has answered (see the header). */
export function authorizeWithResourcePolicy(ctx: InvocationContext, authorizerDecision: PolicyDecision, authorizerDenial: (explicit: boolean) => GatewayError): void {
  const resource = resourcePolicyDecision(ctx);
  // A verified user pool token needs the resource policy's explicit allow, when the API has a policy.
  const bothMustAllow = ctx.method!.authorizationType === 'COGNITO_USER_POOLS' && resource !== undefined;
  const combined = combineWithResourcePolicy(authorizerDecision, resource, { bothMustAllow });
  if (combined.allowed) return;
  throw combined.deniedBy === 'identity' ? authorizerDenial(combined.explicit) : notAuthorized(ctx, 'anonymous', combined.explicit);
}

/** `arn:aws:execute-api:us-east-1:********1234:...`: AWS shows only an account id's last four digits. */
function maskAccount(arn: string): string {
  const parts = arn.split(':');
  const account = parts[4];
  if (account) parts[4] = `${'*'.repeat(Math.max(account.length - 4, 0))}${account.slice(-4)}`;
  return parts.join(':');
}

/** API Gateway's 403 for a caller a policy does not allow; its default body spells the key `Message`. */
export function notAuthorized(ctx: InvocationContext, user: string, explicit: boolean, action = 'execute-api:Invoke'): GatewayError {
  const arn = maskAccount(methodArn(ctx, regionOf(ctx)));
  const message = `User: ${user} is not authorized to perform: ${action} on resource: ${arn}${explicit ? ' with an explicit deny' : ''}`;
  return new GatewayError('ACCESS_DENIED', message, 403, { defaultBody: JSON.stringify({ Message: message }) });
}
