// AWS Signature Version 4, verified: parsing the Authorization header (or a presigned query),
// rebuilding the canonical request and checking the signature and its clock skew. Shared by the
// management API (service `apigateway`) and the worker's AWS_IAM methods (service `execute-api`);
// each maps a SigV4Error to its own error shape. Guessed (no recording of AWS's answer): the texts
// for a presigned URL past its X-Amz-Expires, an X-Amz-Expires over a week, or not a number.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export type SignedRequest = {
  method: string;
  rawPath: string;
  rawQuery: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
};

export type Authorization = {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
  amzDate: string;
  /** a presigned URL's lifetime (X-Amz-Expires), in seconds */
  expiresSeconds?: number;
};

/** Why a request's signature does not hold; `errorType` is AWS's error name for it. */
export type SigV4Failure = 'missing' | 'incomplete' | 'expired' | 'mismatch';

export class SigV4Error extends Error {
  constructor(
    readonly failure: SigV4Failure,
    readonly errorType: string,
    message: string,
  ) {
    super(message);
  }
}

export type VerifyOptions = {
  now?: number;
  /** the accepted clock skew either way: 15 minutes for most services, 5 for execute-api */
  maxSkewMs?: number;
  /** append the canonical request and string to sign to a mismatch message, as execute-api does */
  explainMismatch?: boolean;
};

const DEFAULT_MAX_SKEW_MS = 15 * 60 * 1000;
/** SigV4's longest presigned URL lifetime: seven days. */
const MAX_PRESIGNED_SECONDS = 604_800;

const incomplete = (message: string) => new SigV4Error('incomplete', 'IncompleteSignatureException', message);

function header(headers: SignedRequest['headers'], name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

/** Reads the Authorization header (or presigned query) into its parts, or fails as AWS does. */
export function parseAuthorization(req: SignedRequest): Authorization {
  const query = new URLSearchParams(req.rawQuery);
  const value = header(req.headers, 'authorization');
  let credential: string | undefined;
  let signedHeaders: string | undefined;
  let signature: string | undefined;
  let expiresSeconds: number | undefined;
  let amzDate = header(req.headers, 'x-amz-date');
  if (value) {
    if (!value.startsWith('AWS4-HMAC-SHA256 ')) {
      throw incomplete(`Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=${value.split(' ')[0]}`);
    }
    const parts = Object.fromEntries(
      value
        .slice('AWS4-HMAC-SHA256 '.length)
        .split(',')
        .map((p) => p.trim().split('='))
        .filter((kv) => kv.length === 2)
        .map(([k, v]) => [k!, v!]),
    );
    credential = parts.Credential;
    signedHeaders = parts.SignedHeaders;
    signature = parts.Signature;
    const missing = (['Credential', 'Signature', 'SignedHeaders'] as const).filter((k) => !parts[k]);
    if (missing.length) {
      throw incomplete(missing.map((k) => `Authorization header requires '${k}' parameter.`).join(' ') + ` Authorization=AWS4-HMAC-SHA256 [redacted]`);
    }
  } else if (query.get('X-Amz-Algorithm') === 'AWS4-HMAC-SHA256') {
    credential = query.get('X-Amz-Credential') ?? undefined;
    signedHeaders = query.get('X-Amz-SignedHeaders') ?? undefined;
    signature = query.get('X-Amz-Signature') ?? undefined;
    amzDate = query.get('X-Amz-Date') ?? undefined;
    if (!credential || !signedHeaders || !signature) throw incomplete('AWS query-string parameters must include X-Amz-Credential, X-Amz-SignedHeaders and X-Amz-Signature.');
    const expires = query.get('X-Amz-Expires');
    if (expires !== null) {
      if (!/^\d{1,9}$/.test(expires)) throw incomplete('X-Amz-Expires must be a non-negative integer number of seconds.');
      expiresSeconds = Number(expires);
      if (expiresSeconds > MAX_PRESIGNED_SECONDS) {
        throw new SigV4Error('expired', 'InvalidSignatureException', `X-Amz-Expires must be less than a week (in seconds) that is ${MAX_PRESIGNED_SECONDS}`);
      }
    }
  } else {
    throw new SigV4Error('missing', 'MissingAuthenticationTokenException', 'Missing Authentication Token');
  }
  const scope = credential!.split('/');
  if (scope.length !== 5 || scope[4] !== 'aws4_request' || !scope[0]) {
    throw incomplete(`Credential should be scoped to a valid region, not '${scope[2] ?? ''}'. Credential should be scoped correctly. `);
  }
  if (!amzDate || !/^\d{8}T\d{6}Z$/.test(amzDate)) {
    throw incomplete("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  }
  return {
    accessKeyId: scope[0]!,
    date: scope[1]!,
    region: scope[2]!,
    service: scope[3]!,
    signedHeaders: signedHeaders!.split(';'),
    signature: signature!,
    amzDate,
    ...(expiresSeconds !== undefined ? { expiresSeconds } : {}),
  };
}

const rfc3986 = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, '%20'));
  } catch {
    return s;
  }
}

