// Management calls over raw HTTP, SigV4-signed with aws4: what the isolation and SigV4 batteries
// send when they need a request the SDK would not make (any operation by its URI, a tampered
// signature), and the answer as status, AWS error type, message and body.
import aws4 from 'aws4';

export type Call = { method: string; path: string; query?: string; body?: string | Buffer; headers?: Record<string, string> };
export type Reply = { status: number; errorType?: string; message?: string; body: string; headers: Headers };

export function signRequest(endpoint: string, call: Call, credentials: { accessKeyId: string; secretAccessKey: string }, service = 'apigateway', region = 'us-east-1') {
  const url = new URL(endpoint);
  const path = call.query ? `${call.path}?${call.query}` : call.path;
  const body = call.body === undefined ? undefined : Buffer.from(call.body);
  const headers = { ...(body?.length ? { 'Content-Type': 'application/json' } : {}), ...call.headers };
  const signed = aws4.sign({ host: url.host, path, method: call.method, service, region, body, headers }, credentials);
  return { url: `${url.origin}${path}`, method: call.method, headers: signed.headers as Record<string, string>, body };
}

export async function send(request: { url: string; method: string; headers: Record<string, string>; body?: Buffer }): Promise<Reply> {
  const res = await fetch(request.url, { method: request.method, headers: request.headers, body: request.body && new Uint8Array(request.body) });
  const body = await res.text();
  let message: string | undefined;
  try {
    const parsed = JSON.parse(body) as { message?: unknown; Message?: unknown };
    message = typeof parsed.message === 'string' ? parsed.message : typeof parsed.Message === 'string' ? parsed.Message : undefined;
  } catch {
    // not JSON
  }
  return { status: res.status, errorType: res.headers.get('x-amzn-errortype') ?? undefined, message, body, headers: res.headers };
}

/** A management call signed for `accountId` (open mode: the key id is the account). */
export function signedCall(endpoint: string, accountId: string, call: Call): Promise<Reply> {
  return send(signRequest(endpoint, call, { accessKeyId: accountId, secretAccessKey: 'reliability' }));
}
