// AWS_IAM methods: who signed the request (SigV4 for service `execute-api`, as src/shared/sigv4.ts
// verifies it) and what that caller's identity policies say about the method.
//
// What is verified, by PORTICO_AUTH:
// - `sigv4`: the key must be a known credential (stored root pairs and PORTICO_IAM_IDENTITIES_FILE);
//   the signature is recomputed over method, path, query, signed headers and the body as received;
//   the credential scope must name `execute-api`, the worker's region and the signing date; the
//   signing time must be within 5 minutes of the worker's clock (execute-api's window).
// - `open`: a known key is verified exactly as above; an unknown key is accepted once its
//   Authorization is well formed (nothing else is checked), and calls as the root of its account
//   (a 12-digit key id is the account, any other key account 000000000000), as the management API does.
// Roots may invoke anything in their own account; IAM users need an identity policy that allows
// `execute-api:Invoke` on the method ARN. Cross-account calls also need the resource policy's allow.
import type { WorkerIdentities } from '../../shared/worker-config.js';
import { parseAuthorization, SigV4Error, verifySignature, type Authorization, type SignedRequest } from '../../shared/sigv4.js';
import { logger } from '../../logger.js';
import type { IamCaller, InvocationContext } from '../pipeline/context.js';
import { GatewayError } from '../pipeline/errors.js';
import { compilePolicy, evaluateAll, type CompiledPolicy, type PolicyDecision, type PolicyRequest } from './policy.js';

/** execute-api accepts signatures made within 5 minutes of its clock, either way. */
export const EXECUTE_API_MAX_SKEW_MS = 5 * 60 * 1000;
const DEFAULT_ACCOUNT_ID = '000000000000';

type CompiledIdentity = IamCaller & { secretAccessKey: string; root: boolean; policies: CompiledPolicy[] };
export type CompiledIdentities = { mode: 'open' | 'sigv4'; byAccessKeyId: Map<string, CompiledIdentity> };

/** Compiles each identity's policies once per config; a malformed policy grants nothing (and is logged). */
export function compileIdentities(identities: WorkerIdentities | undefined): CompiledIdentities {
  const byAccessKeyId = new Map<string, CompiledIdentity>();
  for (const identity of identities?.credentials ?? []) {
    const policies: CompiledPolicy[] = [];
    identity.policies.forEach((doc, i) => {
      try {
        policies.push(compilePolicy(doc));
      } catch (err) {
        logger.warn({ principal: identity.arn, policy: i, reason: (err as Error).message }, 'identity policy is malformed; it grants nothing');
      }
    });
    byAccessKeyId.set(identity.accessKeyId, {
      accessKeyId: identity.accessKeyId,
      secretAccessKey: identity.secretAccessKey,
      accountId: identity.accountId,
      arn: identity.arn,
      principalId: identity.principalId,
      ...(identity.userName ? { userName: identity.userName } : {}),
      root: identity.arn === `arn:aws:iam::${identity.accountId}:root`,
      policies,
    });
  }
  return { mode: identities?.mode ?? 'open', byAccessKeyId };
}

// ---- errors, in execute-api's words

const signatureError = (message: string, errorType = 'InvalidSignatureException') => new GatewayError('INVALID_SIGNATURE', message, 403, { errorType });

function fromSigV4Error(err: SigV4Error): GatewayError {
  if (err.failure === 'missing') return new GatewayError('MISSING_AUTHENTICATION_TOKEN', 'Missing Authentication Token');
  return signatureError(err.message, err.errorType);
}

const invalidToken = () => signatureError('The security token included in the request is invalid.', 'UnrecognizedClientException');

/** The request as SigV4 signed it: the target and body as received, before any decoding. */
function signedRequest(ctx: InvocationContext): SignedRequest {
  return { method: ctx.httpMethod, rawPath: ctx.received.path, rawQuery: ctx.received.query, headers: ctx.headers, body: ctx.received.body };
}

/** The scope must be today's (the signing date's), execute-api's and this region's. */
function checkScope(auth: Authorization, region: string): void {
  if (auth.date !== auth.amzDate.slice(0, 8)) {
    throw signatureError(
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${auth.date}' != '${auth.amzDate.slice(0, 8)}', from '${auth.amzDate}'.`,
    );
  }
  if (auth.service !== 'execute-api') throw signatureError(`Credential should be scoped to correct service: 'execute-api'. `);
  if (auth.region !== region) throw signatureError(`Credential should be scoped to a valid region. `);
}

/** Establishes the caller of an AWS_IAM method, or throws the gateway error AWS answers. */
export function authenticate(ctx: InvocationContext, identities: CompiledIdentities, region: string, now = Date.now()): CompiledIdentity {
  const request = signedRequest(ctx);
  try {
    const auth = parseAuthorization(request);
    const known = identities.byAccessKeyId.get(auth.accessKeyId);
    if (!known) {
      if (identities.mode === 'sigv4') throw invalidToken();
      return openModeCaller(auth.accessKeyId);
    }
    checkScope(auth, region);
    verifySignature(request, auth, known.secretAccessKey, { now, maxSkewMs: EXECUTE_API_MAX_SKEW_MS, explainMismatch: true });
    return known;
  } catch (err) {
    if (err instanceof SigV4Error) throw fromSigV4Error(err);
    throw err;
  }
}

function openModeCaller(accessKeyId: string): CompiledIdentity {
  const accountId = /^\d{12}$/.test(accessKeyId) ? accessKeyId : DEFAULT_ACCOUNT_ID;
  return { accessKeyId, secretAccessKey: '', accountId, arn: `arn:aws:iam::${accountId}:root`, principalId: accountId, root: true, policies: [] };
}

/** What the caller's own (identity) policies say; the root of an account may do anything. */
export function identityDecision(caller: CompiledIdentity, request: PolicyRequest): PolicyDecision {
  return caller.root ? 'Allow' : evaluateAll(caller.policies, request);
}

/** The caller without its secret and policies: what $context.identity shows. */
export function publicCaller(caller: CompiledIdentity): IamCaller {
  return {
    accessKeyId: caller.accessKeyId,
    accountId: caller.accountId,
    arn: caller.arn,
    principalId: caller.principalId,
    ...(caller.userName ? { userName: caller.userName } : {}),
  };
}
