// SigV4 authentication of management calls: the shared verifier (src/shared/sigv4.ts) with its
// failures turned into the management API's errors. `open` mode accepts any well-formed signature
// and takes the account from the access key id; `sigv4` mode verifies against stored credentials.
import * as sigv4 from '../../shared/sigv4.js';
import { ApiError } from './errors.js';

export type { Authorization, SignedRequest } from '../../shared/sigv4.js';
export { canonicalRequest, expectedSignature } from '../../shared/sigv4.js';

export const DEFAULT_ACCOUNT_ID = '000000000000';

const forbidden = (type: string, message: string) => new ApiError(type, 403, message);

export function accountIdFor(accessKeyId: string): string {
  return /^\d{12}$/.test(accessKeyId) ? accessKeyId : DEFAULT_ACCOUNT_ID;
}

function asApiError<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof sigv4.SigV4Error) throw forbidden(err.errorType, err.message);
    throw err;
  }
}

/** Reads the Authorization header (or presigned query) into its parts, or fails as AWS does. */
export function parseAuthorization(req: sigv4.SignedRequest): sigv4.Authorization {
  return asApiError(() => sigv4.parseAuthorization(req));
}

/** Verifies a parsed signature with the caller's secret (±15 min); throws AWS's error when it does not hold. */
export function verifySignature(req: sigv4.SignedRequest, auth: sigv4.Authorization, secretAccessKey: string, now = Date.now()): void {
  asApiError(() => sigv4.verifySignature(req, auth, secretAccessKey, { now }));
}

/** The credential scope must name the signing date, `apigateway` and this region, as AWS checks it. */
export function checkScope(auth: sigv4.Authorization, region: string): void {
  const invalid = (message: string) => forbidden('InvalidSignatureException', message);
  if (auth.date !== auth.amzDate.slice(0, 8)) {
    throw invalid(`Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${auth.date}' != '${auth.amzDate.slice(0, 8)}', from '${auth.amzDate}'.`);
  }
  if (auth.service !== 'apigateway') throw invalid("Credential should be scoped to correct service: 'apigateway'. ");
  if (auth.region !== region) throw invalid('Credential should be scoped to a valid region. ');
}

export const unrecognizedClient = () => forbidden('UnrecognizedClientException', 'The security token included in the request is invalid.');
