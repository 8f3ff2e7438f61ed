// AWS service integrations: type AWS with `arn:aws:apigateway:{region}:{service}:path/{path}` or
// `...:action/{Action}`. The mapped integration request goes to PORTICO_AWS_ENDPOINT_{SERVICE}
// (`{endpoint}/{path}`, or `{endpoint}/?Action={Action}&...`), SigV4-signed for the service and region
// with the credentials the integration's role maps to, and the service's answer goes through
// integration response mapping, selected by its status code.
import aws4, { type Request as SignableRequest } from 'aws4';
import { config } from '../../config.js';
import { logger } from '../../logger.js';
import { traceFailure, type HeaderMap, type IntegrationResult, type InvocationContext, type QueryMap } from '../pipeline/context.js';
import { GatewayError } from '../pipeline/errors.js';
import { callBackend } from './http-client.js';
import { DEFAULT_TIMEOUT_MS } from './http-settings.js';
import { parseAwsServiceUri, type AwsServiceIntegration } from './aws-service-settings.js';

/** What API Gateway answers for an integration it cannot call as configured. */
const configurationError = () => new GatewayError('API_CONFIGURATION_ERROR', 'Internal server error', 500);

/** Never signed nor sent as mapped: hop-by-hop headers and those the connection owns. */
const UNSENDABLE = new Set(['connection', 'keep-alive', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'expect', 'host', 'content-length', 'authorization', 'x-amz-date']);

const STAGE_VARIABLE = /\$\{stageVariables\.([^{}]+)\}/g;

/** The environment variable that names a service's endpoint: PORTICO_AWS_ENDPOINT_S3, ..._DYNAMODB, ... */
export const endpointVariable = (service: string) => `PORTICO_AWS_ENDPOINT_${service.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;

type ServiceRequest = { url: URL; headers: Record<string, string> };

function withStageVariables(text: string, variables: Record<string, string>): string {
  return text.replace(STAGE_VARIABLE, (_, name: string) => variables[name] ?? '');
}

function queryString(pairs: [string, string][]): string {
  return pairs.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`).join('&');
}

const queryPairs = (query: QueryMap): [string, string][] => Object.entries(query).flatMap(([name, values]) => values.map((v): [string, string] => [name, v]));

/** `Action[&Name=value...]` of an action URI: the action and the parameters written after it. */
function actionPairs(target: string): [string, string][] {
  const [action = '', ...rest] = target.split('&');
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  const inline = rest.filter(Boolean).map((pair): [string, string] => {
    const i = pair.indexOf('=');
    return i < 0 ? [decode(pair), ''] : [decode(pair.slice(0, i)), decode(pair.slice(i + 1))];
  });
  return [['Action', decode(action)], ...inline];
}

/** The endpoint URL of the call: `{endpoint}/{path}?{query}` or `{endpoint}/?Action=...&{query}`. */
function serviceUrl(endpoint: string, call: AwsServiceIntegration, target: string, query: QueryMap): URL {
  const base = new URL(endpoint);
  if (call.subdomain) base.hostname = `${call.subdomain}.${base.hostname}`;
  const prefix = base.pathname.replace(/\/+$/, '');
  const pairs = call.kind === 'action' ? [...actionPairs(target), ...queryPairs(query)] : queryPairs(query);
  // `path//` (the root, as the S3 proxy's ListBuckets writes it) and `path/bucket` both address from the root.
  const path = call.kind === 'action' ? '/' : `/${target.replace(/^\/+/, '')}`;
  const search = queryString(pairs);
  return new URL(`${base.origin}${prefix}${path}${search ? `?${search}` : ''}`);
}

function sendableHeaders(headers: HeaderMap): Record<string, string> {
  const sent: Record<string, string> = {};
  for (const [name, values] of Object.entries(headers)) {
    if (!UNSENDABLE.has(name) && !name.startsWith('proxy-')) sent[name] = values.join(',');
  }
  return sent;
}

