// AWS_IAM methods: verify the SigV4 signature (auth/iam.ts), record the caller for $context.identity,
// then allow the call only as the caller's identity policies and the API's resource policy together
// say: either may allow within the API's account (Table A), both must allow across accounts (Table B).
import { authenticate, compileIdentities, identityDecision, publicCaller } from '../auth/iam.js';
import { combineWithResourcePolicy, notAuthorized, policyRequest, regionOf, resourcePolicyDecision } from '../auth/resource-policy.js';
import type { InvocationContext } from './context.js';

const OPEN = compileIdentities(undefined);

export function iamAuthorize(ctx: InvocationContext): void {
  if (ctx.method!.authorizationType !== 'AWS_IAM') return;
  const caller = authenticate(ctx, ctx.stage!.identities ?? OPEN, regionOf(ctx));
  ctx.iamCaller = publicCaller(caller);
  const request = policyRequest(ctx, ctx.iamCaller);
  const crossAccount = caller.accountId !== ctx.stage!.deployment.snapshot.accountId;
  const combined = combineWithResourcePolicy(identityDecision(caller, request), resourcePolicyDecision(ctx, request), { bothMustAllow: crossAccount });
  if (!combined.allowed) throw notAuthorized(ctx, caller.arn, combined.explicit);
}
