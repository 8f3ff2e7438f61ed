// Lambda's Invoke API, answered by the worker for its built-in runner, so that
// `aws lambda invoke --endpoint-url http://localhost:4568 --function-name f out.json` runs a
// function of PORTICO_FUNCTIONS_DIR. Only requests on a host that is not an API's (an execute-api
// host or a custom domain name), whose paths belong to the API.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DEFAULT_ACCOUNT_ID, parseFunctionName } from './function-arn.js';
import { invalidFunctionName, MAX_PAYLOAD_BYTES, payloadTooLarge, refused } from './runner/errors.js';
import type { InvocationType, LambdaInvoker, LambdaResult } from './types.js';

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/?]+)\/invocations\/?(?:\?|$)/;
const INVOCATION_TYPES = new Set<string>(['RequestResponse', 'Event', 'DryRun']);

export function isInvokeApiRequest(req: IncomingMessage, isApiHost: (host: string | undefined) => boolean): boolean {
  return req.method === 'POST' && INVOKE_PATH.test(req.url ?? '') && !isApiHost(req.headers.host);
}

/** The caller's account, as the management API takes it: a 12-digit access key id is one. */
function accountOf(req: IncomingMessage): string {
  const accessKeyId = /Credential=([^/,\s]+)\//.exec(req.headers.authorization ?? '')?.[1];
  return accessKeyId && /^\d{12}$/.test(accessKeyId) ? accessKeyId : DEFAULT_ACCOUNT_ID;
}

function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** The body, or undefined when it is larger than Lambda accepts. */
async function readPayload(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size <= MAX_PAYLOAD_BYTES) chunks.push(chunk as Buffer);
  }
  return size > MAX_PAYLOAD_BYTES ? undefined : Buffer.concat(chunks);
}

async function invoke(req: IncomingMessage, invoker: LambdaInvoker, region: string, requestId: string): Promise<LambdaResult> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const functionName = decode(INVOKE_PATH.exec(req.url ?? '')![1]!);
  const qualifier = url.searchParams.get('Qualifier');
  const ref = parseFunctionName(functionName, { region, accountId: accountOf(req) });
  const invocationType = String(req.headers['x-amz-invocation-type'] ?? 'RequestResponse');
  const payload = await readPayload(req);
  if (!ref || (qualifier !== null && !parseFunctionName(`${ref.name}:${qualifier}`, ref))) return invalidFunctionName(functionName);
  if (!INVOCATION_TYPES.has(invocationType)) {
    return refused(400, 'ValidationException', `1 validation error detected: Value '${invocationType}' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]`);
  }
  if (!payload) return payloadTooLarge();
  const effectiveQualifier = ref.qualifier ?? qualifier ?? undefined;
  const functionArn = effectiveQualifier ? `${ref.arn}:${effectiveQualifier}` : ref.arn;
  return invoker.invoke({ functionArn, payload, requestId, invocationType: invocationType as InvocationType });
}

export async function serveInvokeApi(req: IncomingMessage, res: ServerResponse, invoker: LambdaInvoker, region: string): Promise<void> {
  const requestId = randomUUID();
  const result = await invoke(req, invoker, region, requestId);
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-amzn-requestid': requestId, 'content-length': String(result.payload.length) };
  if (result.errorType) headers['x-amzn-errortype'] = result.errorType;
  else headers['x-amz-executed-version'] = '$LATEST';
  if (result.functionError) headers['x-amz-function-error'] = result.functionError;
  res.writeHead(result.statusCode, headers).end(result.payload);
}
