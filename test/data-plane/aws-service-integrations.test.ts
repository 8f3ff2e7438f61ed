// AWS service integrations end to end: the Developer Guide's "Tutorial: Create a REST API as an Amazon
// S3 proxy" (list buckets, create a bucket, put, get and list objects, errors selected by status
// code), the SQS tutorial's form-encoded SendMessage on a queue path, an action-style SendMessage, and
// Kinesis ListStreams (X-Amz-Target set by the gateway). The services are fakes on loopback that
// check every call's SigV4 signature with aws4, as AWS would; this suite runs its own worker, since
// endpoints and role credentials are worker settings (PORTICO_AWS_ENDPOINT_*, PORTICO_ROLE_CREDENTIALS).
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  GetResourcesCommand,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
  type PutIntegrationCommandInput,
} from '@aws-sdk/client-api-gateway';
import aws4 from 'aws4';
import type { RunningWorker } from '../../src/data-plane/worker.js';
import { endpoint, newClient } from '../helpers/client.js';
import { startTestWorker } from '../helpers/worker.js';
import { invoke, waitForStage } from '../helpers/invoke.js';

const ROLE = 'arn:aws:iam::123456789012:role/apigAwsProxyRole';
const FORGED_ROLE = 'arn:aws:iam::123456789012:role/forged';
const UNKNOWN_ROLE = 'arn:aws:iam::123456789012:role/nobody-maps-this';
const KEYS = { accessKeyId: 'AKIAAPIGATEWAYROLE01', secretAccessKey: 'role-secret-key' };

type Received = { method: string; path: string; query: URLSearchParams; headers: IncomingMessage['headers']; body: Buffer; service: string; region: string };

/**
 * A fake AWS service on loopback: it answers 403 SignatureDoesNotMatch (as AWS does) unless the call
 * is SigV4-signed for its service with the role's keys, and hands signed calls to `handle`.
 */
class FakeAwsService {
  readonly calls: Received[] = [];
  refused = 0;
  private server?: Server;
  url = '';

  constructor(
    private readonly service: string,
    private readonly handle: (call: Received, res: ServerResponse) => void,
  ) {}

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.receive(req, Buffer.concat(chunks), res));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }

  /** The scope of a valid signature, or undefined: re-signs the signed headers with aws4 and compares. */
  private verify(req: IncomingMessage, body: Buffer): { region: string } | undefined {
    const auth = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(req.headers.authorization ?? '');
    if (!auth || auth[1] !== KEYS.accessKeyId || auth[4] !== this.service) return undefined;
    const signedHeaders = auth[5]!.split(';');
    if (!signedHeaders.includes('host') || !signedHeaders.includes('x-amz-date')) return undefined;
    const headers = Object.fromEntries(signedHeaders.map((name) => [name, String(req.headers[name] ?? '')]));
    const resigned = aws4.sign({ host: req.headers.host, method: req.method, path: req.url, service: this.service, region: auth[3], headers, ...(body.length ? { body } : {}) }, KEYS);
    if ((resigned.headers as Record<string, string>).Authorization !== req.headers.authorization) return undefined;
    if (this.service === 's3' && req.headers['x-amz-content-sha256'] !== createHash('sha256').update(body).digest('hex')) return undefined;
    return { region: auth[3]! };
  }

  private receive(req: IncomingMessage, body: Buffer, res: ServerResponse) {
    const scope = this.verify(req, body);
    if (!scope) {
      this.refused++;
      res.writeHead(403, { 'content-type': 'application/xml' });
      res.end('<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided. Check your key and signing method.</Message></Error>');
      return;
    }
    const url = new URL(req.url!, 'http://fake');
    const call: Received = { method: req.method!, path: url.pathname, query: url.searchParams, headers: req.headers, body, service: this.service, region: scope.region };
    this.calls.push(call);
    this.handle(call, res);
  }
}

const xml = (res: ServerResponse, status: number, text: string) => res.writeHead(status, { 'content-type': 'application/xml' }).end(`<?xml version="1.0" encoding="UTF-8"?>\n${text}`);

