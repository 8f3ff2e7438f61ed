// Lambda authorizers (TOKEN and REQUEST): read the identity sources, invoke the function (unless the
// stage's cache holds its answer for these sources), and evaluate the returned policy against the
// method ARN of this request — cached or not, since one answer may serve many methods.
import type { Authorizer } from '../../control-plane/protocol/shapes.js';
import { logger } from '../../logger.js';
import type { AuthorizerIdentity, InvocationContext } from '../pipeline/context.js';
import type { CacheScope } from './authorizer-cache.js';
import { authorizerConfigurationError, unauthorized } from './denials.js';
import { compileIdentitySources, readIdentity, validationExpression, type IdentitySources } from './identity-sources.js';
import { requestEvent, tokenEvent } from './lambda-event.js';
import { methodArn } from './method-arn.js';
import { compilePolicy, evaluate, type CompiledPolicy, type PolicyDecision } from './policy.js';
import { policyRequest } from './resource-policy.js';
import type { AuthorizerServices } from './services.js';

/** API Gateway's default when an authorizer sets no authorizerResultTtlInSeconds. */
const DEFAULT_TTL_SECONDS = 300;

const LAMBDA_URI = /^arn:aws:apigateway:[^:]+:lambda:path\/2015-03-31\/functions\/(.+)\/invocations$/;

export type CompiledLambdaAuthorizer = {
  id: string;
  type: 'TOKEN' | 'REQUEST';
  authorizerUri: string;
  identity: IdentitySources;
  /** TOKEN only: the whole token must match, or the caller gets 401 without the function being called */
  validation?: RegExp;
  ttlSeconds: number;
  /** authorizerCredentials: the IAM role whose mapped credentials (PORTICO_ROLE_CREDENTIALS) sign the Invoke API call */
  role?: string;
};

/** What a function answered, as cached: evaluated again for every method it is asked about. */
export type LambdaAuthorizerResult = {
  principalId?: string;
  policy: CompiledPolicy;
  context: Record<string, string>;
  usageIdentifierKey?: string;
};

export type LambdaAuthorization = { decision: PolicyDecision; identity: AuthorizerIdentity };

export function compileLambdaAuthorizer(authorizer: Authorizer): CompiledLambdaAuthorizer {
  return {
    id: authorizer.id!,
    type: authorizer.type === 'TOKEN' ? 'TOKEN' : 'REQUEST',
    authorizerUri: authorizer.authorizerUri ?? '',
    identity: compileIdentitySources(authorizer.identitySource),
    validation: authorizer.type === 'TOKEN' ? validationExpression(authorizer.identityValidationExpression) : undefined,
    ttlSeconds: authorizer.authorizerResultTtlInSeconds ?? DEFAULT_TTL_SECONDS,
    ...(authorizer.authorizerCredentials ? { role: authorizer.authorizerCredentials } : {}),
  };
}

/** `${stageVariables.name}` in the authorizer URI, as in integration URIs. */
export function functionArnOf(uri: string, variables: Record<string, string>): string | undefined {
  const resolved = uri.replace(/\$\{stageVariables\.([A-Za-z0-9_]+)\}/g, (_, name: string) => variables[name] ?? '');
  return LAMBDA_URI.exec(resolved)?.[1];
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Reads a function's answer; anything API Gateway would not accept throws. Context values must be
 * strings, numbers or booleans, and reach templates and the backend as strings.
 */
export function parseAuthorizerOutput(payload: Buffer): LambdaAuthorizerResult {
  const output: unknown = JSON.parse(payload.toString('utf8'));
  if (!isObject(output) || !isObject(output.policyDocument)) throw new Error('the output has no policyDocument object');
  const { principalId, usageIdentifierKey, context = {} } = output;
  if (principalId !== undefined && principalId !== null && typeof principalId !== 'string' && typeof principalId !== 'number') {
    throw new Error('principalId must be a string');
  }
  if (usageIdentifierKey !== undefined && usageIdentifierKey !== null && typeof usageIdentifierKey !== 'string') {
    throw new Error('usageIdentifierKey must be a string');
  }
  if (context !== null && !isObject(context)) throw new Error('context must be an object');
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(context ?? {})) {
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw new Error(`context value ${key} must be a string, number or boolean`);
    }
    values[key] = String(value);
  }
  return {
    ...(principalId === undefined || principalId === null ? {} : { principalId: String(principalId) }),
    policy: compilePolicy(output.policyDocument),
    context: values,
    ...(typeof usageIdentifierKey === 'string' ? { usageIdentifierKey } : {}),
  };
}

