// API Gateway's payload limit. An oversized request is refused at the front door, before the API
// is even looked up: plain text, and no gateway response customization applies.
import type { MethodResult } from '../pipeline/context.js';

export const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

export function payloadTooLarge(): MethodResult {
  return {
    statusCode: 413,
    headers: { 'content-type': ['text; charset=utf-8'] },
    body: Buffer.from(`HTTP content length exceeded ${MAX_PAYLOAD_BYTES} bytes.`),
  };
}
