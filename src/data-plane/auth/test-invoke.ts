// TestInvokeAuthorizer: runs an authorizer as the management API's test call does — on the API's
// current (undeployed) definition, with the headers, query string and stage variables the caller
// gives, never from the cache — and reports its answer with an execution log in API Gateway's
// words. The request is the one API Gateway's console sends: `GET /` on `test-invoke-stage`, with
// the method ARN `.../ESTestInvoke-stage/GET/`.
import { randomUUID } from 'node:crypto';
import type { Authorizer, TestInvokeAuthorizerResponse } from '../../control-plane/protocol/shapes.js';
import type { DeploymentSnapshot, SnapshotResource } from '../../shared/worker-config.js';
import { compileDeployment } from '../compile/index.js';
import type { RoleCredentials } from '../integrations/role-credentials.js';
import type { LambdaInvoker } from '../lambda/types.js';
import type { HeaderMap, InvocationContext, QueryMap } from '../pipeline/context.js';
import { GatewayError } from '../pipeline/errors.js';
import { cognitoAuthorize, javaDate } from './cognito-authorizer.js';
import type { CompiledAuthorizer } from './compile.js';
import { authorizerEvent, functionArnOf, invokeAuthorizer, readAuthorizerIdentity } from './lambda-authorizer.js';
import type { AuthorizerServices } from './services.js';

/** What test invocations run with, held by the control plane. */
export type TestInvokeServices = {
  lambda?: LambdaInvoker;
  authorizers: AuthorizerServices;
  /** what authorizerCredentials and integration credentials roles sign with (PORTICO_ROLE_CREDENTIALS) */
  roleCredentials?: RoleCredentials;
  /** AWS service integrations' endpoints (PORTICO_AWS_ENDPOINT_{SERVICE}) */
  awsEndpoints?: Record<string, string>;
};

export type TestInvokeAuthorizerCall = {
  accountId: string;
  restApiId: string;
  authorizer: Authorizer;
  headers?: Record<string, string>;
  multiValueHeaders?: Record<string, string[]>;
  pathWithQueryString?: string;
  body?: string;
  stageVariables?: Record<string, string>;
};

const TEST_STAGE = 'test-invoke-stage';
const ARN_STAGE = 'ESTestInvoke-stage';
const TEST_RESOURCE: SnapshotResource = { id: 'test-invoke-resource-id', path: '/', methods: {} };

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function queryOf(rawQuery: string): QueryMap {
  const query: QueryMap = {};
  for (const pair of rawQuery.split('&').filter(Boolean)) {
    const i = pair.indexOf('=');
    (query[decode(i < 0 ? pair : pair.slice(0, i))] ??= []).push(decode(i < 0 ? '' : pair.slice(i + 1)));
  }
  return query;
}

/** A test call's headers (the multi-valued ones first) as the pipeline reads them; TestInvokeMethod's too. */
export function headersOf(call: Pick<TestInvokeAuthorizerCall, 'headers' | 'multiValueHeaders'>): { headers: HeaderMap; rawHeaderNames: Record<string, string> } {
  const headers: HeaderMap = {};
  const rawHeaderNames: Record<string, string> = {};
  const add = (name: string, values: string[]) => {
    const lower = name.toLowerCase();
    headers[lower] = [...(headers[lower] ?? []), ...values];
    rawHeaderNames[lower] ??= name;
  };
  for (const [name, values] of Object.entries(call.multiValueHeaders ?? {})) add(name, values);
  for (const [name, value] of Object.entries(call.headers ?? {})) if (!call.multiValueHeaders?.[name]) add(name, [value]);
  return { headers, rawHeaderNames };
}

function testContext(call: TestInvokeAuthorizerCall, services: TestInvokeServices): { ctx: InvocationContext; authorizer: CompiledAuthorizer } {
  const target = call.pathWithQueryString || '/';
  const q = target.indexOf('?');
  const path = q < 0 ? target : target.slice(0, q);
  const snapshot: DeploymentSnapshot = {
    restApiId: call.restApiId,
    deploymentId: 'test-invoke-deployment-id',
    accountId: call.accountId,
    api: { name: 'test-invoke' },
    resources: [TEST_RESOURCE],
    models: [],
    requestValidators: [],
    authorizers: [call.authorizer],
    gatewayResponses: [],
  };
  const deployment = compileDeployment(snapshot);
  const body = Buffer.from(call.body ?? '');
  const ctx: InvocationContext = {
    requestId: randomUUID(),
    extendedRequestId: randomUUID().replace(/-/g, '').slice(0, 16),
    startedAt: Date.now(),
    httpMethod: 'GET',
    protocol: 'HTTP/1.1',
    sourceIp: 'test-invoke-source-ip',
    domainName: 'testPrefix.testDomainName',
    path: path.startsWith('/') ? path : `/${path}`,
    segments: path.split('/').filter(Boolean),
    query: queryOf(q < 0 ? '' : target.slice(q + 1)),
    ...headersOf(call),
    body,
    received: { path, query: q < 0 ? '' : target.slice(q + 1), body },
    pathParams: {},
    services: { executeApiDomain: '', ...services },
    stage: {
      config: {
        restApiId: call.restApiId,
        stageName: TEST_STAGE,
        deploymentId: snapshot.deploymentId,
        variables: call.stageVariables ?? {},
        methodSettings: {},
        tracingEnabled: false,
        cacheClusterEnabled: false,
      },
      deployment,
    },
    resource: TEST_RESOURCE,
  };
  return { ctx, authorizer: deployment.authorizers.get(call.authorizer.id!)! };
}

