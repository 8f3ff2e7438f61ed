// $context: the documented request context variables, built per request for templates and for
// `context.*` parameter mappings.
import { firstValue, type InvocationContext } from '../pipeline/context.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

let lastSecond = { second: NaN, text: '' };

/** CLF time as API Gateway writes it: `dd/MMM/yyyy:HH:mm:ss +0000` (formatted once per second). */
export function requestTime(epochMs: number): string {
  const second = Math.floor(epochMs / 1000);
  if (second === lastSecond.second) return lastSecond.text;
  const d = new Date(epochMs);
  const text = `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
  lastSecond = { second, text };
  return text;
}

/** $context.error.* of a gateway response. */
export type ErrorVariables = { message: string | null; responseType: string; validationErrorString?: string };

export type ContextVariables = Record<string, unknown> & {
  requestOverride: { header: Record<string, unknown>; querystring: Record<string, unknown>; path: Record<string, unknown> };
  responseOverride: { header: Record<string, unknown>; status?: unknown };
};

/** $context.authorizer: a Lambda authorizer's principalId and context keys, a user pool token's claims. */
function authorizerVariables(ctx: InvocationContext): Record<string, unknown> {
  const authorizer = ctx.authorizer;
  if (!authorizer) return {};
  return {
    ...authorizer.context,
    ...(authorizer.principalId !== undefined ? { principalId: authorizer.principalId } : {}),
    ...(authorizer.claims ? { claims: authorizer.claims } : {}),
  };
}

export function contextVariables(ctx: InvocationContext, error?: ErrorVariables): ContextVariables {
  const snapshot = ctx.stage?.deployment.snapshot;
  const stage = ctx.stage?.config.stageName;
  return {
    accountId: snapshot?.accountId,
    apiId: snapshot?.restApiId,
    deploymentId: snapshot?.deploymentId,
    domainName: ctx.domainName,
    domainPrefix: ctx.domainName.split('.')[0],
    extendedRequestId: ctx.extendedRequestId,
    httpMethod: ctx.httpMethod,
    identity: {
      // An AWS_IAM caller (who signed the request); null for other methods.
      accessKey: ctx.iamCaller?.accessKeyId ?? null,
      accountId: ctx.iamCaller?.accountId ?? null,
      // The API key of a method that requires one.
      apiKey: ctx.apiKey?.value ?? null,
      apiKeyId: ctx.apiKey?.id ?? null,
      caller: ctx.iamCaller?.principalId ?? null,
      clientCert: ctx.clientCert ?? null,
      cognitoAuthenticationProvider: null,
      cognitoAuthenticationType: null,
      cognitoIdentityId: null,
      cognitoIdentityPoolId: null,
      principalOrgId: null,
      sourceIp: ctx.sourceIp,
      user: ctx.iamCaller?.principalId ?? null,
      userAgent: firstValue(ctx.headers, 'user-agent') ?? null,
      userArn: ctx.iamCaller?.arn ?? null,
      vpcId: null,
      vpceId: null,
    },
    authorizer: authorizerVariables(ctx),
    isCanaryRequest: ctx.stage?.isCanary ?? false,
    // The path as the client addressed it on the stage, the stage included (on a custom domain, the base path instead).
    path: ctx.basePath !== undefined ? `${ctx.basePath}${ctx.path}` : stage === undefined ? ctx.path : `/${stage}${ctx.path === '/' ? '/' : ctx.path}`,
    protocol: ctx.protocol,
    requestId: ctx.requestId,
    requestTime: requestTime(ctx.startedAt),
    requestTimeEpoch: ctx.startedAt,
    resourceId: ctx.resource?.id,
    resourcePath: ctx.resource?.path,
    stage,
    error: {
      message: error?.message ?? null,
      // JSON-quoted, so `{"message": $context.error.messageString}` is valid JSON.
      messageString: error ? JSON.stringify(error.message) : null,
      responseType: error?.responseType ?? null,
      validationErrorString: error?.validationErrorString ?? ctx.validationErrorString ?? null,
    },
    requestOverride: { header: {}, querystring: {}, path: {} },
    responseOverride: { header: {} },
  };
}