/** Enough of S3 for the tutorial: buckets, objects, listings and S3's errors. */
function fakeS3(): FakeAwsService {
  const buckets = new Map<string, Map<string, { body: Buffer; contentType: string; acl?: string }>>();
  const noSuch = (res: ServerResponse, code: string, message: string) => xml(res, 404, `<Error><Code>${code}</Code><Message>${message}</Message></Error>`);
  return new FakeAwsService('s3', (call, res) => {
    const [bucketName, ...keyParts] = call.path.slice(1).split('/').map(decodeURIComponent);
    const key = keyParts.join('/');
    if (!bucketName) {
      const names = [...buckets.keys()].map((name) => `<Bucket><Name>${name}</Name></Bucket>`).join('');
      return xml(res, 200, `<ListAllMyBucketsResult><Buckets>${names}</Buckets></ListAllMyBucketsResult>`);
    }
    const bucket = buckets.get(bucketName);
    if (!key && call.method === 'PUT') {
      buckets.set(bucketName, bucket ?? new Map());
      return res.writeHead(200, { location: `/${bucketName}` }).end();
    }
    if (!bucket) return noSuch(res, 'NoSuchBucket', 'The specified bucket does not exist');
    if (!key) {
      const contents = [...bucket.keys()].map((k) => `<Contents><Key>${k}</Key></Contents>`).join('');
      return xml(res, 200, `<ListBucketResult><Name>${bucketName}</Name>${contents}</ListBucketResult>`);
    }
    if (call.method === 'PUT') {
      const acl = call.headers['x-amz-acl'] as string | undefined;
      bucket.set(key, { body: call.body, contentType: String(call.headers['content-type'] ?? 'binary/octet-stream'), ...(acl ? { acl } : {}) });
      return res.writeHead(200, { etag: `"${createHash('md5').update(call.body).digest('hex')}"` }).end();
    }
    const object = bucket.get(key);
    if (!object) return noSuch(res, 'NoSuchKey', 'The specified key does not exist.');
    if (call.method === 'DELETE') {
      bucket.delete(key);
      return res.writeHead(204).end();
    }
    return res.writeHead(200, { 'content-type': object.contentType, 'x-amz-acl-seen': object.acl ?? '' }).end(call.method === 'HEAD' ? undefined : object.body);
  });
}

/** SQS's query protocol: Action and its parameters in the query string or a form-encoded body. */
function fakeSqs(messages: { queue: string; body: string }[]): FakeAwsService {
  return new FakeAwsService('sqs', (call, res) => {
    const params = new URLSearchParams(call.query);
    if (String(call.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
      for (const [name, value] of new URLSearchParams(call.body.toString('utf8'))) params.append(name, value);
    }
    if (params.get('Action') !== 'SendMessage' || !params.get('MessageBody')) {
      return xml(res, 400, '<ErrorResponse><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>The action or operation requested is invalid.</Message></Error></ErrorResponse>');
    }
    const queue = call.path !== '/' ? call.path : new URL(params.get('QueueUrl') ?? 'http://x/').pathname;
    const body = params.get('MessageBody')!;
    messages.push({ queue, body });
    const md5 = createHash('md5').update(body).digest('hex');
    xml(res, 200, `<SendMessageResponse><SendMessageResult><MD5OfMessageBody>${md5}</MD5OfMessageBody><MessageId>${randomUUID()}</MessageId></SendMessageResult></SendMessageResponse>`);
  });
}

/** Kinesis's JSON protocol: the operation is the X-Amz-Target header. */
function fakeKinesis(): FakeAwsService {
  return new FakeAwsService('kinesis', (call, res) => {
    if (call.headers['x-amz-target'] !== 'Kinesis_20131202.ListStreams') {
      return res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' }).end('{"__type":"UnknownOperationException"}');
    }
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify({ StreamNames: ['orders', 'clicks'], HasMoreStreams: false, received: JSON.parse(call.body.toString('utf8') || 'null') }));
  });
}