/** An execution log as API Gateway writes it: a header line, then `{time} : {message}` lines. */
export class ExecutionLog {
  private readonly lines: string[];
  constructor(requestId: string) {
    this.lines = [`Execution log for request ${requestId}`];
  }
  add(message: string, at = Date.now()): void {
    this.lines.push(`${javaDate(Math.floor(at / 1000))} : ${message}`);
  }
  toString(): string {
    return `${this.lines.join('\n')}\n`;
  }
}

/** API Gateway logs identity values with all but their last six characters masked. */
const masked = (value: string) => `${'*'.repeat(Math.max(value.length - 6, 0))}${value.slice(-6)}`;

function logIdentity(log: ExecutionLog, ctx: InvocationContext, expressions: string[]): void {
  const values = expressions.map((expression) => {
    const m = /^method\.request\.(header|querystring)\.(.+)$/.exec(expression);
    const value = m ? (m[1] === 'header' ? ctx.headers[m[2]!.toLowerCase()] : ctx.query[m[2]!])?.at(-1) : undefined;
    return `${expression}=${value === undefined ? '' : masked(value)}`;
  });
  log.add(`Incoming identity: {${values.join(', ')}}`);
}

function failure(log: ExecutionLog, ctx: InvocationContext, err: unknown): number {
  if (!(err instanceof GatewayError)) throw err;
  if (err.type === 'UNAUTHORIZED') {
    log.add(`Unauthorized request: ${ctx.requestId}`);
    log.add('Unauthorized');
    return 401;
  }
  log.add('Execution failed due to configuration error: Authorizer error');
  log.add('AuthorizerConfigurationException');
  return err.statusCode ?? 500;
}

async function testLambdaAuthorizer(ctx: InvocationContext, authorizer: Extract<CompiledAuthorizer, { lambda: unknown }>, log: ExecutionLog, region: string) {
  const compiled = authorizer.lambda;
  logIdentity(log, ctx, compiled.identity.expressions);
  try {
    const identity = readAuthorizerIdentity(ctx, compiled);
    const snapshot = ctx.stage!.deployment.snapshot;
    const arn = `arn:aws:execute-api:${region}:${snapshot.accountId}:${snapshot.restApiId}/${ARN_STAGE}/GET/`;
    const event = authorizerEvent(ctx, compiled, identity, arn);
    const functionArn = functionArnOf(compiled.authorizerUri, ctx.stage!.config.variables) ?? compiled.authorizerUri;
    const endpoint = `https://lambda.${region}.amazonaws.com/2015-03-31/functions/${functionArn}/invocations`;
    log.add(`Endpoint request URI: ${endpoint}`);
    log.add(`Endpoint request body after transformations: ${JSON.stringify(event)}`);
    log.add(`Sending request to ${endpoint}`);
    const { result, payload } = await invokeAuthorizer(ctx, compiled, event);
    log.add(`Authorizer result body before parsing: ${payload.toString('utf8')}`);
    log.add(`Using valid authorizer policy for principal: ${masked(result.principalId ?? '')}`);
    log.add('Successfully completed authorizer execution');
    const policyDocument = (JSON.parse(payload.toString('utf8')) as { policyDocument: unknown }).policyDocument;
    return {
      clientStatus: 200,
      ...(result.principalId !== undefined ? { principalId: result.principalId } : {}),
      policy: JSON.stringify(policyDocument),
    };
  } catch (err) {
    return { clientStatus: failure(log, ctx, err) };
  }
}

async function testCognitoAuthorizer(ctx: InvocationContext, authorizer: Extract<CompiledAuthorizer, { cognito: unknown }>, log: ExecutionLog, services: AuthorizerServices) {
  logIdentity(log, ctx, authorizer.cognito.identity.expressions);
  try {
    // The console's test checks id tokens: no method, hence no scopes.
    const { claims } = await cognitoAuthorize(ctx, authorizer.cognito, services, []);
    log.add('Successfully completed authorizer execution');
    return { clientStatus: 200, claims: claims as Record<string, string> };
  } catch (err) {
    return { clientStatus: failure(log, ctx, err) };
  }
}

export async function testInvokeAuthorizer(call: TestInvokeAuthorizerCall, services: TestInvokeServices): Promise<TestInvokeAuthorizerResponse> {
  const { ctx, authorizer } = testContext(call, services);
  const log = new ExecutionLog(ctx.requestId);
  log.add(`Starting authorizer: ${call.authorizer.id} for request: ${ctx.requestId}`);
  const outcome =
    'cognito' in authorizer
      ? await testCognitoAuthorizer(ctx, authorizer, log, services.authorizers)
      : await testLambdaAuthorizer(ctx, authorizer, log, services.authorizers.region);
  return { ...outcome, log: log.toString(), latency: Date.now() - ctx.startedAt };
}
