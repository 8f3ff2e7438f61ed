// MOCK: no backend; the status code comes from the request template's `statusCode`.
import type { IntegrationResult } from '../pipeline/context.js';
import { GatewayError } from '../pipeline/errors.js';

export function invokeMock(body: Buffer): IntegrationResult {
  let statusCode = 200;
  const text = body.toString('utf8').trim();
  if (text) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new GatewayError('API_CONFIGURATION_ERROR', 'Internal server error', 500);
    }
    const code = (parsed as { statusCode?: unknown })?.statusCode;
    if (code !== undefined) {
      statusCode = Number(code);
      if (!Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599) {
        throw new GatewayError('API_CONFIGURATION_ERROR', 'Internal server error', 500);
      }
    }
  }
  return { statusCode, headers: {}, body: Buffer.alloc(0) };
}
