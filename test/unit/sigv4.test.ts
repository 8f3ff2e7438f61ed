// SigV4 verification, checked against requests signed by aws4 (an independent signer).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import aws4 from 'aws4';
import { ApiError } from '../../src/control-plane/protocol/errors.js';
import { parseAuthorization, verifySignature, type SignedRequest } from '../../src/control-plane/protocol/sigv4.js';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };

function signed(path: string, body = '', method = 'POST', signQuery = false): SignedRequest {
  const opts = aws4.sign(
    { host: 'localhost:4567', method, path, body, service: 'apigateway', region: 'us-east-1', headers: { 'content-type': 'application/json' }, signQuery },
    credentials,
  );
  const [rawPath, rawQuery = ''] = (signQuery ? opts.path! : path).split('?') as [string, string?];
  const headers = Object.fromEntries(Object.entries(opts.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]));
  headers.host = 'localhost:4567';
  return { method, rawPath, rawQuery, headers, body: Buffer.from(body) };
}

function verify(req: SignedRequest, secret = credentials.secretAccessKey) {
  verifySignature(req, parseAuthorization(req), secret);
}

function rejects(fn: () => void, type: string) {
  assert.throws(fn, (e: unknown) => e instanceof ApiError && e.type === type && e.status === 403);
}

describe('SigV4 verification', () => {
  it('accepts what aws4 signs, with encoded labels and query strings', () => {
    verify(signed('/restapis', '{"name":"x"}'));
    verify(signed('/tags/arn%3Aaws%3Aapigateway%3Aus-east-1%3A%3A%2Frestapis%2Fabc', '{"tags":{}}', 'PUT'));
    verify(signed('/restapis?limit=5&position=abc%3D', '', 'GET'));
  });

  it('rejects a wrong secret, an altered body, path or signed header', () => {
    const req = signed('/restapis', '{"name":"x"}');
    rejects(() => verify(req, 'not-the-secret'), 'InvalidSignatureException');
    rejects(() => verify({ ...req, body: Buffer.from('{"name":"y"}') }), 'InvalidSignatureException');
    rejects(() => verify({ ...req, rawPath: '/restapis/x' }), 'InvalidSignatureException');
    rejects(() => verify({ ...req, headers: { ...req.headers, 'x-amz-date': '20200101T000000Z' } }), 'InvalidSignatureException');
  });

  it('rejects requests outside the 15-minute clock skew window', () => {
    const req = signed('/restapis', '{}');
    const auth = parseAuthorization(req);
    assert.throws(() => verifySignature(req, auth, credentials.secretAccessKey, Date.now() + 16 * 60 * 1000), /Signature expired/);
    verifySignature(req, auth, credentials.secretAccessKey, Date.now() + 14 * 60 * 1000);
  });

  it('names missing and truncated authorization as AWS does', () => {
    const req = signed('/restapis', '{}');
    rejects(() => parseAuthorization({ ...req, headers: { ...req.headers, authorization: undefined } }), 'MissingAuthenticationTokenException');
    const truncated = String(req.headers.authorization).split(', Signature=')[0];
    rejects(() => parseAuthorization({ ...req, headers: { ...req.headers, authorization: truncated } }), 'IncompleteSignatureException');
    rejects(() => parseAuthorization({ ...req, headers: { ...req.headers, authorization: 'AWS4-HMAC-SHA256 Credential=AKID, SignedHeaders=host, Signature=00' } }), 'IncompleteSignatureException');
  });

  it('holds a presigned URL for its X-Amz-Expires, at most a week', () => {
    const minute = signed('/restapis?X-Amz-Expires=60', '', 'GET', true);
    assert.match(minute.rawQuery, /X-Amz-Expires=60/);
    const auth = parseAuthorization(minute);
    verifySignature(minute, auth, credentials.secretAccessKey, Date.now() + 50 * 1000);
    assert.throws(() => verifySignature(minute, auth, credentials.secretAccessKey, Date.now() + 2 * 60 * 1000), /Signature expired/);
    // A day: longer than the clock skew window.
    const day = signed('/restapis?X-Amz-Expires=86400', '', 'GET', true);
    verifySignature(day, parseAuthorization(day), credentials.secretAccessKey, Date.now() + 23 * 60 * 60 * 1000);
    rejects(() => verifySignature(day, parseAuthorization(day), credentials.secretAccessKey, Date.now() + 25 * 60 * 60 * 1000), 'InvalidSignatureException');
    rejects(() => parseAuthorization(signed('/restapis?X-Amz-Expires=604801', '', 'GET', true)), 'InvalidSignatureException');
    rejects(() => parseAuthorization(signed('/restapis?X-Amz-Expires=soon', '', 'GET', true)), 'IncompleteSignatureException');
    // Without X-Amz-Expires, the clock skew window bounds it.
    const unbounded = signed('/restapis', '', 'GET', true);
    rejects(() => verifySignature(unbounded, parseAuthorization(unbounded), credentials.secretAccessKey, Date.now() + 16 * 60 * 1000), 'InvalidSignatureException');
  });
});
