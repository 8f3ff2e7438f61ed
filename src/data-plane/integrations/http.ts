// HTTP and HTTP_PROXY integrations. HTTP sends the mapped integration request and hands the
// backend's answer to integration response mapping; HTTP_PROXY passes the method request through
// and returns the backend's status, headers and body to the client as they are.
import { traceFailure, type IntegrationResult, type InvocationContext, type MethodResult } from '../pipeline/context.js';
import { GatewayError } from '../pipeline/errors.js';
import { callBackend, type BackendResponse } from './http-client.js';
import { backendRequestHeaders, proxyResponseHeaders } from './http-headers.js';
import { DEFAULT_TIMEOUT_MS } from './http-settings.js';
import { backendUrl } from './http-url.js';
import { traceId } from './trace-id.js';

async function call(ctx: InvocationContext, proxy: boolean): Promise<BackendResponse> {
  const request = ctx.integrationRequest!;
  const deployment = ctx.stage!.deployment;
  const settings = deployment.httpIntegrations.get(ctx.method!);
  if (settings?.mapsReservedHeader) throw new GatewayError('API_CONFIGURATION_ERROR', 'Internal server error', 500);
  // A proxy's URI may name the method request's path parameters ({proxy} of {proxy+}) unmapped.
  let url: URL;
  try {
    url = backendUrl(request.uri, request.query, ctx.stage!.config.variables, proxy ? ctx.pathParams : undefined);
  } catch (err) {
    traceFailure(ctx, 'Execution failed due to configuration error: Invalid endpoint address');
    throw err;
  }
  const method = request.httpMethod === 'ANY' ? ctx.httpMethod : request.httpMethod;
  const headers = backendRequestHeaders(request.headers, { restApiId: deployment.snapshot.restApiId, traceId: traceId() }, proxy);
  if (ctx.trace) ctx.trace.endpointRequest = { uri: url.href, headers, body: request.body, at: Date.now() };
  // The stage's client certificate, the integration's VPC link and TLS settings choose the connection pool.
  const integration = ctx.integration ?? ctx.method!.methodIntegration;
  const dispatcher = ctx.services.backends?.dispatcherFor(ctx.stage!, integration);
  const viaVpcLink = integration?.connectionType === 'VPC_LINK';
  const response = await callBackend({ requestId: ctx.requestId, url, method, headers, body: request.body, timeoutMs: settings?.timeoutMs ?? DEFAULT_TIMEOUT_MS, dispatcher, viaVpcLink });
  if (ctx.trace) ctx.trace.endpointResponse = { ...response, at: Date.now() };
  return response;
}

export async function invokeHttp(ctx: InvocationContext): Promise<IntegrationResult> {
  return call(ctx, false);
}

export async function invokeHttpProxy(ctx: InvocationContext): Promise<MethodResult> {
  const response = await call(ctx, true);
  return { statusCode: response.statusCode, headers: proxyResponseHeaders(response.headers), body: response.body };
}
