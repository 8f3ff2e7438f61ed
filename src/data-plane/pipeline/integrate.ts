// Integration: calls what the method is integrated with, by integration type.
import { invokeMock } from '../integrations/mock.js';
import type { InvocationContext } from './context.js';
import { GatewayError } from './errors.js';

export async function integrate(ctx: InvocationContext): Promise<void> {
  const integration = ctx.integration;
  if (!integration?.type) throw new GatewayError('API_CONFIGURATION_ERROR', 'Internal server error', 500);
  const started = Date.now();
  switch (integration.type) {
    case 'MOCK':
      ctx.integrationResult = invokeMock(ctx.integrationRequest!.body);
      break;
    default:
      throw new GatewayError('API_CONFIGURATION_ERROR', 'Internal server error', 500);
  }
  ctx.integrationLatencyMs = Date.now() - started;
}
