// MOCK: no backend; the status code comes from the request template's `statusCode`.
import type { IntegrationResult } from '../pipeline/context.js';
import { GatewayError } from '../pipeline/errors.js';

// API Gateway reads the template output leniently: `{statusCode: 200}` (unquoted, as the
// console's examples write it) is accepted like JSON.
const LENIENT_STATUS = /^\s*\{[\s\S]*?["']?statusCode["']?\s*:\s*["']?(\d+)["']?/;

/** Status codes of short template outputs seen lately: a MOCK's output is usually the same text every time. */
const parsed = new Map<string, unknown>();

function statusCodeOf(text: string): unknown {
  if (parsed.has(text)) return parsed.get(text);
  const code = parseStatusCode(text);
  if (text.length > 1024) return code;
  if (parsed.size >= 256) parsed.clear();
  parsed.set(text, code);
  return code;
}

function parseStatusCode(text: string): unknown {
  try {
    return (JSON.parse(text) as { statusCode?: unknown })?.statusCode;
  } catch {
    const lenient = LENIENT_STATUS.exec(text);
    if (!lenient) throw new GatewayError('API_CONFIGURATION_ERROR', 'Internal server error', 500);
    return lenient[1];
  }
}

export function invokeMock(body: Buffer): IntegrationResult {
  let statusCode = 200;
  const text = body.toString('utf8').trim();
  if (text) {
    const code = statusCodeOf(text);
    if (code !== undefined) {
      statusCode = Number(code);
      if (!Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599) {
        throw new GatewayError('API_CONFIGURATION_ERROR', 'Internal server error', 500);
      }
    }
  }
  return { statusCode, headers: {}, body: Buffer.alloc(0) };
}
