// The request runtime every generated client ships (lib/runtime.js, or lib/runtime.ts for TypeScript):
// it builds the URL from path, query and header parameters, adds the API key, signs AWS_IAM methods
// with SigV4 (Web Crypto, so it runs in Node 20+ and browsers alike) and parses the response.
// The two texts are the same code; the TypeScript one carries the types.

export const javascriptRuntime = `// Request runtime of the generated client: URL building, API key, SigV4 signing, response parsing.
const encoder = new TextEncoder();

const rfc3986 = (s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
const hex = (buffer) => Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');
const bytes = (data) => (typeof data === 'string' ? encoder.encode(data) : data);

async function sha256(data) {
  return hex(await crypto.subtle.digest('SHA-256', bytes(data)));
}

async function hmac(key, data) {
  const k = await crypto.subtle.importKey('raw', bytes(key), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await crypto.subtle.sign('HMAC', k, encoder.encode(data)));
}

/** Adds SigV4 headers (service execute-api) for the request to url. */
export async function signRequest(method, url, headers, body, credentials, now = new Date()) {
  const amzDate = now.toISOString().replace(/[:-]|\\.\\d{3}/g, '');
  const day = amzDate.slice(0, 8);
  headers['x-amz-date'] = amzDate;
  if (credentials.sessionToken) headers['x-amz-security-token'] = credentials.sessionToken;
  const signed = { ...Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), String(v).trim().replace(/\\s+/g, ' ')])), host: url.host };
  const names = Object.keys(signed).sort();
  const query = [...url.searchParams.entries()]
    .map(([k, v]) => [rfc3986(k), rfc3986(v)])
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => k + '=' + v)
    .join('&');
  const canonical = [
    method,
    rfc3986(url.pathname || '/').replace(/%2F/g, '/'),
    query,
    names.map((n) => n + ':' + signed[n] + '\\n').join(''),
    names.join(';'),
    await sha256(body ?? ''),
  ].join('\\n');
  const scope = day + '/' + credentials.region + '/execute-api/aws4_request';
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, await sha256(canonical)].join('\\n');
  let key = await hmac('AWS4' + credentials.secretKey, day);
  for (const part of [credentials.region, 'execute-api', 'aws4_request']) key = await hmac(key, part);
  const signature = hex(await hmac(key, toSign));
  headers['Authorization'] = 'AWS4-HMAC-SHA256 Credential=' + credentials.accessKey + '/' + scope + ', SignedHeaders=' + names.join(';') + ', Signature=' + signature;
}

/** A client's requests, with its configuration (invokeUrl, apiKey, accessKey/secretKey/sessionToken/region, ...). */
export function createRuntime(config) {
  const base = config.invokeUrl.replace(/\\/+$/, '');
  return async function request(operation, params = {}, body, additionalParams = {}) {
    // ANY methods are called with the HTTP method additionalParams.method names (GET by default).
    const method = operation.method === 'ANY' ? (additionalParams.method ?? 'GET').toUpperCase() : operation.method;
    const path = operation.path.replace(/\\{([^}+]+)(\\+?)\\}/g, (_, name, greedy) => {
      const value = params[name];
      if (value === undefined || value === null) throw new Error('Missing required path parameter: ' + name);
      return greedy ? String(value).split('/').map(encodeURIComponent).join('/') : encodeURIComponent(String(value));
    });
    const url = new URL(base + path);
    for (const name of operation.queryParams) if (params[name] !== undefined && params[name] !== null) url.searchParams.append(name, String(params[name]));
    for (const [name, value] of Object.entries(additionalParams.queryParams ?? {})) url.searchParams.append(name, String(value));
    const headers = { accept: config.defaultAcceptType ?? 'application/json', ...(config.headers ?? {}) };
    for (const name of operation.headerParams) if (params[name] !== undefined && params[name] !== null) headers[name] = String(params[name]);
    Object.assign(headers, additionalParams.headers ?? {});
    let payload;
    if (body !== undefined && body !== null) {
      payload = typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body);
      if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = config.defaultContentType ?? 'application/json';
    }
    if (config.apiKey) headers['x-api-key'] = config.apiKey;
    if (operation.authorizationType === 'AWS_IAM' && config.accessKey && config.secretKey) {
      await signRequest(method, url, headers, payload, { accessKey: config.accessKey, secretKey: config.secretKey, sessionToken: config.sessionToken, region: config.region ?? 'us-east-1' });
    }
    const response = await fetch(url, { method, headers, body: payload });
    const text = await response.text();
    let data = text;
    if ((response.headers.get('content-type') ?? '').includes('json') && text !== '') {
      try {
        data = JSON.parse(text);
      } catch {
        data = text;
      }
    }
    const result = { status: response.status, statusText: response.statusText, headers: Object.fromEntries(response.headers.entries()), data };
    if (response.status >= 400) throw Object.assign(new Error('Request failed with status code ' + response.status), { response: result });
    return result;
  };
}
`;

