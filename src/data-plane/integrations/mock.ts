// MOCK: no backend; the status code comes from the request template's `statusCode`.
import type { IntegrationResult } from '../pipeline/context.js';
import { GatewayError } from '../pipeline/errors.js';

// API Gateway reads the template output leniently: `{statusCode: 200}` (unquoted, as the
// console's examples write it) is accepted like JSON.
const LENIENT_STATUS = /^\s*\{[\s\S]*?["']?statusCode["']?\s*:\s*["']?(\d+)["']?/;

function statusCodeOf(text: string): unknown {
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
