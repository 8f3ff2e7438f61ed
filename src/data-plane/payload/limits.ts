// API Gateway's payload limit. An oversized request is refused at the front door, before the API
// is even looked up: plain text, and no gateway response customization applies. The connection is
// closed after the refusal rather than kept: the rest of the body is not worth reading, and a request
// stream cut short would leave the connection's parser mid-message.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HeaderMap, MethodResult } from '../pipeline/context.js';

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

const EMPTY = Buffer.alloc(0);

/**
 * The whole body, or undefined as soon as it is (or is declared) larger than the limit, leaving the
 * rest unread. A request with neither Content-Length nor Transfer-Encoding has no body (RFC 9112
 * 6.3): it is answered at once, without a promise, and node:http discards the stream's end.
 */
export function readBody(req: IncomingMessage, headers: HeaderMap): Buffer | undefined | Promise<Buffer | undefined> {
  const contentLength = headers['content-length']?.[0];
  if (headers['transfer-encoding'] === undefined && (contentLength === undefined || Number(contentLength) === 0)) return EMPTY;
  if (Number(contentLength ?? 0) > MAX_PAYLOAD_BYTES) return undefined;
  return new BodyReader(req).body;
}

/** Collects a request's body; listeners are methods, not closures made per request. */
class BodyReader {
  readonly body: Promise<Buffer | undefined>;
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private resolve!: (body: Buffer | undefined) => void;
  private reject!: (err: Error) => void;

  constructor(private readonly req: IncomingMessage) {
    this.body = new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    req.on('data', this.onData).on('end', this.onEnd).on('error', this.onError).on('close', this.onClose);
  }

  private done(body: Buffer | undefined, err?: Error): void {
    this.req.off('data', this.onData).off('end', this.onEnd).off('error', this.onError).off('close', this.onClose);
    if (err) this.reject(err);
    else this.resolve(body);
  }

  private readonly onData = (chunk: Buffer): void => {
    this.size += chunk.length;
    if (this.size <= MAX_PAYLOAD_BYTES) return void this.chunks.push(chunk);
    this.req.pause();
    this.done(undefined);
  };

  private readonly onEnd = (): void => this.done(Buffer.concat(this.chunks));
  private readonly onError = (err: Error): void => this.done(undefined, err);
  private readonly onClose = (): void => this.done(undefined, new Error('request closed before its body ended'));
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
