// Gateway responses: every error the worker produces is answered with the response of its type —
// the API's customization if the deployment has one, else DEFAULT_4XX / DEFAULT_5XX's, else AWS's default.
import type { GatewayResponse } from '../../control-plane/protocol/shapes.js';
import { gatewayResponseDefaults } from '../../shared/gateway-responses.js';
import type { InvocationContext, MethodResult } from './context.js';
import type { GatewayError } from './errors.js';

function customization(ctx: InvocationContext, type: string): GatewayResponse | undefined {
  return ctx.stage?.deployment.snapshot.gatewayResponses.find((r) => r.responseType === type);
}

export function gatewayResponse(ctx: InvocationContext, error: GatewayError): MethodResult {
  const defaults = gatewayResponseDefaults[error.type];
  const statusCode = Number(error.statusCode ?? customization(ctx, error.type)?.statusCode ?? defaults.statusCode ?? 500);
  const family = statusCode >= 500 ? 'DEFAULT_5XX' : 'DEFAULT_4XX';
  const custom = customization(ctx, error.type) ?? customization(ctx, family);
  const headers: Record<string, string[]> = {
    'content-type': ['application/json'],
    'x-amzn-errortype': [defaults.errorType],
  };
  for (const [name, value] of Object.entries(custom?.responseParameters ?? {})) {
    const header = /^gatewayresponse\.header\.(.+)$/.exec(name)?.[1];
    const literal = /^'(.*)'$/s.exec(value)?.[1];
    if (header && literal !== undefined) headers[header.toLowerCase()] = [literal];
  }
  const body = JSON.stringify({ message: error.message });
  return { statusCode, headers, body: Buffer.from(body) };
}
