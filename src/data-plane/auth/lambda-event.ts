// The events a Lambda authorizer receives: TOKEN `{type, authorizationToken, methodArn}`, and REQUEST
// with the request's headers, query string, path parameters, stage variables and request context.
import { contextVariables } from '../mapping/context-variables.js';
import type { HeaderMap, InvocationContext, QueryMap } from '../pipeline/context.js';

export function tokenEvent(token: string, methodArn: string) {
  return { type: 'TOKEN', authorizationToken: token, methodArn };
}

/** Single-value maps keep the last value of a repeated name, multi-value maps keep them all. */
function headerMaps(ctx: InvocationContext): { single: Record<string, string>; multi: Record<string, string[]> } {
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const [lower, values] of Object.entries(ctx.headers as HeaderMap)) {
    const name = ctx.rawHeaderNames[lower] ?? lower;
    single[name] = values[values.length - 1]!;
    multi[name] = [...values];
  }
  return { single, multi };
}

function queryMaps(query: QueryMap): { single: Record<string, string>; multi: Record<string, string[]> } {
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(query)) {
    single[name] = values[values.length - 1]!;
    multi[name] = [...values];
  }
  return { single, multi };
}

function requestContext(ctx: InvocationContext) {
  const c = contextVariables(ctx);
  return {
    resourceId: c.resourceId,
    resourcePath: c.resourcePath,
    httpMethod: c.httpMethod,
    extendedRequestId: c.extendedRequestId,
    requestTime: c.requestTime,
    path: c.path,
    accountId: c.accountId,
    protocol: c.protocol,
    stage: c.stage,
    domainPrefix: c.domainPrefix,
    requestTimeEpoch: c.requestTimeEpoch,
    requestId: c.requestId,
    identity: c.identity,
    domainName: c.domainName,
    deploymentId: c.deploymentId,
    apiId: c.apiId,
  };
}

export function requestEvent(ctx: InvocationContext, methodArn: string) {
  const headers = headerMaps(ctx);
  const query = queryMaps(ctx.query);
  return {
    type: 'REQUEST',
    methodArn,
    resource: ctx.resource!.path,
    path: ctx.path,
    httpMethod: ctx.httpMethod,
    headers: headers.single,
    multiValueHeaders: headers.multi,
    queryStringParameters: query.single,
    multiValueQueryStringParameters: query.multi,
    pathParameters: { ...ctx.pathParams },
    stageVariables: { ...ctx.stage!.config.variables },
    requestContext: requestContext(ctx),
  };
}