export const typescriptRuntime = `// Request runtime of the generated client: URL building, API key, SigV4 signing, response parsing.
export type ClientConfig = {
  /** the stage's invoke URL, e.g. http://{restApiId}.execute-api.localhost:4568/{stage} */
  invokeUrl: string;
  apiKey?: string;
  accessKey?: string;
  secretKey?: string;
  sessionToken?: string;
  region?: string;
  defaultContentType?: string;
  defaultAcceptType?: string;
  headers?: Record<string, string>;
};

export type Operation = { method: string; path: string; queryParams: string[]; headerParams: string[]; authorizationType: string };
export type AdditionalParams = { headers?: Record<string, string>; queryParams?: Record<string, string>; method?: string };
export type ApiResponse<T> = { status: number; statusText: string; headers: Record<string, string>; data: T };
export type ApiError = Error & { response: ApiResponse<unknown> };
type Credentials = { accessKey: string; secretKey: string; sessionToken?: string; region: string };
type Params = Record<string, string | number | boolean | null | undefined>;

const encoder = new TextEncoder();

const rfc3986 = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
const hex = (buffer: ArrayBuffer | Uint8Array) => Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');
const bytes = (data: string | Uint8Array): Uint8Array => (typeof data === 'string' ? encoder.encode(data) : data);

async function sha256(data: string | Uint8Array): Promise<string> {
  return hex(await crypto.subtle.digest('SHA-256', bytes(data) as BufferSource));
}

async function hmac(key: string | Uint8Array, data: string): Promise<Uint8Array> {
  const k = await crypto.subtle.importKey('raw', bytes(key) as BufferSource, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await crypto.subtle.sign('HMAC', k, encoder.encode(data)));
}

/** Adds SigV4 headers (service execute-api) for the request to url. */
export async function signRequest(method: string, url: URL, headers: Record<string, string>, body: string | Uint8Array | undefined, credentials: Credentials, now = new Date()): Promise<void> {
  const amzDate = now.toISOString().replace(/[:-]|\\.\\d{3}/g, '');
  const day = amzDate.slice(0, 8);
  headers['x-amz-date'] = amzDate;
  if (credentials.sessionToken) headers['x-amz-security-token'] = credentials.sessionToken;
  const signed: Record<string, string> = { ...Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), String(v).trim().replace(/\\s+/g, ' ')])), host: url.host };
  const names = Object.keys(signed).sort();
  const query = [...url.searchParams.entries()]
    .map(([k, v]) => [rfc3986(k), rfc3986(v)] as const)
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => k + '=' + v)
    .join('&');
  const canonical = [
    method,
    rfc3986(url.pathname || '/').replace(/%2F/g, '/'),
    query,
    names.map((n) => n + ':' + signed[n] + '\\n').join(''),
    names.join(';'),
    await sha256(body ?? ''),
  ].join('\\n');
  const scope = day + '/' + credentials.region + '/execute-api/aws4_request';
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, await sha256(canonical)].join('\\n');
  let key = await hmac('AWS4' + credentials.secretKey, day);
  for (const part of [credentials.region, 'execute-api', 'aws4_request']) key = await hmac(key, part);
  const signature = hex(await hmac(key, toSign));
  headers['Authorization'] = 'AWS4-HMAC-SHA256 Credential=' + credentials.accessKey + '/' + scope + ', SignedHeaders=' + names.join(';') + ', Signature=' + signature;
}

export type Request = (operation: Operation, params?: Params, body?: unknown, additionalParams?: AdditionalParams) => Promise<ApiResponse<unknown>>;

/** A client's requests, with its configuration (invokeUrl, apiKey, accessKey/secretKey/sessionToken/region, ...). */
export function createRuntime(config: ClientConfig): Request {
  const base = config.invokeUrl.replace(/\\/+$/, '');
  return async function request(operation, params = {}, body, additionalParams = {}) {
    // ANY methods are called with the HTTP method additionalParams.method names (GET by default).
    const method = operation.method === 'ANY' ? (additionalParams.method ?? 'GET').toUpperCase() : operation.method;
    const path = operation.path.replace(/\\{([^}+]+)(\\+?)\\}/g, (_: string, name: string, greedy: string) => {
      const value = params[name];
      if (value === undefined || value === null) throw new Error('Missing required path parameter: ' + name);
      return greedy ? String(value).split('/').map(encodeURIComponent).join('/') : encodeURIComponent(String(value));
    });
    const url = new URL(base + path);
    for (const name of operation.queryParams) if (params[name] !== undefined && params[name] !== null) url.searchParams.append(name, String(params[name]));
    for (const [name, value] of Object.entries(additionalParams.queryParams ?? {})) url.searchParams.append(name, String(value));
    const headers: Record<string, string> = { accept: config.defaultAcceptType ?? 'application/json', ...(config.headers ?? {}) };
    for (const name of operation.headerParams) if (params[name] !== undefined && params[name] !== null) headers[name] = String(params[name]);
    Object.assign(headers, additionalParams.headers ?? {});
    let payload: string | Uint8Array | undefined;
    if (body !== undefined && body !== null) {
      payload = typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body);
      if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = config.defaultContentType ?? 'application/json';
    }
    if (config.apiKey) headers['x-api-key'] = config.apiKey;
    if (operation.authorizationType === 'AWS_IAM' && config.accessKey && config.secretKey) {
      await signRequest(method, url, headers, payload, { accessKey: config.accessKey, secretKey: config.secretKey, sessionToken: config.sessionToken, region: config.region ?? 'us-east-1' });
    }
    const response = await fetch(url, { method, headers, body: payload as BodyInit | undefined });
    const text = await response.text();
    let data: unknown = text;
    if ((response.headers.get('content-type') ?? '').includes('json') && text !== '') {
      try {
        data = JSON.parse(text);
      } catch {
        data = text;
      }
    }
    const headersOut: Record<string, string> = {};
    response.headers.forEach((value, name) => (headersOut[name] = value));
    const result: ApiResponse<unknown> = { status: response.status, statusText: response.statusText, headers: headersOut, data };
    if (response.status >= 400) throw Object.assign(new Error('Request failed with status code ' + response.status), { response: result });
    return result;
  };
}
`;
