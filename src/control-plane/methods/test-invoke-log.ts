// TestInvokeMethod's answer: the method response as the test call reports it (headers named as API
// Gateway names them) and the execution log in API Gateway's words, written from what the pipeline's
// steps left in the invocation context and its trace.
import { randomBytes } from 'node:crypto';
import { ExecutionLog } from '../../data-plane/auth/test-invoke.js';
import type { HeaderMap, InvocationContext, MethodResult, QueryMap } from '../../data-plane/pipeline/context.js';
import { GatewayError } from '../../data-plane/pipeline/errors.js';
import type { TestInvokeMethodResponse } from '../protocol/shapes.js';

/** Header names API Gateway writes in its own spelling. */
const KNOWN_NAMES: Record<string, string> = {
  accept: 'Accept',
  authorization: 'Authorization',
  'content-encoding': 'Content-Encoding',
  'content-length': 'Content-Length',
  'content-type': 'Content-Type',
  'user-agent': 'User-Agent',
  'x-amz-date': 'X-Amz-Date',
  'x-amz-security-token': 'X-Amz-Security-Token',
  'x-amz-target': 'X-Amz-Target',
  'x-amz-executed-version': 'X-Amz-Executed-Version',
  'x-amz-function-error': 'X-Amz-Function-Error',
  'x-amz-invocation-type': 'X-Amz-Invocation-Type',
  'x-amzn-errortype': 'x-amzn-ErrorType',
  'x-amzn-trace-id': 'X-Amzn-Trace-Id',
};

/** API Gateway logs a map longer than this cut short. */
const MAX_LOGGED_MAP = 998;

/** The outcome of running a method: its response, and the error that ended it early, if any. */
export type TestOutcome = { response: MethodResult; error?: unknown };

/** A Java map's text, as API Gateway's logs print them: `{name=value, other=value}`. */
function javaMap(entries: [string, string][]): string {
  const text = `{${entries.map(([name, value]) => `${name}=${value}`).join(', ')}}`;
  return text.length > MAX_LOGGED_MAP ? `${text.slice(0, MAX_LOGGED_MAP)} [TRUNCATED]` : text;
}

const headerEntries = (headers: HeaderMap, names: Record<string, string>): [string, string][] =>
  Object.entries(headers).map(([lower, values]) => [names[lower] ?? KNOWN_NAMES[lower] ?? lower, values.join(',')]);

/** Credentials API Gateway's log never shows: all but their last six characters masked. */
const SECRET_HEADERS = new Set(['authorization', 'x-amz-security-token']);
const masked = (value: string) => `${'*'.repeat(Math.max(value.length - 6, 0))}${value.slice(-6)}`;

/** The endpoint request's headers as logged: signatures and session tokens masked. */
const endpointHeaders = (headers: HeaderMap): HeaderMap =>
  Object.fromEntries(Object.entries(headers).map(([lower, values]) => [lower, SECRET_HEADERS.has(lower) ? values.map(masked) : values]));

const lastValues = (map: QueryMap | Record<string, string>): [string, string][] =>
  Object.entries(map).map(([name, value]) => [name, Array.isArray(value) ? (value.at(-1) ?? '') : value]);

/** An X-Ray style trace id, as API Gateway returns with the responses of integrations other than MOCK. */
const traceId = () => `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${randomBytes(12).toString('hex')}`;

/**
 * The names the method's responses give their headers: response parameters as the method's
 * integration responses and the API's gateway responses spell them, and a Lambda proxy function's own.
 */
function responseHeaderNames(ctx: InvocationContext, response: MethodResult): Record<string, string> {
  const names: Record<string, string> = {};
  const add = (parameters: Record<string, string> | undefined) => {
    for (const target of Object.keys(parameters ?? {})) {
      const name = /^(?:method\.response|gatewayresponse)\.header\.(.+)$/.exec(target)?.[1];
      if (name) names[name.toLowerCase()] = name;
    }
  };
  for (const response of Object.values(ctx.integration?.integrationResponses ?? {})) add(response.responseParameters);
  for (const response of ctx.stage?.deployment.snapshot.gatewayResponses ?? []) add(response.responseParameters);
  return { ...names, ...response.headerNames };
}

