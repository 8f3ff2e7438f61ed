// Payloads: binaryMediaTypes matching, contentHandling conversions as the Developer Guide's content
// type conversion tables give them, content codings (request decoding, Accept-Encoding negotiation),
// the headers HTTP integrations send and return, and backend URLs.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deflateRawSync, deflateSync, gunzipSync, gzipSync } from 'node:zlib';
import { backendRequestHeaders, proxyResponseHeaders } from '../../src/data-plane/integrations/http-headers.js';
import { backendUrl } from '../../src/data-plane/integrations/http-url.js';
import { GatewayError } from '../../src/data-plane/pipeline/errors.js';
import { compileBinaryMediaTypes } from '../../src/data-plane/payload/binary-media-types.js';
import { decodeBody, DecodedTooLarge, encodeBody, negotiateCoding, UnsupportedEncoding } from '../../src/data-plane/payload/content-encoding.js';
import { base64Decode, convertRequestBody, convertResponseBody } from '../../src/data-plane/payload/content-handling.js';

const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff, 0xfe]);
const base64 = Buffer.from(bytes.toString('base64'));
const text = Buffer.from('{"hello": "world"}');
const configurationError = (err: unknown) => err instanceof GatewayError && err.type === 'API_CONFIGURATION_ERROR' && err.statusCode === 500;

describe('binaryMediaTypes', () => {
  it('matches Content-Type exactly, by type wildcard, or everything with */*', () => {
    const types = compileBinaryMediaTypes(['image/png', 'application/*']);
    assert.equal(types.isBinary('image/png'), true);
    assert.equal(types.isBinary('Image/PNG; charset=binary'), true);
    assert.equal(types.isBinary('image/jpeg'), false);
    assert.equal(types.isBinary('application/octet-stream'), true);
    assert.equal(types.isBinary(undefined), false);
    assert.equal(compileBinaryMediaTypes(['*/*']).isBinary('text/plain'), true);
    assert.equal(compileBinaryMediaTypes(undefined).isBinary('image/png'), false);
  });

  it('honours only the first media type of Accept', () => {
    const types = compileBinaryMediaTypes(['image/webp']);
    assert.equal(types.acceptsBinary('image/webp,image/*,*/*;q=0.8'), true);
    assert.equal(types.acceptsBinary('text/html, image/webp'), false);
    assert.equal(types.acceptsBinary(undefined), false);
  });
});

describe('contentHandling on the integration request', () => {
  it('passes text and binary through without contentHandling', () => {
    assert.deepEqual(convertRequestBody(text, false, undefined), text);
    assert.deepEqual(convertRequestBody(bytes, true, undefined), bytes);
  });

  it('CONVERT_TO_BINARY decodes base64 text and leaves binary as it is', () => {
    assert.deepEqual(convertRequestBody(base64, false, 'CONVERT_TO_BINARY'), bytes);
    assert.deepEqual(convertRequestBody(bytes, true, 'CONVERT_TO_BINARY'), bytes);
  });

  it('CONVERT_TO_TEXT base64-encodes binary and leaves text as it is', () => {
    assert.deepEqual(convertRequestBody(bytes, true, 'CONVERT_TO_TEXT'), base64);
    assert.deepEqual(convertRequestBody(text, false, 'CONVERT_TO_TEXT'), text);
  });

  it('fails text that is not base64 with a configuration error', () => {
    assert.throws(() => convertRequestBody(text, false, 'CONVERT_TO_BINARY'), configurationError);
    assert.throws(() => base64Decode(Buffer.from('abcde')), configurationError);
    assert.deepEqual(base64Decode(Buffer.from('aGVs\nbG8=')), Buffer.from('hello'));
    assert.throws(() => base64Decode(Buffer.from('ab=c')), configurationError);
  });

  it('decodes a payload at the 10 MB limit', () => {
    const large = Buffer.alloc(10 * 1024 * 1024, 7);
    assert.deepEqual(base64Decode(Buffer.from(large.toString('base64'))), large);
  });
});

describe('contentHandling on the integration response', () => {
  // (payload binary, Accept binary, contentHandling) → method response payload
  it('without contentHandling follows what the client accepts', () => {
    assert.deepEqual(convertResponseBody(text, false, false, undefined), text);
    assert.deepEqual(convertResponseBody(base64, false, true, undefined), bytes);
    assert.deepEqual(convertResponseBody(bytes, true, false, undefined), base64);
    assert.deepEqual(convertResponseBody(bytes, true, true, undefined), bytes);
  });

  it('CONVERT_TO_BINARY decodes text whatever the client accepts; binary stays binary', () => {
    assert.deepEqual(convertResponseBody(base64, false, false, 'CONVERT_TO_BINARY'), bytes);
    assert.deepEqual(convertResponseBody(base64, false, true, 'CONVERT_TO_BINARY'), bytes);
    assert.deepEqual(convertResponseBody(bytes, true, false, 'CONVERT_TO_BINARY'), bytes);
  });

  it('CONVERT_TO_TEXT encodes binary whatever the client accepts; text stays text', () => {
    assert.deepEqual(convertResponseBody(bytes, true, true, 'CONVERT_TO_TEXT'), base64);
    assert.deepEqual(convertResponseBody(bytes, true, false, 'CONVERT_TO_TEXT'), base64);
    assert.deepEqual(convertResponseBody(text, false, true, 'CONVERT_TO_TEXT'), text);
  });
});