export function canonicalRequest(req: SignedRequest, auth: Authorization, presigned: boolean): string {
  const canonicalUri = rfc3986(req.rawPath || '/').replace(/%2F/g, '/');
  const pairs = req.rawQuery
    .split('&')
    .filter(Boolean)
    .map((kv) => {
      const i = kv.indexOf('=');
      const [k, v] = i < 0 ? [kv, ''] : [kv.slice(0, i), kv.slice(i + 1)];
      return [rfc3986(safeDecode(k)), rfc3986(safeDecode(v))] as const;
    })
    .filter(([k]) => !(presigned && k === 'X-Amz-Signature'))
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  const canonicalQuery = pairs.map(([k, v]) => `${k}=${v}`).join('&');
  const canonicalHeaders = auth.signedHeaders
    .map((h) => `${h}:${(header(req.headers, h) ?? '').trim().replace(/\s+/g, ' ')}\n`)
    .join('');
  // The payload hash is always computed from the body received, never taken from x-amz-content-sha256,
  // so that a body altered after signing cannot pass. Only S3 signs presigned URLs without the payload.
  const payloadHash = presigned && auth.service === 's3' ? 'UNSIGNED-PAYLOAD' : createHash('sha256').update(req.body).digest('hex');
  return [req.method, canonicalUri, canonicalQuery, canonicalHeaders, auth.signedHeaders.join(';'), payloadHash].join('\n');
}

function stringToSign(req: SignedRequest, auth: Authorization): { canonical: string; stringToSign: string } {
  const presigned = !header(req.headers, 'authorization');
  const canonical = canonicalRequest(req, auth, presigned);
  const scope = `${auth.date}/${auth.region}/${auth.service}/aws4_request`;
  return { canonical, stringToSign: ['AWS4-HMAC-SHA256', auth.amzDate, scope, createHash('sha256').update(canonical).digest('hex')].join('\n') };
}

function sign(stringToSign: string, auth: Authorization, secretAccessKey: string): string {
  const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, auth.date), auth.region), auth.service), 'aws4_request');
  return createHmac('sha256', signingKey).update(stringToSign).digest('hex');
}

export function expectedSignature(req: SignedRequest, auth: Authorization, secretAccessKey: string): string {
  return sign(stringToSign(req, auth).stringToSign, auth, secretAccessKey);
}

function amzDateToMs(amzDate: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate)!;
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
}

const amzDate = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

/** Checks the signing time against the clock, in AWS's words when it is outside the window. */
export function checkSkew(auth: Authorization, options: VerifyOptions = {}): void {
  const now = options.now ?? Date.now();
  const skew = options.maxSkewMs ?? DEFAULT_MAX_SKEW_MS;
  const minutes = Math.round(skew / 60_000);
  const signedAt = amzDateToMs(auth.amzDate);
  // A presigned URL holds for its X-Amz-Expires from its signing time, however long or short that is.
  if (auth.expiresSeconds !== undefined && now > signedAt + auth.expiresSeconds * 1000) {
    throw new SigV4Error('expired', 'InvalidSignatureException', `Signature expired: ${auth.amzDate} is now earlier than ${amzDate(now - auth.expiresSeconds * 1000)} (${amzDate(now)} - ${auth.expiresSeconds} sec.)`);
  }
  if (auth.expiresSeconds === undefined && signedAt < now - skew) {
    throw new SigV4Error('expired', 'InvalidSignatureException', `Signature expired: ${auth.amzDate} is now earlier than ${amzDate(now - skew)} (${amzDate(now)} - ${minutes} min.)`);
  }
  if (signedAt > now + skew) {
    throw new SigV4Error('expired', 'InvalidSignatureException', `Signature not yet current: ${auth.amzDate} is still later than ${amzDate(now + skew)} (${amzDate(now)} + ${minutes} min.)`);
  }
}

/** Verifies a parsed signature with the caller's secret; throws AWS's error when it does not hold. */
export function verifySignature(req: SignedRequest, auth: Authorization, secretAccessKey: string, options: VerifyOptions = {}): void {
  checkSkew(auth, options);
  if (!auth.signedHeaders.includes('host')) {
    throw new SigV4Error('mismatch', 'InvalidSignatureException', "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }
  const signed = stringToSign(req, auth);
  const expected = Buffer.from(sign(signed.stringToSign, auth, secretAccessKey));
  const given = Buffer.from(auth.signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    let message =
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
    if (options.explainMismatch) {
      message += `\n\nThe Canonical String for this request should have been\n'${signed.canonical}'\n\nThe String-to-Sign should have been\n'${signed.stringToSign}'\n`;
    }
    throw new SigV4Error('mismatch', 'InvalidSignatureException', message);
  }
}
