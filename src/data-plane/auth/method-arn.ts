// The ARN of the method a request calls, as authorizer policies name it:
// `arn:aws:execute-api:{region}:{accountId}:{restApiId}/{stage}/{httpMethod}/{path}`, with the
// request's own method (never ANY) and its path after the stage, without the leading slash.
import type { InvocationContext } from '../pipeline/context.js';

export function methodArn(ctx: InvocationContext, region: string): string {
  const snapshot = ctx.stage!.deployment.snapshot;
  const path = ctx.path.replace(/^\//, '');
  return `arn:aws:execute-api:${region}:${snapshot.accountId}:${snapshot.restApiId}/${ctx.stage!.config.stageName}/${ctx.httpMethod}/${path}`;
}