describe('content codings', () => {
  const body = Buffer.from('x'.repeat(1000));
  const limit = 10 * 1024 * 1024;

  it('decodes gzip, deflate (zlib-wrapped or raw) and identity', async () => {
    assert.deepEqual(await decodeBody(gzipSync(body), 'gzip', limit), body);
    assert.deepEqual(await decodeBody(deflateSync(body), 'deflate', limit), body);
    assert.deepEqual(await decodeBody(deflateRawSync(body), 'Deflate', limit), body);
    assert.deepEqual(await decodeBody(body, 'identity', limit), body);
    assert.deepEqual(await decodeBody(gzipSync(deflateSync(body)), 'deflate, gzip', limit), body);
  });

  it('refuses an unsupported coding or a body not in its coding', async () => {
    await assert.rejects(decodeBody(body, 'br', limit), UnsupportedEncoding);
    await assert.rejects(decodeBody(body, 'gzip', limit), UnsupportedEncoding);
    await assert.rejects(decodeBody(gzipSync(body), 'gzip', 100), DecodedTooLarge);
  });

  it('chooses the highest-priority coding, and compresses only when it is gzip or deflate', () => {
    assert.equal(negotiateCoding('gzip'), 'gzip');
    assert.equal(negotiateCoding('deflate,gzip'), 'deflate');
    assert.equal(negotiateCoding('deflate;q=0.5,gzip;q=1.0'), 'gzip');
    assert.equal(negotiateCoding('gzip;q=1.0,identity;q=0.5,*;q=0'), 'gzip');
    assert.equal(negotiateCoding('gzip;q=0, deflate'), 'deflate');
    assert.equal(negotiateCoding('br, gzip'), undefined);
    assert.equal(negotiateCoding('*'), undefined);
    assert.equal(negotiateCoding(''), undefined);
    assert.equal(negotiateCoding(undefined), undefined);
    assert.equal(negotiateCoding('identity'), undefined);
  });

  it('compresses', async () => {
    assert.deepEqual(gunzipSync(await encodeBody(body, 'gzip')), body);
  });
});

describe('HTTP integration headers', () => {
  const own = { restApiId: 'abc123', traceId: 'Root=1-x-y' };

  it('proxies the method request headers without hop-by-hop ones, host and content-encoding', () => {
    const sent = backendRequestHeaders({
      host: ['api.example'], connection: ['keep-alive'], 'keep-alive': ['timeout=5'], 'proxy-authorization': ['x'], te: ['trailers'],
      'transfer-encoding': ['chunked'], upgrade: ['h2c'], 'content-length': ['3'], 'content-encoding': ['gzip'],
      'x-multi': ['a', 'b'], 'user-agent': ['curl/8'], accept: ['text/html'],
    }, own, true);
    assert.deepEqual(sent, {
      'x-multi': ['a', 'b'], 'user-agent': ['curl/8'], accept: ['text/html'],
      'x-amzn-apigateway-api-id': ['abc123'], 'x-amzn-trace-id': ['Root=1-x-y'],
    });
  });

  it("adds API Gateway's defaults to a custom integration's mapped headers", () => {
    assert.deepEqual(backendRequestHeaders({ 'content-type': ['application/json'] }, own, false), {
      'content-type': ['application/json'], accept: ['application/json'], 'user-agent': ['AmazonAPIGateway_abc123'],
      'x-amzn-apigateway-api-id': ['abc123'], 'x-amzn-trace-id': ['Root=1-x-y'],
    });
  });

  it('remaps the headers API Gateway owns on proxied responses and keeps multi-value headers', () => {
    assert.deepEqual(proxyResponseHeaders({
      'content-type': ['text/plain'], 'set-cookie': ['a=1', 'b=2'], date: ['Tue'], server: ['nginx'],
      'content-length': ['5'], connection: ['keep-alive'], 'transfer-encoding': ['chunked'],
    }), {
      'content-type': ['text/plain'], 'set-cookie': ['a=1', 'b=2'], 'x-amzn-remapped-date': ['Tue'], 'x-amzn-remapped-server': ['nginx'],
      'x-amzn-remapped-content-length': ['5'], 'x-amzn-remapped-connection': ['keep-alive'],
    });
  });
});

describe('backend URLs', () => {
  it('resolves stage variables and path parameters and appends the query string', () => {
    const url = backendUrl('http://${stageVariables.host}/pets/{proxy}?fixed=1', { q: ['a b', 'c'], 'k&': ['='] }, { host: 'backend:8080' }, { proxy: 'a b/c' });
    assert.equal(url.href, 'http://backend:8080/pets/a%20b/c?fixed=1&q=a%20b&q=c&k%26=%3D');
  });

  it('fails an unusable URI with a configuration error', () => {
    assert.throws(() => backendUrl('not a url', {}, {}), configurationError);
    assert.throws(() => backendUrl('ftp://host/file', {}, {}), configurationError);
  });
});
