// Resource policy, before authorization: a call the API's resource policy explicitly denies is
// refused before any authorizer runs, and a method without authorization needs the policy's
// explicit allow. AWS_IAM methods are evaluated with their signed caller in iam-authorize.ts;
// authorizers combine their outcome with the policy afterwards (auth/resource-policy.ts).
import { notAuthorized, resourcePolicyDecision } from '../auth/resource-policy.js';
import type { InvocationContext } from './context.js';

export function resourcePolicy(ctx: InvocationContext): void {
  const type = ctx.method!.authorizationType ?? 'NONE';
  if (type === 'AWS_IAM') return;
  const decision = resourcePolicyDecision(ctx);
  if (decision === undefined) return;
  if (decision === 'Deny') throw notAuthorized(ctx, 'anonymous', true);
  if (type === 'NONE' && decision !== 'Allow') throw notAuthorized(ctx, 'anonymous', false);
}
