// An access log format (`accessLogSettings.format`) compiled once per stage: literal text and
// `$context` variables, each variable resolved by a getter. Values API Gateway does not have for
// a request are written as `-`, as in its access logs.
import { contextVariables, requestTime } from '../mapping/context-variables.js';
import { firstValue, type InvocationContext } from '../pipeline/context.js';

/** What only the finished request knows: the status sent and the time taken. */
export type AccessLogResult = { status: number; latencyMs: number };

type Getter = (ctx: InvocationContext, result: AccessLogResult, vars: () => Record<string, unknown>) => unknown;

export type AccessLogFormat = (ctx: InvocationContext, result: AccessLogResult) => string;

/**
 * Variables only access logs have (the response, the integration, errors), and frequent ones read
 * straight from the context; every other `$context` variable comes from the template builder.
 */
const getters: Record<string, Getter> = {
  requestId: (ctx) => ctx.requestId,
  extendedRequestId: (ctx) => ctx.extendedRequestId,
  httpMethod: (ctx) => ctx.httpMethod,
  protocol: (ctx) => ctx.protocol,
  resourcePath: (ctx) => ctx.resource?.path,
  resourceId: (ctx) => ctx.resource?.id,
  stage: (ctx) => ctx.stage?.config.stageName,
  apiId: (ctx) => ctx.stage?.deployment.snapshot.restApiId,
  requestTime: (ctx) => requestTime(ctx.startedAt),
  requestTimeEpoch: (ctx) => ctx.startedAt,
  'identity.sourceIp': (ctx) => ctx.sourceIp,
  'identity.userAgent': (ctx) => firstValue(ctx.headers, 'user-agent'),
  status: (_ctx, result) => result.status,
  responseLength: (ctx) => ctx.responseLength,
  responseLatency: (_ctx, result) => Math.round(result.latencyMs),
  integrationLatency: (ctx) => roundedIntegrationLatency(ctx),
  'integration.latency': (ctx) => roundedIntegrationLatency(ctx),
  integrationStatus: (ctx) => ctx.integrationResult?.statusCode,
  'integration.status': (ctx) => ctx.integrationResult?.statusCode,
  'integration.integrationStatus': (ctx) => ctx.integrationResult?.statusCode,
  'integration.error': (ctx) => ctx.integrationResult?.errorMessage,
  integrationErrorMessage: (ctx) => ctx.integrationResult?.errorMessage,
  'error.message': (ctx) => ctx.gatewayError?.message,
  'error.messageString': (ctx) => (ctx.gatewayError ? JSON.stringify(ctx.gatewayError.message) : undefined),
  'error.responseType': (ctx) => ctx.gatewayError?.responseType,
  'error.validationErrorString': (ctx) => ctx.validationErrorString,
};

function roundedIntegrationLatency(ctx: InvocationContext): number | undefined {
  return ctx.integrationLatencyMs === undefined ? undefined : Math.round(ctx.integrationLatencyMs);
}

function fromTemplateVariables(path: string[]): Getter {
  return (_ctx, _result, vars) => {
    let value: unknown = vars();
    for (const key of path) {
      if (value === null || typeof value !== 'object') return undefined;
      value = (value as Record<string, unknown>)[key];
    }
    return value;
  };
}

function written(value: unknown): string {
  if (value === undefined || value === null || value === '') return '-';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** `$context.a.b` (also `${context.a.b}`): names of letters, digits and `_`, joined by dots. */
const VARIABLE = /\$\{context\.(\w+(?:\.\w+)*)\}|\$context\.(\w+(?:\.\w+)*)/g;

export function compileAccessLogFormat(format: string): AccessLogFormat {
  const literals: string[] = [];
  const variables: Getter[] = [];
  let last = 0;
  for (const match of format.matchAll(VARIABLE)) {
    const name = (match[1] ?? match[2])!;
    literals.push(format.slice(last, match.index));
    variables.push(getters[name] ?? fromTemplateVariables(name.split('.')));
    last = match.index! + match[0].length;
  }
  literals.push(format.slice(last));
  return (ctx, result) => {
    let built: Record<string, unknown> | undefined;
    const vars = () => (built ??= contextVariables(ctx, ctx.gatewayError));
    let line = literals[0]!;
    for (let i = 0; i < variables.length; i++) line += written(variables[i]!(ctx, result, vars)) + literals[i + 1]!;
    return line;
  };
}