/** The identity source values; 401 when one is missing or a TOKEN fails the validation expression. */
export function readAuthorizerIdentity(ctx: InvocationContext, authorizer: CompiledLambdaAuthorizer): string[] {
  const identity = readIdentity(ctx, authorizer.identity);
  if (!identity || (authorizer.type === 'TOKEN' && identity.length !== 1)) throw unauthorized();
  if (authorizer.validation && !authorizer.validation.test(identity[0]!)) throw unauthorized();
  return identity;
}

export function authorizerEvent(ctx: InvocationContext, authorizer: CompiledLambdaAuthorizer, identity: string[], arn: string) {
  return authorizer.type === 'TOKEN' ? tokenEvent(identity[0]!, arn) : requestEvent(ctx, arn);
}

/** Calls the function: its answer as read, and as it came (the cache's memory bound counts its size). */
export async function invokeAuthorizer(ctx: InvocationContext, authorizer: CompiledLambdaAuthorizer, event: unknown): Promise<{ result: LambdaAuthorizerResult; payload: Buffer }> {
  const functionArn = functionArnOf(authorizer.authorizerUri, ctx.stage!.config.variables);
  const lambda = ctx.services.lambda;
  const log = { requestId: ctx.requestId, authorizerId: authorizer.id };
  if (!functionArn || !lambda) {
    logger.warn({ ...log, authorizerUri: authorizer.authorizerUri }, lambda ? 'authorizer URI names no Lambda function' : 'no Lambda invoker for the authorizer');
    throw authorizerConfigurationError();
  }
  // There is no STS to assume the role: the credentials configured for it sign the call, else the invoker's own do.
  const credentials = authorizer.role ? ctx.services.roleCredentials?.forRole(authorizer.role, ctx.stage!.config.variables) : undefined;
  let result;
  try {
    result = await lambda.invoke({ functionArn, payload: Buffer.from(JSON.stringify(event)), requestId: ctx.requestId, ...(credentials ? { credentials } : {}) });
  } catch (err) {
    logger.warn({ ...log, functionArn, err: (err as Error).message }, 'authorizer invocation failed');
    throw authorizerConfigurationError();
  }
  if (result.functionError) {
    let errorMessage: unknown;
    try {
      errorMessage = (JSON.parse(result.payload.toString('utf8')) as { errorMessage?: unknown }).errorMessage;
    } catch {
      errorMessage = undefined;
    }
    // The documented way for an authorizer to refuse a caller: fail with the message "Unauthorized".
    if (errorMessage === 'Unauthorized') throw unauthorized();
    logger.warn({ ...log, functionArn, functionError: result.functionError, errorMessage }, 'authorizer function failed');
    throw authorizerConfigurationError();
  }
  if (result.statusCode < 200 || result.statusCode > 299) {
    logger.warn({ ...log, functionArn, statusCode: result.statusCode }, 'authorizer invocation refused');
    throw authorizerConfigurationError();
  }
  try {
    return { result: parseAuthorizerOutput(result.payload), payload: result.payload };
  } catch (err) {
    logger.warn({ ...log, functionArn, err: (err as Error).message }, 'authorizer returned an invalid response');
    throw authorizerConfigurationError();
  }
}

/** Runs a Lambda authorizer for the routed request; a caller refused before any policy throws 401. */
export async function lambdaAuthorize(
  ctx: InvocationContext,
  authorizer: CompiledLambdaAuthorizer,
  services: AuthorizerServices,
  epoch: number,
): Promise<LambdaAuthorization> {
  const identity = readAuthorizerIdentity(ctx, authorizer);
  const arn = methodArn(ctx, services.region);
  const scope: CacheScope = {
    restApiId: ctx.stage!.config.restApiId,
    stageName: ctx.stage!.config.stageName,
    deploymentId: ctx.stage!.config.deploymentId,
    authorizerId: authorizer.id,
    epoch,
  };
  // A REQUEST authorizer without identity sources has nothing to key a cached answer by.
  const cacheable = authorizer.ttlSeconds > 0 && identity.length > 0;
  let result = cacheable ? services.lambdaResults.get(scope, identity) : undefined;
  let integrationLatency = 0;
  if (!result) {
    const started = Date.now();
    const invoked = await invokeAuthorizer(ctx, authorizer, authorizerEvent(ctx, authorizer, identity, arn));
    result = invoked.result;
    integrationLatency = Date.now() - started;
    // Doubled: the compiled policy takes about as much again as its JSON.
    if (cacheable) services.lambdaResults.set(scope, identity, result, authorizer.ttlSeconds, 2 * invoked.payload.length);
  }
  // The request as resource policies see it: the same method ARN and condition keys.
  const decision = evaluate(result.policy, policyRequest(ctx));
  return {
    decision,
    identity: {
      ...(result.principalId !== undefined ? { principalId: result.principalId } : {}),
      context: result.context,
      ...(result.usageIdentifierKey !== undefined ? { usageIdentifierKey: result.usageIdentifierKey } : {}),
      integrationLatency,
    },
  };
}

