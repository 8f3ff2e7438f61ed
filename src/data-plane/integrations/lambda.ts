// Lambda integrations. AWS_PROXY invokes the function with the proxy event and answers its proxy
// response as it is (502 when the function fails or answers something else). AWS (custom) invokes
// it with the integration request's body and hands the result — or, when the function failed, its
// error object with the errorMessage that selection patterns match — to integration response mapping.
import { logger } from '../../logger.js';
import { functionArnOfUri } from '../lambda/function-arn.js';
import type { InvocationType, LambdaResult } from '../lambda/types.js';
import { firstValue, traceFailure, type HeaderMap, type IntegrationResult, type InvocationContext, type MethodResult } from '../pipeline/context.js';
import { GatewayError } from '../pipeline/errors.js';
import { DEFAULT_TIMEOUT_MS } from './http-settings.js';
import { proxyEvent } from './lambda-proxy-event.js';
import { MalformedProxyResponse, proxyResponse } from './lambda-proxy-response.js';

const configurationError = () => new GatewayError('API_CONFIGURATION_ERROR', 'Internal server error', 500);

/** What API Gateway answers when a proxy function fails or answers what is not a proxy response. */
const badGateway = () => new GatewayError('DEFAULT_5XX', 'Internal server error', 502, { errorType: 'InternalServerErrorException' });

/** Whether an AWS integration's URI names a Lambda function rather than another AWS service. */
export const isLambdaUri = (uri: string | undefined) => /^arn:[^:]+:apigateway:[^:]*:lambda:path\//.test(uri ?? '');

/** Lambda's Invoke API URL for a function, as API Gateway's execution log names the endpoint. */
export function lambdaInvokeUrl(functionArn: string): string {
  const region = /^arn:[^:]+:lambda:([^:]+):/.exec(functionArn)?.[1] ?? 'us-east-1';
  return `https://lambda.${region}.amazonaws.com/2015-03-31/functions/${functionArn}/invocations`;
}

/**
 * Settles with `promise`, or rejects once `ms` have passed, aborting `controller` (the Invoke API
 * client gives up its call; the built-in runner lets the function run on). One plain timer, cleared
 * when the call settles: cheaper than AbortSignal.timeout and an abort listener on every request.
 */
async function withinTimeout<T>(ms: number, controller: AbortController, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const reason = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
      controller.abort(reason);
      reject(reason);
    }, ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The Invoke API call's headers as API Gateway's execution log shows them (the signature aside). */
function tracedRequestHeaders(ctx: InvocationContext, invocationType: InvocationType): HeaderMap {
  const restApiId = ctx.stage!.config.restApiId;
  return {
    'x-amzn-lambda-integration-tag': [ctx.requestId],
    'x-amzn-apigateway-api-id': [restApiId],
    accept: ['application/json'],
    'user-agent': [`AmazonAPIGateway_${restApiId}`],
    'x-amz-invocation-type': [invocationType],
  };
}

