// Integration response: selects the integration response for the backend's answer and maps it
// to the method response. First version: status selection by selectionPattern, body passed through.
import type { InvocationContext } from './context.js';
import { GatewayError } from './errors.js';

export function integrationResponse(ctx: InvocationContext): void {
  if (ctx.response) return;
  const result = ctx.integrationResult!;
  const responses = Object.values(ctx.integration?.integrationResponses ?? {});
  const status = String(result.statusCode);
  const selected =
    responses.find((r) => r.selectionPattern && new RegExp(`^(?:${r.selectionPattern})$`, 's').test(status)) ??
    responses.find((r) => !r.selectionPattern);
  if (!selected) throw new GatewayError('API_CONFIGURATION_ERROR', 'Internal server error', 500);
  ctx.response = { statusCode: Number(selected.statusCode), headers: {}, body: result.body };
}
