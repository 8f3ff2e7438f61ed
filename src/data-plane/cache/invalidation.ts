// Who may invalidate a cache entry with `Cache-Control: max-age=0`: anyone when the method's
// settings do not require authorization; otherwise a caller allowed `execute-api:InvalidateCache` on
// the method ARN. Only a SigV4-signed caller (an AWS_IAM method) is known to IAM, so only it can be
// allowed: its identity policies (a root may do anything in its account) and the API's resource
// policy decide as for Invoke — either within the API's account, both across accounts.
import { identityDecision } from '../auth/iam.js';
import { combineWithResourcePolicy, notAuthorized, policyRequest, resourcePolicyDecision } from '../auth/resource-policy.js';
import type { InvocationContext } from '../pipeline/context.js';
import type { GatewayError } from '../pipeline/errors.js';

export const INVALIDATE_CACHE = 'execute-api:InvalidateCache';

/** Whether the request asks for a fresh response: a `max-age=0` directive in any Cache-Control header. */
export function asksForFresh(ctx: InvocationContext): boolean {
  return (ctx.headers['cache-control'] ?? []).some((value) => value.split(',').some((d) => d.trim().toLowerCase() === 'max-age=0'));
}

export function mayInvalidate(ctx: InvocationContext): boolean {
  const caller = ctx.iamCaller;
  if (!caller) return false;
  const request = { ...policyRequest(ctx, caller), action: INVALIDATE_CACHE };
  // A key not among the known identities signed in open mode, as the root of its account.
  const known = ctx.stage!.identities?.byAccessKeyId.get(caller.accessKeyId);
  const identity = known ? identityDecision(known, request) : 'Allow';
  const crossAccount = caller.accountId !== ctx.stage!.deployment.snapshot.accountId;
  return combineWithResourcePolicy(identity, resourcePolicyDecision(ctx, request), { bothMustAllow: crossAccount }).allowed;
}

/** FAIL_WITH_403: API Gateway's access-denied response, naming the caller and the action. */
export function invalidationDenied(ctx: InvocationContext): GatewayError {
  return notAuthorized(ctx, ctx.iamCaller?.arn ?? 'anonymous', false, INVALIDATE_CACHE);
}
