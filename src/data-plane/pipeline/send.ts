// Writes the method response (or gateway response) to the client with API Gateway's own headers,
// compressed as the API and the client's Accept-Encoding ask.
import type { ServerResponse } from 'node:http';
import { compressResponse } from '../payload/compress-response.js';
import type { InvocationContext, MethodResult } from './context.js';

type OutgoingHeaders = Record<string, string | string[]>;

/** Headers under the names the backend wrote them with (a Lambda proxy function's), the rest lower-cased. */
const named = (headers: OutgoingHeaders, names: Record<string, string>): OutgoingHeaders =>
  Object.fromEntries(Object.entries(headers).map(([lower, value]) => [names[lower] ?? lower, value]));

/** Synchronous (no promise) unless the response is compressed. */
export function send(ctx: InvocationContext, res: ServerResponse): void | Promise<void> {
  const response = compressResponse(ctx, ctx.response!);
  if (response instanceof Promise) return response.then((compressed) => write(ctx, res, compressed));
  write(ctx, res, response);
}

function write(ctx: InvocationContext, res: ServerResponse, response: MethodResult): void {
  const headers: OutgoingHeaders = {};
  for (const [name, values] of Object.entries(response.headers)) headers[name] = values.length === 1 ? values[0]! : values;
  headers['content-type'] ??= 'application/json';
  headers['x-amzn-requestid'] = ctx.requestId;
  headers['x-amz-apigw-id'] = ctx.extendedRequestId;
  headers['content-length'] = String(response.body.length);
  ctx.responseLength = response.body.length;
  res.writeHead(response.statusCode, response.headerNames ? named(headers, response.headerNames) : headers);
  res.end(ctx.httpMethod === 'HEAD' ? undefined : response.body);
}
