// Execution logs, per method as the stage's methodSettings ask: `INFO` logs every request, `ERROR`
// only those answered with a 4XX or 5XX; `dataTraceEnabled` adds the request and response data
// (bodies truncated, credentials never). Entries go to the worker's log with the request id.
import { logger } from '../../logger.js';
import type { HeaderMap, InvocationContext } from '../pipeline/context.js';
import type { ObservedSettings } from './method-settings.js';

/** Bodies in data traces are cut here, as API Gateway truncates them. */
export const DATA_TRACE_BODY_LIMIT = 1024;

/** Headers whose values never reach a log. */
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'x-api-key', 'x-amz-security-token', 'cookie', 'set-cookie']);

/** Execution logs are the stage's setting, not the operator's log level: they are written whatever PORTICO_LOG_LEVEL says. */
const executionLogger = logger.child({ log: 'execution' }, { level: 'info' });

function traceHeaders(headers: HeaderMap | undefined): Record<string, string> | undefined {
  if (!headers) return undefined;
  const shown: Record<string, string> = {};
  for (const [name, values] of Object.entries(headers)) shown[name] = SECRET_HEADERS.has(name.toLowerCase()) ? '[redacted]' : values.join(',');
  return shown;
}

function traceBody(body: Buffer | undefined): string | undefined {
  if (!body || body.length === 0) return undefined;
  if (body.length <= DATA_TRACE_BODY_LIMIT) return body.toString('utf8');
  return `${body.subarray(0, DATA_TRACE_BODY_LIMIT).toString('utf8')} [TRUNCATED]`;
}

function dataTrace(ctx: InvocationContext) {
  return {
    methodRequest: { path: ctx.pathParams, query: ctx.query, headers: traceHeaders(ctx.headers), body: traceBody(ctx.body) },
    ...(ctx.integrationRequest
      ? { endpointRequest: { uri: ctx.integrationRequest.uri, httpMethod: ctx.integrationRequest.httpMethod, headers: traceHeaders(ctx.integrationRequest.headers), body: traceBody(ctx.integrationRequest.body) } }
      : {}),
    ...(ctx.integrationResult
      ? { endpointResponse: { status: ctx.integrationResult.statusCode, headers: traceHeaders(ctx.integrationResult.headers), body: traceBody(ctx.integrationResult.body) } }
      : {}),
    methodResponse: { headers: traceHeaders(ctx.response?.headers), body: traceBody(ctx.response?.body) },
  };
}

export function logExecution(ctx: InvocationContext, settings: ObservedSettings, status: number, latencyMs: number): void {
  const failed = status >= 400;
  if (settings.loggingLevel === 'OFF' || (settings.loggingLevel === 'ERROR' && !failed)) return;
  const entry = {
    requestId: ctx.requestId,
    extendedRequestId: ctx.extendedRequestId,
    restApiId: ctx.stage?.deployment.snapshot.restApiId,
    stage: ctx.stage?.config.stageName,
    resourcePath: ctx.resource?.path,
    httpMethod: ctx.httpMethod,
    status,
    latencyMs: Math.round(latencyMs * 1000) / 1000,
    ...(ctx.integrationLatencyMs !== undefined ? { integrationLatencyMs: ctx.integrationLatencyMs } : {}),
    ...(ctx.gatewayError ? { error: ctx.gatewayError } : {}),
    ...(ctx.integrationResult?.errorMessage !== undefined ? { integrationError: ctx.integrationResult.errorMessage } : {}),
    ...(settings.dataTraceEnabled ? dataTrace(ctx) : {}),
  };
  if (failed) executionLogger.error(entry, `Method completed with status: ${status}`);
  else executionLogger.info(entry, `Method completed with status: ${status}`);
}