async function invokeFunction(ctx: InvocationContext, payload: Buffer, invocationType: InvocationType, eventText?: string): Promise<LambdaResult> {
  const integration = ctx.integration!;
  const log = { requestId: ctx.requestId, uri: integration.uri };
  // Lambda's Invoke API takes POST only; API Gateway fails any other integration method.
  if ((integration.httpMethod ?? '').toUpperCase() !== 'POST') {
    logger.warn(log, `Lambda integrations can only use the POST integration method, not ${integration.httpMethod}`);
    throw new GatewayError('INTEGRATION_FAILURE', 'Internal server error', 500);
  }
  const functionArn = functionArnOfUri(ctx.integrationRequest!.uri, ctx.stage!.config.variables);
  const invoker = ctx.services.lambda;
  if (!functionArn || !invoker) {
    logger.warn(log, functionArn ? 'no Lambda invoker on this worker' : 'the integration URI names no Lambda function');
    throw configurationError();
  }
  // There is no STS to assume the integration's role: the keys configured for it sign the call, else the invoker's own do.
  const credentials = integration.credentials ? ctx.services.roleCredentials?.forRole(integration.credentials, ctx.stage!.config.variables) : undefined;
  const controller = new AbortController();
  const signal = controller.signal;
  const trace = ctx.trace;
  if (trace) trace.endpointRequest = { uri: lambdaInvokeUrl(functionArn), headers: tracedRequestHeaders(ctx, invocationType), body: payload, at: Date.now() };
  let result: LambdaResult;
  try {
    const invocation = invoker.invoke({ functionArn, payload, ...(eventText !== undefined ? { eventText } : {}), requestId: ctx.requestId, invocationType, signal, ...(credentials ? { credentials } : {}) });
    result = await withinTimeout(integration.timeoutInMillis ?? DEFAULT_TIMEOUT_MS, controller, invocation);
  } catch (err) {
    if (signal.aborted) throw new GatewayError('INTEGRATION_TIMEOUT', 'Endpoint request timed out', 504);
    logger.warn({ ...log, functionArn, err: (err as Error).message }, 'Lambda invocation failed');
    throw new GatewayError('INTEGRATION_FAILURE', 'Internal server error', 502);
  }
  if (trace) {
    const headers: HeaderMap = { 'content-type': ['application/json'], 'content-length': [String(result.payload.length)] };
    if (result.statusCode < 300) headers['x-amz-executed-version'] = ['$LATEST'];
    if (result.functionError) headers['x-amz-function-error'] = [result.functionError];
    trace.endpointResponse = { statusCode: result.statusCode, headers, body: result.payload, at: Date.now() };
  }
  if (result.statusCode < 200 || result.statusCode > 299) {
    if (result.statusCode === 403) traceFailure(ctx, 'Execution failed due to configuration error: Invalid permissions on Lambda function');
    else traceFailure(ctx, `Lambda invocation failed with status: ${result.statusCode}`, 'Execution failed due to configuration error: ');
    logger.warn({ ...log, functionArn, statusCode: result.statusCode, errorType: result.errorType, error: result.payload.toString('utf8').slice(0, 1000) }, `Lambda invocation failed with status: ${result.statusCode}`);
    throw result.statusCode === 403 ? configurationError() : new GatewayError('INTEGRATION_FAILURE', 'Internal server error', 502);
  }
  return result;
}

/** The errorMessage of a function's error object (what selection patterns match), else its whole text. */
function errorMessageOf(payload: Buffer): string {
  const text = payload.toString('utf8');
  try {
    const error = JSON.parse(text) as { errorMessage?: unknown };
    if (error && typeof error === 'object' && error.errorMessage !== undefined && error.errorMessage !== null) return String(error.errorMessage);
  } catch {
    // not JSON: the text itself is the message
  }
  return text;
}

export async function invokeLambdaProxy(ctx: InvocationContext): Promise<MethodResult> {
  const event = JSON.stringify(proxyEvent(ctx));
  const result = await invokeFunction(ctx, Buffer.from(event), 'RequestResponse', event);
  if (result.functionError) {
    const errorMessage = errorMessageOf(result.payload);
    logger.warn({ requestId: ctx.requestId, errorMessage }, 'Lambda execution failed with status 200 due to customer function error');
    traceFailure(ctx, `Lambda execution failed with status 200 due to customer function error: ${errorMessage}`);
    throw badGateway();
  }
  try {
    return proxyResponse(ctx, result.payload);
  } catch (err) {
    if (!(err instanceof MalformedProxyResponse)) throw err;
    logger.warn({ requestId: ctx.requestId, reason: err.message, output: result.payload.toString('utf8').slice(0, 1000) }, 'Execution failed due to configuration error: Malformed Lambda proxy response');
    traceFailure(ctx, 'Execution failed due to configuration error: Malformed Lambda proxy response');
    throw badGateway();
  }
}

export async function invokeLambda(ctx: InvocationContext): Promise<IntegrationResult> {
  const request = ctx.integrationRequest!;
  // `integration.request.header.X-Amz-Invocation-Type` mapped to 'Event' invokes asynchronously.
  const invocationType = (firstValue(request.headers, 'x-amz-invocation-type') ?? 'RequestResponse') as InvocationType;
  const result = await invokeFunction(ctx, request.body, invocationType);
  const headers = { 'content-type': ['application/json'] };
  if (invocationType !== 'RequestResponse') return { statusCode: 200, headers, body: Buffer.alloc(0) };
  if (result.functionError) return { statusCode: 200, headers, body: result.payload, errorMessage: errorMessageOf(result.payload) };
  return { statusCode: 200, headers, body: result.payload };
}
