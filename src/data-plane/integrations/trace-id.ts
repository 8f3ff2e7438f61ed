// The X-Ray style trace id API Gateway adds to what it passes on (X-Amzn-Trace-Id), for HTTP
// backends and Lambda proxy events alike.
import { randomFillSync } from 'node:crypto';

/** Random bytes drawn a few kilobytes at a time: one call into the CSPRNG per 341 trace ids, not one each. */
const RANDOM_POOL = Buffer.alloc(4096);
let randomOffset = RANDOM_POOL.length;

function randomHex(bytes: number): string {
  if (randomOffset + bytes > RANDOM_POOL.length) {
    randomFillSync(RANDOM_POOL);
    randomOffset = 0;
  }
  const hex = RANDOM_POOL.toString('hex', randomOffset, randomOffset + bytes);
  randomOffset += bytes;
  return hex;
}

/** `Root=1-{epoch seconds, hex}-{24 random hex digits}` */
export function traceId(): string {
  return `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${randomHex(12)}`;
}
