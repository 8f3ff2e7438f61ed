// The content codings API Gateway supports (gzip, deflate, identity): decoding compressed request
// bodies, choosing a response coding from Accept-Encoding, and compressing. zlib runs on its thread
// pool, off the event loop.
import { promisify } from 'node:util';
import { deflate, gunzip, gzip, inflate, inflateRaw } from 'node:zlib';

export type Coding = 'gzip' | 'deflate';

const gunzipAsync = promisify(gunzip);
const inflateAsync = promisify(inflate);
const inflateRawAsync = promisify(inflateRaw);
const gzipAsync = promisify(gzip);
const deflateAsync = promisify(deflate);

export class UnsupportedEncoding extends Error {}
export class DecodedTooLarge extends Error {}

const isOutputLimit = (err: unknown) => (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';

/** "deflate" is meant to be zlib-wrapped, but some clients send raw deflate data. */
async function inflateEither(body: Buffer, options: { maxOutputLength: number }): Promise<Buffer> {
  try {
    return await inflateAsync(body, options);
  } catch (err) {
    if (isOutputLimit(err)) throw err;
    return await inflateRawAsync(body, options);
  }
}

async function decodeOne(body: Buffer, coding: string, maxBytes: number): Promise<Buffer> {
  const options = { maxOutputLength: maxBytes };
  if (coding === 'identity') return body;
  if (coding !== 'gzip' && coding !== 'deflate') throw new UnsupportedEncoding();
  try {
    return coding === 'gzip' ? await gunzipAsync(body, options) : await inflateEither(body, options);
  } catch (err) {
    throw isOutputLimit(err) ? new DecodedTooLarge() : new UnsupportedEncoding();
  }
}

/** Undoes a Content-Encoding (codings applied in order, so undone from the last). */
export async function decodeBody(body: Buffer, contentEncoding: string, maxBytes: number): Promise<Buffer> {
  const codings = contentEncoding.split(',').map((c) => c.trim().toLowerCase()).filter(Boolean);
  let decoded = body;
  for (const coding of codings.reverse()) decoded = await decodeOne(decoded, coding, maxBytes);
  return decoded;
}

/**
 * The coding to compress a response with: the client's highest-priority coding (ties go to the one
 * listed first), and only when that is gzip or deflate. `*`, identity, an unsupported coding or no
 * Accept-Encoding at all mean no compression.
 */
export function negotiateCoding(acceptEncoding: string | undefined): Coding | undefined {
  let best: { coding: string; q: number } | undefined;
  for (const part of (acceptEncoding ?? '').split(',')) {
    const [name, ...params] = part.split(';');
    const coding = name!.trim().toLowerCase();
    if (!coding) continue;
    const qParam = params.map((p) => p.trim().toLowerCase()).find((p) => p.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    if (!Number.isFinite(q) || q <= 0) continue;
    if (!best || q > best.q) best = { coding, q };
  }
  return best?.coding === 'gzip' || best?.coding === 'deflate' ? best.coding : undefined;
}

export function encodeBody(body: Buffer, coding: Coding): Promise<Buffer> {
  return coding === 'gzip' ? gzipAsync(body) : deflateAsync(body);
}