/** Why execution failed, when no step said it in its own words. */
function failureOf(ctx: InvocationContext, error: unknown): string[] {
  if (ctx.trace?.failure) return ctx.trace.failure;
  if (!(error instanceof GatewayError)) return ['Execution failed due to an internal error'];
  switch (error.type) {
    case 'BAD_REQUEST_BODY':
      return [`Request body does not match model schema for content type ${ctx.headers['content-type']?.[0] ?? 'application/json'}: ${ctx.validationErrorString ?? ''}`];
    case 'BAD_REQUEST_PARAMETERS':
      return [ctx.validationErrorString ?? error.message];
    case 'INTEGRATION_TIMEOUT':
      return ['Execution failed due to a timeout error'];
    default:
      return (error.statusCode ?? 500) >= 500 ? ['Execution failed due to configuration error: '] : [`Execution failed: ${error.errorMessage ?? ''}`];
  }
}

function methodRequestLines(ctx: InvocationContext, log: ExecutionLog): void {
  log.add(`Starting execution for request: ${ctx.requestId}`, ctx.startedAt);
  // API Gateway names the path the test gave (else the resource's own) its "Resource Path".
  log.add(`HTTP Method: ${ctx.httpMethod}, Resource Path: ${ctx.path}`, ctx.startedAt);
  log.add(`Method request path: ${javaMap(lastValues(ctx.pathParams))}`, ctx.startedAt);
  log.add(`Method request query string: ${javaMap(lastValues(ctx.query))}`, ctx.startedAt);
  log.add(`Method request headers: ${javaMap(headerEntries(ctx.headers, ctx.rawHeaderNames))}`, ctx.startedAt);
  log.add(`Method request body before transformations: ${ctx.body.toString('utf8')}`, ctx.startedAt);
}

function endpointLines(ctx: InvocationContext, log: ExecutionLog): void {
  const { endpointRequest: request, endpointResponse: response } = ctx.trace ?? {};
  if (request) {
    log.add(`Endpoint request URI: ${request.uri}`, request.at);
    log.add(`Endpoint request headers: ${javaMap(headerEntries(endpointHeaders(request.headers), {}))}`, request.at);
    log.add(`Endpoint request body after transformations: ${request.body.toString('utf8')}`, request.at);
    log.add(`Sending request to ${request.uri}`, request.at);
  }
  if (request && response) {
    log.add(`Received response. Status: ${response.statusCode}, Integration latency: ${response.at - request.at} ms`, response.at);
    log.add(`Endpoint response headers: ${javaMap(headerEntries(response.headers, {}))}`, response.at);
    log.add(`Endpoint response body before transformations: ${response.body.toString('utf8')}`, response.at);
  }
}

/** The method response as TestInvokeMethod returns it, and its execution log. */
export function testInvokeResult(ctx: InvocationContext, outcome: TestOutcome): TestInvokeMethodResponse {
  const { response } = outcome;
  const failed = 'error' in outcome;
  const names = responseHeaderNames(ctx, response);
  // A gateway response comes back without its Content-Type; integrations other than MOCK add a trace id.
  const returned: HeaderMap = failed ? {} : ctx.integration?.type === 'MOCK' ? {} : { 'x-amzn-trace-id': [traceId()] };
  for (const [lower, values] of Object.entries(response.headers)) {
    if (!(failed && lower === 'content-type')) returned[lower] = values;
  }
  const entries = Object.entries(returned).map(([lower, values]) => [names[lower] ?? KNOWN_NAMES[lower] ?? lower, values] as const);
  const body = response.body.toString('utf8');

  const log = new ExecutionLog(ctx.requestId);
  methodRequestLines(ctx, log);
  endpointLines(ctx, log);
  if (failed) {
    for (const line of failureOf(ctx, outcome.error)) log.add(line);
  } else {
    log.add(`Method response body after transformations: ${body}`);
    log.add(`Method response headers: ${javaMap(entries.map(([name, values]) => [name, values.join(',')]))}`);
    log.add('Successfully completed execution');
  }
  log.add(`Method completed with status: ${response.statusCode}`);

  return {
    status: response.statusCode,
    body,
    headers: Object.fromEntries(entries.map(([name, values]) => [name, values.at(-1) ?? ''])),
    multiValueHeaders: Object.fromEntries(entries.map(([name, values]) => [name, [...values]])),
    log: log.toString(),
    latency: Date.now() - ctx.startedAt,
  };
}
