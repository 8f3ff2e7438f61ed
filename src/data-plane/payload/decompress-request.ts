// Request decompression: a body sent with Content-Encoding gzip or deflate is decompressed before
// any mapping; a coding API Gateway does not support, or a body not in that coding, is refused
// with 415 Unsupported Media Type.
import { firstValue, type InvocationContext } from '../pipeline/context.js';
import { GatewayError } from '../pipeline/errors.js';
import { decodeBody, DecodedTooLarge } from './content-encoding.js';
import { MAX_PAYLOAD_BYTES } from './limits.js';

/** A promise only when there is something to decompress. */
export function decompressRequest(ctx: InvocationContext): void | Promise<void> {
  const contentEncoding = firstValue(ctx.headers, 'content-encoding');
  if (contentEncoding === undefined || ctx.body.length === 0) return;
  return decompress(ctx, contentEncoding);
}

async function decompress(ctx: InvocationContext, contentEncoding: string): Promise<void> {
  try {
    ctx.body = await decodeBody(ctx.body, contentEncoding, MAX_PAYLOAD_BYTES);
  } catch (err) {
    if (err instanceof DecodedTooLarge) throw new GatewayError('REQUEST_TOO_LARGE', 'Request Too Long');
    throw new GatewayError('UNSUPPORTED_MEDIA_TYPE', 'Unsupported Media Type');
  }
}
