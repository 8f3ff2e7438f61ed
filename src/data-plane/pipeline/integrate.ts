// Integration: calls what the method is integrated with, by integration type.
import { invokeAwsService } from '../integrations/aws-service.js';
import { invokeHttp, invokeHttpProxy } from '../integrations/http.js';
import { invokeLambda, invokeLambdaProxy, isLambdaUri } from '../integrations/lambda.js';
import { invokeMock } from '../integrations/mock.js';
import type { InvocationContext } from './context.js';
import { GatewayError } from './errors.js';

/** MOCK answers synchronously; the other integrations return a promise. */
export function integrate(ctx: InvocationContext): void | Promise<void> {
  const integration = ctx.integration;
  if (!integration?.type) throw new GatewayError('API_CONFIGURATION_ERROR', 'Internal server error', 500);
  const started = Date.now();
  if (integration.type === 'MOCK') {
    ctx.integrationResult = invokeMock(ctx.integrationRequest!.body);
    ctx.integrationLatencyMs = Date.now() - started;
    return;
  }
  return call(ctx, integration.type, integration.uri, started);
}

async function call(ctx: InvocationContext, type: string, uri: string | undefined, started: number): Promise<void> {
  switch (type) {
    case 'HTTP':
      ctx.integrationResult = await invokeHttp(ctx);
      break;
    // The backend's answer goes to the client as it is, without integration response mapping.
    case 'HTTP_PROXY':
      ctx.response = await invokeHttpProxy(ctx);
      break;
    case 'AWS_PROXY':
      if (!isLambdaUri(uri)) throw new GatewayError('API_CONFIGURATION_ERROR', 'Internal server error', 500);
      ctx.response = await invokeLambdaProxy(ctx);
      break;
    // A Lambda function, or another AWS service's path or action.
    case 'AWS':
      ctx.integrationResult = isLambdaUri(uri) ? await invokeLambda(ctx) : await invokeAwsService(ctx);
      break;
    default:
      throw new GatewayError('API_CONFIGURATION_ERROR', 'Internal server error', 500);
  }
  ctx.integrationLatencyMs = Date.now() - started;
}
