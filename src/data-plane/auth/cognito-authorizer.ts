// COGNITO_USER_POOLS authorizers: the token in the identity source header must be an RS256 JWT from
// one of the authorizer's user pools, signed with a key of the pool's JWKS, unexpired, and of the
// right use — an id token for a method without authorization scopes, an access token granting one
// of the method's scopes otherwise. Anything else is 401 Unauthorized. The claims become
// $context.authorizer.claims.
import jwt from 'jsonwebtoken';
import type { Authorizer } from '../../control-plane/protocol/shapes.js';
import { logger } from '../../logger.js';
import type { AuthorizerIdentity, InvocationContext } from '../pipeline/context.js';
import { authorizerConfigurationError, unauthorized } from './denials.js';
import { compileIdentitySources, readIdentity, validationExpression, type IdentitySources } from './identity-sources.js';
import { JwksUnavailable } from './jwks.js';
import type { AuthorizerServices } from './services.js';
import { userPool, type UserPool } from './user-pools.js';

export type CompiledCognitoAuthorizer = {
  id: string;
  providerARNs: string[];
  identity: IdentitySources;
  /** matched against the token's client id (`aud`), as API Gateway does for user pool authorizers */
  audience?: RegExp;
};

export function compileCognitoAuthorizer(authorizer: Authorizer): CompiledCognitoAuthorizer {
  return {
    id: authorizer.id!,
    providerARNs: authorizer.providerARNs ?? [],
    identity: compileIdentitySources(authorizer.identitySource ?? 'method.request.header.Authorization'),
    audience: validationExpression(authorizer.identityValidationExpression),
  };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const pad = (n: number) => String(n).padStart(2, '0');

/** A time as Java's Date.toString() writes it in UTC, which is how API Gateway passes `exp` and `iat` on. */
export function javaDate(epochSeconds: number): string {
  const d = new Date(epochSeconds * 1000);
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

/** Claims as API Gateway passes them on: every value a string. */
export function claimsOf(payload: jwt.JwtPayload): Record<string, string> {
  const claims: Record<string, string> = {};
  for (const [name, value] of Object.entries(payload)) {
    if (value === undefined || value === null) continue;
    if ((name === 'exp' || name === 'iat') && typeof value === 'number') claims[name] = javaDate(value);
    else if (Array.isArray(value)) claims[name] = value.map(String).join(',');
    else if (typeof value === 'object') claims[name] = JSON.stringify(value);
    else claims[name] = String(value);
  }
  return claims;
}

type Rejection = { reason: string };

/** Which pool issued the token, among the authorizer's. */
function poolOf(authorizer: CompiledCognitoAuthorizer, issuer: unknown, services: AuthorizerServices): UserPool | undefined {
  if (typeof issuer !== 'string') return undefined;
  for (const arn of authorizer.providerARNs) {
    const pool = userPool(arn, services.userPools);
    if (pool?.issuer === issuer) return pool;
  }
  return undefined;
}

/** The checks after the signature: token use, scopes, app client. */
function checkClaims(payload: jwt.JwtPayload, pool: UserPool, authorizer: CompiledCognitoAuthorizer, scopes: string[]): Rejection | undefined {
  const tokenUse = payload.token_use;
  if (scopes.length) {
    if (tokenUse !== 'access') return { reason: 'the method has authorization scopes: an access token is required' };
    const granted = typeof payload.scope === 'string' ? payload.scope.split(' ') : [];
    if (!scopes.some((s) => granted.includes(s))) return { reason: 'the token grants none of the method scopes' };
  } else if (tokenUse !== 'id') {
    return { reason: 'the method has no authorization scopes: an id token is required' };
  }
  const clientId = tokenUse === 'id' ? payload.aud : payload.client_id;
  if (typeof clientId !== 'string') return { reason: 'the token names no client' };
  if (pool.clientIds && !pool.clientIds.includes(clientId)) return { reason: 'the token is for another app client' };
  if (authorizer.audience && !authorizer.audience.test(clientId)) return { reason: 'the client id does not match the identity validation expression' };
  return undefined;
}

export async function cognitoAuthorize(
  ctx: InvocationContext,
  authorizer: CompiledCognitoAuthorizer,
  services: AuthorizerServices,
  scopes: string[],
): Promise<AuthorizerIdentity> {
  const log = { requestId: ctx.requestId, authorizerId: authorizer.id };
  const reject = (reason: string) => {
    logger.info({ ...log, reason }, 'user pool token rejected');
    return unauthorized();
  };
  const value = readIdentity(ctx, authorizer.identity)?.[0];
  if (!value) throw unauthorized();
  const token = value.replace(/^Bearer\s+/i, '');
  const decoded = jwt.decode(token, { complete: true });
  if (!decoded || typeof decoded.payload === 'string') throw reject('not a JWT');
  if (decoded.header.alg !== 'RS256' || !decoded.header.kid) throw reject('not signed with RS256 and a key id');
  const pool = poolOf(authorizer, decoded.payload.iss, services);
  if (!pool) throw reject('issued by none of the authorizer user pools');

  let key;
  try {
    key = await services.jwks.key(pool.jwksUri, decoded.header.kid);
  } catch (err) {
    if (!(err instanceof JwksUnavailable)) throw err;
    throw authorizerConfigurationError();
  }
  if (!key) throw reject('signed with a key the user pool does not have');
  let payload: jwt.JwtPayload;
  try {
    payload = jwt.verify(token, key, { algorithms: ['RS256'], issuer: pool.issuer }) as jwt.JwtPayload;
  } catch (err) {
    throw reject((err as Error).message);
  }
  const rejection = checkClaims(payload, pool, authorizer, scopes);
  if (rejection) throw reject(rejection.reason);
  return { claims: claimsOf(payload) };
}
