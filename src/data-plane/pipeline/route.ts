// Route: the resource whose path matches (literal, then {param}, then {greedy+}) and its method
// (the request's own, then ANY); nothing there is API Gateway's 403 Missing Authentication Token.
import type { InvocationContext } from './context.js';
import { GatewayError } from './errors.js';

export function route(ctx: InvocationContext): void {
  const match = ctx.stage!.deployment.routes.match(ctx.segments);
  const method = match && (match.resource.methods[ctx.httpMethod] ?? match.resource.methods.ANY);
  if (!match || !method) throw new GatewayError('MISSING_AUTHENTICATION_TOKEN', 'Missing Authentication Token');
  ctx.resource = match.resource;
  ctx.method = method;
  ctx.integration = method.methodIntegration;
  ctx.pathParams = match.pathParams;
}
