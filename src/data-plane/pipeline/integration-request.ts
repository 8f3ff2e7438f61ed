// Integration request: what the integration receives (URI, method, headers, query, body).
// First version: the method request passed through unchanged.
import type { InvocationContext } from './context.js';

export function integrationRequest(ctx: InvocationContext): void {
  const integration = ctx.integration!;
  ctx.integrationRequest = {
    uri: integration.uri ?? '',
    httpMethod: integration.httpMethod ?? ctx.httpMethod,
    headers: ctx.headers,
    query: ctx.query,
    body: ctx.body,
  };
}
