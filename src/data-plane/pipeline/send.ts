// Writes the method response (or gateway response) to the client with API Gateway's own headers.
import type { ServerResponse } from 'node:http';
import type { InvocationContext } from './context.js';

export function send(ctx: InvocationContext, res: ServerResponse): void {
  const response = ctx.response!;
  const headers: Record<string, string | string[]> = {};
  for (const [name, values] of Object.entries(response.headers)) headers[name] = values.length === 1 ? values[0]! : values;
  headers['content-type'] ??= 'application/json';
  headers['x-amzn-requestid'] = ctx.requestId;
  headers['x-amz-apigw-id'] = ctx.extendedRequestId;
  headers['content-length'] = String(response.body.length);
  res.writeHead(response.statusCode, headers);
  res.end(ctx.httpMethod === 'HEAD' ? undefined : response.body);
}
