// A client of Lambda's Invoke API (POST /2015-03-31/functions/{FunctionName}/invocations) at
// PORTICO_LAMBDA_ENDPOINT — AWS itself or anything that speaks it — SigV4-signed with aws4.
import aws4, { type Request as SignableRequest } from 'aws4';
import { Agent, request } from 'undici';
import { logger } from '../../logger.js';
import type { LambdaInvocation, LambdaInvoker, LambdaResult } from './types.js';

export type LambdaCredentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

/** Lambda's longest function timeout (15 minutes): no call waits longer, whatever its caller says. */
const MAX_WAIT_MS = 15 * 60 * 1000 + 30_000;

const headerValue = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** The region Lambda signs for: the function ARN's, else the gateway's own. */
function regionOf(functionArn: string, fallback: string): string {
  return /^arn:[^:]+:lambda:([^:]+):/.exec(functionArn)?.[1] ?? fallback;
}

export class LambdaInvokeClient implements LambdaInvoker {
  private readonly pool = new Agent({ connections: 256, keepAliveTimeout: 30_000, headersTimeout: MAX_WAIT_MS, bodyTimeout: MAX_WAIT_MS, connect: { timeout: 10_000 } });
  private readonly endpoint: URL;

  constructor(
    endpoint: string,
    private readonly region: string,
    private readonly credentials: LambdaCredentials | undefined,
  ) {
    this.endpoint = new URL(endpoint);
    if (!credentials) logger.warn({ endpoint }, 'no credentials for the Lambda Invoke API: calls go unsigned');
  }

  async invoke(invocation: LambdaInvocation): Promise<LambdaResult> {
    const base = this.endpoint.pathname.replace(/\/+$/, '');
    const path = `${base}/2015-03-31/functions/${encodeURIComponent(invocation.functionArn)}/invocations`;
    const signed: SignableRequest = {
      host: this.endpoint.host,
      path,
      method: 'POST',
      service: 'lambda',
      region: regionOf(invocation.functionArn, this.region),
      headers: { 'content-type': 'application/json', 'x-amz-invocation-type': invocation.invocationType ?? 'RequestResponse' },
      body: invocation.payload,
    };
    const credentials = invocation.credentials ?? this.credentials;
    if (credentials) aws4.sign(signed, credentials);
    const response = await request(new URL(path, this.endpoint), {
      method: 'POST',
      headers: signed.headers as Record<string, string>,
      body: invocation.payload,
      dispatcher: this.pool,
      signal: invocation.signal,
    });
    const payload = Buffer.from(await response.body.arrayBuffer());
    const functionError = headerValue(response.headers['x-amz-function-error']);
    const errorType = response.statusCode >= 300 ? headerValue(response.headers['x-amzn-errortype'])?.split(':')[0] : undefined;
    return { statusCode: response.statusCode, payload, ...(functionError ? { functionError } : {}), ...(errorType ? { errorType } : {}) };
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}
