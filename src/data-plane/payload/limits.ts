// API Gateway's payload limit. An oversized request is refused at the front door, before the API
// is even looked up: plain text, and no gateway response customization applies. The connection is
// closed after the refusal rather than kept: the rest of the body is not worth reading, and a request
// stream cut short would leave the connection's parser mid-message.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MethodResult } from '../pipeline/context.js';

export const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

/** How long the rest of an oversized body is read and discarded after the refusal, before the socket is closed. */
const LINGER_MS = 2000;

export function payloadTooLarge(): MethodResult {
  return {
    statusCode: 413,
    headers: { 'content-type': ['text; charset=utf-8'] },
    body: Buffer.from(`HTTP content length exceeded ${MAX_PAYLOAD_BYTES} bytes.`),
  };
}

/** The whole body, or undefined as soon as it is (or is declared) larger than the limit, leaving the rest unread. */
export function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    if (Number(req.headers['content-length'] ?? 0) > MAX_PAYLOAD_BYTES) return resolve(undefined);
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (body: Buffer | undefined, err?: Error) => {
      req.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
      if (err) reject(err);
      else resolve(body);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_PAYLOAD_BYTES) return void chunks.push(chunk);
      req.pause();
      done(undefined);
    };
    const onEnd = () => done(Buffer.concat(chunks));
    const onError = (err: Error) => done(undefined, err);
    const onClose = () => done(undefined, new Error('request closed before its body ended'));
    req.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
  });
}

/**
 * Answers with `Connection: close`, then half-closes: what the client still sends is discarded for a
 * moment, so that closing with unread bytes does not reset the connection before the client has read
 * the refusal (the "lingering close" of nginx and Go's net/http), and then the socket is destroyed.
 */
export function closeAfterResponse(req: IncomingMessage, res: ServerResponse): void {
  res.shouldKeepAlive = false;
  res.once('finish', () => {
    const socket = req.socket;
    if (!socket || socket.destroyed) return;
    // node:http's own close (destroySoon) would destroy the socket as soon as its FIN is written.
    socket.removeListener('finish', socket.destroy);
    req.resume();
    const timer = setTimeout(() => socket.destroy(), LINGER_MS);
    socket.once('close', () => clearTimeout(timer));
    socket.once('end', () => socket.destroy());
  });
}
