// The client of Lambda's Invoke API (PORTICO_LAMBDA_ENDPOINT), against a stand-in Lambda on
// loopback: the request it sends, its SigV4 signature, and how it reads Lambda's answers.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { LambdaInvokeClient } from '../../src/data-plane/lambda/invoke-client.js';
import { parseAuthorization, verifySignature } from '../../src/shared/sigv4.js';

type Received = { req: IncomingMessage; body: Buffer };

let server: Server;
let endpoint: string;
const received: Received[] = [];
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };

before(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ req, body: Buffer.concat(chunks) });
      const name = decodeURIComponent(req.url!).split(':function:')[1]?.split('/')[0];
      if (name === 'ok') res.writeHead(200, { 'x-amz-executed-version': '$LATEST' }).end('{"c": 3}');
      else if (name === 'fails') res.writeHead(200, { 'x-amz-function-error': 'Unhandled' }).end('{"errorMessage": "boom"}');
      else if (name === 'slow') setTimeout(() => res.end('late'), 1000);
      else res.writeHead(404, { 'x-amzn-errortype': 'ResourceNotFoundException:http://internal.amazon.com/coral/com.amazonaws.awslambda/' }).end('{"Type":"User","Message":"Function not found"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => new Promise((resolve) => server.close(resolve)));

const arn = (name: string) => `arn:aws:lambda:us-west-2:123456789012:function:${name}`;

describe('the Invoke API client', () => {
  it('POSTs the payload to the function, signed for lambda in its region', async () => {
    const client = new LambdaInvokeClient(`${endpoint}/lambda-prefix`, 'us-east-1', credentials);
    const result = await client.invoke({ functionArn: arn('ok'), payload: Buffer.from('{"a": 1, "b": 2}') });
    await client.close();
    assert.deepEqual(result, { statusCode: 200, payload: Buffer.from('{"c": 3}') });
    const { req, body } = received.at(-1)!;
    assert.equal(req.method, 'POST');
    assert.equal(req.url, `/lambda-prefix/2015-03-31/functions/${encodeURIComponent(arn('ok'))}/invocations`);
    assert.equal(req.headers['x-amz-invocation-type'], 'RequestResponse');
    assert.equal(body.toString(), '{"a": 1, "b": 2}');
    const signed = { method: req.method!, rawPath: req.url!, rawQuery: '', headers: req.headers, body };
    const auth = parseAuthorization(signed);
    assert.deepEqual([auth.accessKeyId, auth.region, auth.service], ['AKIDEXAMPLE', 'us-west-2', 'lambda']);
    verifySignature(signed, auth, credentials.secretAccessKey);
  });

  it("reads the function's error and the API's refusals", async () => {
    const client = new LambdaInvokeClient(endpoint, 'us-east-1', credentials);
    const failed = await client.invoke({ functionArn: arn('fails'), payload: Buffer.from('{}'), invocationType: 'RequestResponse' });
    assert.deepEqual([failed.statusCode, failed.functionError], [200, 'Unhandled']);
    const missing = await client.invoke({ functionArn: arn('missing'), payload: Buffer.from('{}') });
    assert.deepEqual([missing.statusCode, missing.errorType], [404, 'ResourceNotFoundException']);
    await client.close();
  });

  it('sends the invocation type and gives up when its caller does', async () => {
    const client = new LambdaInvokeClient(endpoint, 'us-east-1', undefined);
    await assert.rejects(client.invoke({ functionArn: arn('slow'), payload: Buffer.from('{}'), invocationType: 'Event', signal: AbortSignal.timeout(100) }));
    assert.equal(received.at(-1)?.req.headers['x-amz-invocation-type'], 'Event');
    assert.equal(received.at(-1)?.req.headers.authorization, undefined);
    await client.close();
  });
});
