// SigV4 authentication of management calls. `open` mode accepts any well-formed signature and takes
// the account from the access key id; `sigv4` mode verifies the signature against stored credentials.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { ApiError } from './errors.js';

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
};

export const DEFAULT_ACCOUNT_ID = '000000000000';
const MAX_SKEW_MS = 15 * 60 * 1000;

const forbidden = (type: string, message: string) => new ApiError(type, 403, message);

export function accountIdFor(accessKeyId: string): string {
  return /^\d{12}$/.test(accessKeyId) ? accessKeyId : DEFAULT_ACCOUNT_ID;
}

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
  let amzDate = header(req.headers, 'x-amz-date');
  if (value) {
    if (!value.startsWith('AWS4-HMAC-SHA256 ')) {
      throw forbidden('IncompleteSignatureException', `Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=${value.split(' ')[0]}`);
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
      throw forbidden('IncompleteSignatureException', missing.map((k) => `Authorization header requires '${k}' parameter.`).join(' ') + ` Authorization=AWS4-HMAC-SHA256 [redacted]`);
    }
  } else if (query.get('X-Amz-Algorithm') === 'AWS4-HMAC-SHA256') {
    credential = query.get('X-Amz-Credential') ?? undefined;
    signedHeaders = query.get('X-Amz-SignedHeaders') ?? undefined;
    signature = query.get('X-Amz-Signature') ?? undefined;
    amzDate = query.get('X-Amz-Date') ?? undefined;
    if (!credential || !signedHeaders || !signature) throw forbidden('IncompleteSignatureException', 'AWS query-string parameters must include X-Amz-Credential, X-Amz-SignedHeaders and X-Amz-Signature.');
  } else {
    throw forbidden('MissingAuthenticationTokenException', 'Missing Authentication Token');
  }
  const scope = credential!.split('/');
  if (scope.length !== 5 || scope[4] !== 'aws4_request' || !scope[0]) {
    throw forbidden('IncompleteSignatureException', `Credential should be scoped to a valid region, not '${scope[2] ?? ''}'. Credential should be scoped correctly. `);
  }
  if (!amzDate || !/^\d{8}T\d{6}Z$/.test(amzDate)) {
    throw forbidden('IncompleteSignatureException', "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  }
  return {
    accessKeyId: scope[0]!,
    date: scope[1]!,
    region: scope[2]!,
    service: scope[3]!,
    signedHeaders: signedHeaders!.split(';'),
    signature: signature!,
    amzDate,
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
  // so that a body altered after signing cannot pass.
  const payloadHash = presigned ? 'UNSIGNED-PAYLOAD' : createHash('sha256').update(req.body).digest('hex');
  return [req.method, canonicalUri, canonicalQuery, canonicalHeaders, auth.signedHeaders.join(';'), payloadHash].join('\n');
}

export function expectedSignature(req: SignedRequest, auth: Authorization, secretAccessKey: string): string {
  const presigned = !header(req.headers, 'authorization');
  const scope = `${auth.date}/${auth.region}/${auth.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', auth.amzDate, scope, createHash('sha256').update(canonicalRequest(req, auth, presigned)).digest('hex')].join('\n');
  const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, auth.date), auth.region), auth.service), 'aws4_request');
  return createHmac('sha256', signingKey).update(stringToSign).digest('hex');
}

function amzDateToMs(amzDate: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate)!;
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
}

/** Verifies a parsed signature with the caller's secret; throws AWS's error when it does not hold. */
export function verifySignature(req: SignedRequest, auth: Authorization, secretAccessKey: string, now = Date.now()): void {
  const signedAt = amzDateToMs(auth.amzDate);
  if (Math.abs(now - signedAt) > MAX_SKEW_MS) {
    const fmt = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
    throw forbidden('InvalidSignatureException', `Signature expired: ${auth.amzDate} is now earlier than ${fmt(now - MAX_SKEW_MS)} (${fmt(now)} - 15 min.)`);
  }
  if (!auth.signedHeaders.includes('host')) {
    throw forbidden('InvalidSignatureException', "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }
  const expected = Buffer.from(expectedSignature(req, auth, secretAccessKey));
  const given = Buffer.from(auth.signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    throw forbidden(
      'InvalidSignatureException',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    );
  }
}

export const unrecognizedClient = () => forbidden('UnrecognizedClientException', 'The security token included in the request is invalid.');