describe('AWS service integrations', () => {
  const client = newClient();
  const cacheDir = mkdtempSync(join(tmpdir(), 'portico-aws-service-'));
  const s3 = fakeS3();
  const sqsMessages: { queue: string; body: string }[] = [];
  const sqs = fakeSqs(sqsMessages);
  const kinesis = fakeKinesis();
  let worker: RunningWorker;
  let workerUrl: string;
  let restApiId: string;
  let rootId: string;

  const resource = async (parentId: string, pathPart: string) => (await client.send(new CreateResourceCommand({ restApiId, parentId, pathPart }))).id!;

  /** A method integrated with an AWS service, with the tutorial's 200 / 4xx → 400 / 5xx → 500 responses. */
  async function method(resourceId: string, httpMethod: string, integration: Omit<PutIntegrationCommandInput, 'restApiId' | 'resourceId' | 'httpMethod' | 'type'>, headers: string[] = ['Content-Type']) {
    // The method request declares what the integration maps from it.
    const sources = Object.values(integration.requestParameters ?? {}).filter((source) => source.startsWith('method.request.'));
    const requestParameters = Object.fromEntries(sources.map((source) => [source, source.startsWith('method.request.path.')]));
    await client.send(new PutMethodCommand({ restApiId, resourceId, httpMethod, authorizationType: 'NONE', requestParameters }));
    await client.send(new PutIntegrationCommand({ restApiId, resourceId, httpMethod, type: 'AWS', passthroughBehavior: 'WHEN_NO_MATCH', ...integration }));
    const responseParameters = Object.fromEntries(headers.map((h) => [`method.response.header.${h}`, false]));
    for (const statusCode of ['200', '400', '500']) {
      await client.send(new PutMethodResponseCommand({ restApiId, resourceId, httpMethod, statusCode, ...(statusCode === '200' ? { responseParameters } : {}) }));
    }
    await client.send(new PutIntegrationResponseCommand({
      restApiId, resourceId, httpMethod, statusCode: '200', selectionPattern: '',
      responseParameters: Object.fromEntries(headers.map((h) => [`method.response.header.${h}`, `integration.response.header.${h}`])),
    }));
    await client.send(new PutIntegrationResponseCommand({ restApiId, resourceId, httpMethod, statusCode: '400', selectionPattern: '4\\d{2}' }));
    await client.send(new PutIntegrationResponseCommand({ restApiId, resourceId, httpMethod, statusCode: '500', selectionPattern: '5\\d{2}' }));
  }

  const call = (path: string, init: RequestInit = {}) => invoke(restApiId, 'test', path, init, workerUrl);

  before(async () => {
    await Promise.all([s3.start(), sqs.start(), kinesis.start()]);
    worker = await startTestWorker(cacheDir, {
      awsEndpoints: { s3: s3.url, sqs: sqs.url, kinesis: kinesis.url },
      // No fallback: a role that is not listed has no credentials, whatever AWS_* this process has.
      roleCredentials: { roles: { [ROLE]: KEYS, [FORGED_ROLE]: { ...KEYS, secretAccessKey: 'not-the-secret' } }, fallback: undefined },
    });
    workerUrl = `http://127.0.0.1:${worker.port}`;

    restApiId = (await client.send(new CreateRestApiCommand({ name: 'MyS3', binaryMediaTypes: ['image/png'] }))).id!;
    rootId = (await client.send(new GetResourcesCommand({ restApiId }))).items!.find((r) => r.path === '/')!.id!;

    // The S3 proxy of the tutorial: GET / lists buckets, /{folder} a bucket, /{folder}/{item} an object.
    await method(rootId, 'GET', { integrationHttpMethod: 'GET', uri: 'arn:aws:apigateway:us-west-2:s3:path//', credentials: ROLE }, ['Content-Type', 'Timestamp']);
    await client.send(new PutIntegrationResponseCommand({
      restApiId, resourceId: rootId, httpMethod: 'GET', statusCode: '200', selectionPattern: '',
      responseParameters: { 'method.response.header.Content-Type': 'integration.response.header.Content-Type', 'method.response.header.Timestamp': 'integration.response.header.Date' },
    }));
    const folder = await resource(rootId, '{folder}');
    const bucketPath = { uri: 'arn:aws:apigateway:us-west-2:s3:path/{bucket}', credentials: ROLE, requestParameters: { 'integration.request.path.bucket': 'method.request.path.folder' } };
    await method(folder, 'GET', { integrationHttpMethod: 'GET', ...bucketPath });
    await method(folder, 'PUT', { integrationHttpMethod: 'PUT', ...bucketPath });
    const item = await resource(folder, '{item}');
    const objectPath = (credentials: string) => ({
      uri: 'arn:aws:apigateway:us-west-2:s3:path/{bucket}/{object}',
      credentials,
      requestParameters: { 'integration.request.path.bucket': 'method.request.path.folder', 'integration.request.path.object': 'method.request.path.item' },
    });
    await method(item, 'GET', { integrationHttpMethod: 'GET', ...objectPath(ROLE) });
    await method(item, 'PUT', {
      integrationHttpMethod: 'PUT',
      ...objectPath(ROLE),
      requestParameters: {
        ...objectPath(ROLE).requestParameters,
        'integration.request.header.x-amz-acl': "'authenticated-read'",
        'integration.request.header.Content-Type': 'method.request.header.Content-Type',
      },
    });
    await method(item, 'DELETE', { integrationHttpMethod: 'DELETE', ...objectPath(ROLE) });

    // Calls that cannot be signed as AWS expects: a wrong secret, a role nobody maps, a service with no endpoint.
    const failures = await resource(rootId, 'failures');
    await method(await resource(failures, 'forged'), 'GET', { integrationHttpMethod: 'GET', uri: 'arn:aws:apigateway:us-west-2:s3:path/', credentials: FORGED_ROLE });
    await method(await resource(failures, 'unmapped-role'), 'GET', { integrationHttpMethod: 'GET', uri: 'arn:aws:apigateway:us-west-2:s3:path/', credentials: UNKNOWN_ROLE });
    await method(await resource(failures, 'no-endpoint'), 'POST', { integrationHttpMethod: 'POST', uri: 'arn:aws:apigateway:us-west-2:sns:action/Publish', credentials: ROLE });

    // SQS, as its tutorial sets it up: the queue's path, a form-encoded SendMessage from the body.
    const queue = await resource(rootId, 'queue');
    await method(queue, 'POST', {
      integrationHttpMethod: 'POST',
      uri: 'arn:aws:apigateway:us-east-1:sqs:path/123456789012/orders',
      credentials: ROLE,
      requestParameters: { 'integration.request.header.Content-Type': "'application/x-www-form-urlencoded'" },
      requestTemplates: { 'application/json': 'Action=SendMessage&MessageBody=$util.urlEncode($input.body)' },
      passthroughBehavior: 'NEVER',
    });
    // The action form: SendMessage with its parameters in the query string.
    const send = await resource(rootId, 'send');
    await method(send, 'GET', {
      integrationHttpMethod: 'GET',
      uri: 'arn:aws:apigateway:us-east-1:sqs:action/SendMessage',
      credentials: ROLE,
      requestParameters: {
        'integration.request.querystring.QueueUrl': "'https://sqs.us-east-1.amazonaws.com/123456789012/clicks'",
        'integration.request.querystring.MessageBody': 'method.request.querystring.message',
      },
    });
    // Kinesis ListStreams as the Kinesis tutorial sets it up.
    const streams = await resource(rootId, 'streams');
    await method(streams, 'GET', {
      integrationHttpMethod: 'POST',
      uri: 'arn:aws:apigateway:us-east-1:kinesis:action/ListStreams',
      credentials: ROLE,
      requestParameters: { 'integration.request.header.Content-Type': "'application/x-amz-json-1.1'" },
      requestTemplates: { 'application/json': '{\n}' },
    });

    await client.send(new CreateDeploymentCommand({ restApiId, stageName: 'test' }));
    await waitForStage(restApiId, 'test', '/', 10_000, workerUrl);
  });

  after(async () => {
    await worker?.stop();
    await Promise.all([s3.stop(), sqs.stop(), kinesis.stop()]);
    rmSync(cacheDir, { recursive: true, force: true });
  });

  it('creates a bucket, puts and gets an object, and lists both, signed for S3 with the role\'s keys', async () => {
    const created = await call('/photos', { method: 'PUT' });
    assert.equal(created.status, 200, created.body);

    const put = await call('/photos/note.txt', { method: 'PUT', headers: { 'content-type': 'text/plain' }, body: 'hello from API Gateway' });
    assert.equal(put.status, 200, put.body);
    const stored = s3.calls.at(-1)!;
    assert.equal(stored.method, 'PUT');
    assert.equal(stored.path, '/photos/note.txt');
    assert.equal(stored.region, 'us-west-2');
    assert.equal(stored.headers['x-amz-acl'], 'authenticated-read');
    assert.equal(stored.headers['content-type'], 'text/plain');

    const got = await call('/photos/note.txt');
    assert.equal(got.status, 200);
    assert.equal(got.body, 'hello from API Gateway');
    assert.equal(got.headers.get('content-type'), 'text/plain');

    const listing = await call('/photos');
    assert.equal(listing.status, 200);
    assert.match(listing.body, /<ListBucketResult><Name>photos<\/Name><Contents><Key>note\.txt<\/Key><\/Contents><\/ListBucketResult>/);
    assert.equal(listing.headers.get('content-type'), 'application/xml');

    const buckets = await call('/');
    assert.equal(buckets.status, 200);
    assert.match(buckets.body, /<Bucket><Name>photos<\/Name><\/Bucket>/);
    assert.ok(buckets.headers.get('timestamp'), 'Timestamp is mapped from the service\'s Date header');
    assert.equal(s3.refused, 0);
  });

  it('passes binary objects through unchanged', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0x80, 0x7f]);
    await call('/images', { method: 'PUT' });
    const put = await call('/images/dot.png', { method: 'PUT', headers: { 'content-type': 'image/png' }, body: png });
    assert.equal(put.status, 200, put.body);
    assert.deepEqual(s3.calls.at(-1)!.body, png);
    const res = await fetch(`${workerUrl}/restapis/${restApiId}/test/_user_request_/images/dot.png`, { headers: { accept: 'image/png' } });
    assert.equal(res.status, 200);
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), png);
  });

  it('selects the integration response by the service\'s status code: S3\'s 404 NoSuchKey becomes 400', async () => {
    const missing = await call('/photos/nothing-here.txt');
    assert.equal(missing.status, 400);
    assert.match(missing.body, /<Code>NoSuchKey<\/Code>/);
    const deleted = await call('/photos/note.txt', { method: 'DELETE' });
    assert.equal(deleted.status, 200);
    assert.equal((await call('/photos/note.txt')).status, 400);
  });

  it('sends SQS a form-encoded SendMessage built by the request template', async () => {
    const order = { item: 'book', quantity: 2, note: 'a&b=c' };
    const res = await call('/queue', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(order) });
    assert.equal(res.status, 200, res.body);
    assert.match(res.body, /<SendMessageResponse><SendMessageResult><MD5OfMessageBody>[0-9a-f]{32}<\/MD5OfMessageBody>/);
    assert.deepEqual(sqsMessages.at(-1), { queue: '/123456789012/orders', body: JSON.stringify(order) });
    const received = sqs.calls.at(-1)!;
    assert.equal(received.region, 'us-east-1');
    assert.equal(received.headers['content-type'], 'application/x-www-form-urlencoded');
  });

  it('calls an action with Action and the mapped parameters in the query string', async () => {
    const res = await call('/send?message=hello%20there');
    assert.equal(res.status, 200, res.body);
    const received = sqs.calls.at(-1)!;
    assert.equal(received.method, 'GET');
    assert.equal(received.path, '/');
    assert.equal(received.query.get('Action'), 'SendMessage');
    assert.equal(received.query.get('QueueUrl'), 'https://sqs.us-east-1.amazonaws.com/123456789012/clicks');
    assert.deepEqual(sqsMessages.at(-1), { queue: '/123456789012/clicks', body: 'hello there' });
  });

  it('addresses a JSON-protocol action with X-Amz-Target, as for Kinesis ListStreams', async () => {
    const res = await call('/streams');
    assert.equal(res.status, 200, res.body);
    assert.deepEqual(JSON.parse(res.body), { StreamNames: ['orders', 'clicks'], HasMoreStreams: false, received: {} });
    assert.equal(kinesis.calls.at(-1)!.query.get('Action'), 'ListStreams');
    assert.equal(kinesis.refused, 0);
  });

  it('signs with the keys the role maps to: the service refuses a wrong secret (403 → 400)', async () => {
    const before = s3.refused;
    const res = await call('/failures/forged');
    assert.equal(res.status, 400);
    assert.match(res.body, /SignatureDoesNotMatch/);
    assert.equal(s3.refused, before + 1);
  });

  it('answers 500 Internal server error for a role without credentials, without calling the service', async () => {
    const calls = s3.calls.length + s3.refused;
    const res = await call('/failures/unmapped-role');
    assert.equal(res.status, 500);
    assert.deepEqual(JSON.parse(res.body), { message: 'Internal server error' });
    assert.equal(res.headers.get('x-amzn-errortype'), 'ApiConfigurationException');
    assert.equal(s3.calls.length + s3.refused, calls);
  });

  it('answers 500 Internal server error for a service with no endpoint set', async () => {
    const res = await call('/failures/no-endpoint', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    assert.equal(res.status, 500);
    assert.deepEqual(JSON.parse(res.body), { message: 'Internal server error' });
    assert.equal(res.headers.get('x-amzn-errortype'), 'ApiConfigurationException');
  });
});