function endpointFor(ctx: InvocationContext, call: AwsServiceIntegration): string {
  const endpoint = ctx.services.awsEndpoints?.[call.service.replace(/[^a-z0-9]/g, '_')];
  if (endpoint) return endpoint;
  traceFailure(ctx, `Execution failed due to configuration error: No endpoint for AWS service ${call.service} (${endpointVariable(call.service)})`);
  logger.warn(
    { requestId: ctx.requestId, service: call.service },
    `Execution failed due to configuration error: no endpoint for AWS service ${call.service}; set ${endpointVariable(call.service)}`,
  );
  throw configurationError();
}

function signedRequest(ctx: InvocationContext, call: AwsServiceIntegration, method: string, body: Buffer): ServiceRequest {
  const request = ctx.integrationRequest!;
  const variables = ctx.stage!.config.variables;
  const target = withStageVariables(request.uri.slice(call.targetOffset), variables);
  let url: URL;
  try {
    url = serviceUrl(endpointFor(ctx, call), call, target, request.query);
  } catch (err) {
    if (err instanceof GatewayError) throw err;
    traceFailure(ctx, 'Execution failed due to configuration error: Invalid endpoint address');
    logger.warn({ requestId: ctx.requestId, service: call.service, reason: (err as Error).message }, `Execution failed due to configuration error: ${endpointVariable(call.service)} is not a URL`);
    throw configurationError();
  }
  const role = ctx.integration!.credentials;
  const credentials = ctx.services.roleCredentials?.forRole(role, variables);
  if (!credentials) {
    traceFailure(ctx, 'Execution failed due to configuration error: API Gateway does not have permission to assume the provided role');
    logger.warn({ requestId: ctx.requestId, role }, 'Execution failed due to configuration error: no credentials for the integration role (PORTICO_ROLE_CREDENTIALS, AWS_ACCESS_KEY_ID)');
    throw configurationError();
  }
  const headers = sendableHeaders(request.headers);
  if (call.targetPrefix && !headers['x-amz-target']) headers['x-amz-target'] = `${call.targetPrefix}.${actionPairs(target)[0]![1]}`;
  const signable: SignableRequest = {
    host: url.host,
    path: `${url.pathname}${url.search}`,
    method,
    service: call.service,
    region: withStageVariables(call.region, variables) || config.region,
    headers,
    ...(body.length ? { body } : {}),
  };
  aws4.sign(signable, credentials);
  // The connection sets Host and Content-Length itself, to the values signed.
  const signed = Object.fromEntries(Object.entries(signable.headers ?? {}).filter(([name]) => !['host', 'content-length'].includes(name.toLowerCase())));
  return { url, headers: Object.fromEntries(Object.entries(signed).map(([k, v]) => [k, String(v)])) };
}

export async function invokeAwsService(ctx: InvocationContext): Promise<IntegrationResult> {
  const integration = ctx.integration!;
  const request = ctx.integrationRequest!;
  const call = ctx.stage!.deployment.awsServiceIntegrations.get(ctx.method!) ?? parseAwsServiceUri(request.uri);
  if (!call) {
    traceFailure(ctx, 'Execution failed due to configuration error: Invalid integration URI');
    logger.warn({ requestId: ctx.requestId, uri: integration.uri }, 'Execution failed due to configuration error: the integration URI names no AWS service path or action');
    throw configurationError();
  }
  const method = (request.httpMethod === 'ANY' ? ctx.httpMethod : request.httpMethod).toUpperCase();
  // GET and HEAD carry no body; what is signed is what is sent.
  const body = method === 'GET' || method === 'HEAD' ? Buffer.alloc(0) : request.body;
  const { url, headers } = signedRequest(ctx, call, method, body);
  const sent: HeaderMap = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), [v]]));
  if (ctx.trace) ctx.trace.endpointRequest = { uri: url.href, headers: sent, body, at: Date.now() };
  const response = await callBackend({ requestId: ctx.requestId, url, method, headers: sent, body, timeoutMs: integration.timeoutInMillis ?? DEFAULT_TIMEOUT_MS });
  if (ctx.trace) ctx.trace.endpointResponse = { ...response, at: Date.now() };
  return { statusCode: response.statusCode, headers: response.headers, body: response.body };
}
