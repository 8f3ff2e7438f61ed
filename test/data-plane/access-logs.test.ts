// Access logging and execution logging, as the Developer Guide's "Set up CloudWatch API logging"
// configures them: the console's CLF, JSON, XML and CSV access log formats on four stages, each
// destination ARN mapped to a file by PORTICO_ACCESS_LOG_DESTINATIONS (an unmapped one lands in the
// worker's log), and execution logs at INFO and ERROR with data traces that never show credentials.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  CreateStageCommand,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
  UpdateStageCommand,
  type PatchOperation,
} from '@aws-sdk/client-api-gateway';
import { endpoint, newClient } from '../helpers/client.js';
import { invoke, waitForStage, type Invocation } from '../helpers/invoke.js';
import { eventually, freePort, healthy, startProcess, type PorticoProcess } from '../helpers/processes.js';

// The Developer Guide's example formats, character for character as the console offers them (CLF has no space after `]`).
const FORMATS = {
  clf: '$context.identity.sourceIp $context.identity.caller $context.identity.user [$context.requestTime]"$context.httpMethod $context.resourcePath $context.protocol" $context.status $context.responseLength $context.requestId $context.extendedRequestId',
  json: '{ "requestId":"$context.requestId", "extendedRequestId":"$context.extendedRequestId","ip": "$context.identity.sourceIp", "caller":"$context.identity.caller", "user":"$context.identity.user", "requestTime":"$context.requestTime", "httpMethod":"$context.httpMethod", "resourcePath":"$context.resourcePath", "status":"$context.status", "protocol":"$context.protocol", "responseLength":"$context.responseLength" }',
  xml: '<request id="$context.requestId"> <extendedRequestId>$context.extendedRequestId</extendedRequestId> <ip>$context.identity.sourceIp</ip> <caller>$context.identity.caller</caller> <user>$context.identity.user</user> <requestTime>$context.requestTime</requestTime> <httpMethod>$context.httpMethod</httpMethod> <resourcePath>$context.resourcePath</resourcePath> <status>$context.status</status> <protocol>$context.protocol</protocol> <responseLength>$context.responseLength</responseLength> </request>',
  csv: '$context.identity.sourceIp,$context.identity.caller,$context.identity.user,$context.requestTime,$context.httpMethod,$context.resourcePath,$context.protocol,$context.status,$context.responseLength,$context.requestId,$context.extendedRequestId',
};
type Format = keyof typeof FORMATS;
const BODY = '{"pets": []}';
const CLF_TIME = /^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/;

const client = newClient();
const dir = mkdtempSync(join(tmpdir(), 'portico-access-logs-'));
const logGroup = (name: string) => `arn:aws:logs:us-east-1:${client.accountId}:log-group:${name}`;
const suffix = randomBytes(4).toString('hex');
let restApiId: string;
let worker: PorticoProcess;
let workerUrl: string;

const fileOf = (format: Format) => join(dir, `${format}.log`);
const call = (stage: string, path: string, init: RequestInit = {}) => invoke(restApiId, stage, path, init, workerUrl);

/** The file's line for the request, once the worker has written it. */
function lineFor(format: Format, requestId: string): Promise<string> {
  return eventually(() => {
    let text = '';
    try {
      text = readFileSync(fileOf(format), 'utf8');
    } catch {
      return undefined;
    }
    return text.split('\n').find((line) => line.includes(requestId));
  }, `${format} access log line of ${requestId}`);
}

/** The worker's JSON log entries of `log` type for the request. */
function entriesFor(log: string, requestId: string): Record<string, unknown>[] {
  return worker.stdout
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((entry) => entry.log === log && entry.requestId === requestId);
}

async function updateStage(stageName: string, ...patchOperations: PatchOperation[]) {
  await client.send(new UpdateStageCommand({ restApiId, stageName, patchOperations }));
}

describe('access and execution logs', () => {
  before(async () => {
    const api = await client.send(new CreateRestApiCommand({ name: 'logged' }));
    restApiId = api.id!;
    const pets = await client.send(new CreateResourceCommand({ restApiId, parentId: api.rootResourceId!, pathPart: 'pets' }));
    for (const httpMethod of ['GET', 'POST']) {
      const resourceId = pets.id!;
      await client.send(new PutMethodCommand({ restApiId, resourceId, httpMethod, authorizationType: 'NONE' }));
      await client.send(new PutIntegrationCommand({ restApiId, resourceId, httpMethod, type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
      await client.send(new PutMethodResponseCommand({ restApiId, resourceId, httpMethod, statusCode: '200' }));
      await client.send(new PutIntegrationResponseCommand({ restApiId, resourceId, httpMethod, statusCode: '200', responseTemplates: { 'application/json': BODY } }));
    }
    const deployment = await client.send(new CreateDeploymentCommand({ restApiId, stageName: 'clf' }));
    for (const stageName of ['json', 'xml', 'csv', 'unmapped', 'stdout', 'errors']) {
      await client.send(new CreateStageCommand({ restApiId, stageName, deploymentId: deployment.id! }));
    }
    for (const format of Object.keys(FORMATS) as Format[]) {
      await updateStage(format,
        // CloudWatch shows log group ARNs ending in `:*`; either form names the group.
        { op: 'replace', path: '/accessLogSettings/destinationArn', value: logGroup(`${format}-${suffix}`) + (format === 'xml' ? ':*' : '') },
        { op: 'replace', path: '/accessLogSettings/format', value: FORMATS[format] });
    }
    await updateStage('unmapped',
      { op: 'replace', path: '/accessLogSettings/destinationArn', value: logGroup(`elsewhere-${suffix}`) },
      { op: 'replace', path: '/accessLogSettings/format', value: '$context.requestId $context.status' });
    await updateStage('stdout',
      { op: 'replace', path: '/accessLogSettings/destinationArn', value: logGroup(`stdout-${suffix}`) },
      { op: 'replace', path: '/accessLogSettings/format', value: 'stdout-line $context.requestId $context.status' });
    await updateStage('clf', { op: 'replace', path: '/*/*/logging/loglevel', value: 'INFO' }, { op: 'replace', path: '/*/*/logging/dataTrace', value: 'true' });
    await updateStage('errors', { op: 'replace', path: '/*/*/logging/loglevel', value: 'ERROR' });

    // Destinations by full ARN (CLF, JSON; XML's stage names it with `:*`) and by log group name (CSV).
    const destinations = {
      [logGroup(`clf-${suffix}`)]: fileOf('clf'),
      [logGroup(`json-${suffix}`)]: fileOf('json'),
      [logGroup(`xml-${suffix}`)]: fileOf('xml'),
      [`csv-${suffix}`]: fileOf('csv'),
      [`stdout-${suffix}`]: 'stdout',
    };
    const port = await freePort();
    workerUrl = `http://127.0.0.1:${port}`;
    worker = startProcess('src/data-plane/main.ts', {
      PORTICO_DATA_PORT: String(port),
      PORTICO_CONTROL_PLANE_URL: endpoint,
      PORTICO_CLUSTER_SECRET: process.env.PORTICO_TEST_CLUSTER_SECRET!,
      PORTICO_DATA_DIR: join(dir, 'worker'),
      PORTICO_ACCESS_LOG_DESTINATIONS: JSON.stringify(destinations),
    });
    await healthy(`${workerUrl}/_portico/ready`, 120_000);
    for (const stage of ['clf', 'json', 'xml', 'csv', 'unmapped', 'stdout', 'errors']) await waitForStage(restApiId, stage, '/pets', 5000, workerUrl);
  });

  after(async () => {
    if (worker?.child.exitCode === null) {
      worker.child.kill('SIGTERM');
      await worker.exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  const requestIdOf = (r: Invocation) => r.headers.get('x-amzn-requestid')!;

  it('writes the Common Log Format', async () => {
    const r = await call('clf', '/pets');
    assert.equal(r.status, 200);
    const line = await lineFor('clf', requestIdOf(r));
    const match = /^(\S+) (\S+) (\S+) \[([^\]]+)\]"(\S+) (\S+) (\S+)" (\d+) (\S+) (\S+) (\S+)$/.exec(line);
    assert.ok(match, line);
    const [, ip, caller, user, time, method, resourcePath, protocol, status, length, requestId, extendedRequestId] = match;
    assert.deepEqual([ip, caller, user, method, resourcePath, protocol, status, length], ['127.0.0.1', '-', '-', 'GET', '/pets', 'HTTP/1.1', '200', String(BODY.length)]);
    assert.match(time!, CLF_TIME);
    assert.equal(requestId, requestIdOf(r));
    assert.equal(extendedRequestId, r.headers.get('x-amz-apigw-id'));
  });

  it('writes the JSON format', async () => {
    const r = await call('json', '/pets');
    const entry = JSON.parse(await lineFor('json', requestIdOf(r)));
    assert.deepEqual({ ...entry, requestTime: undefined }, {
      requestId: requestIdOf(r), extendedRequestId: r.headers.get('x-amz-apigw-id'), ip: '127.0.0.1', caller: '-', user: '-', requestTime: undefined,
      httpMethod: 'GET', resourcePath: '/pets', status: '200', protocol: 'HTTP/1.1', responseLength: String(BODY.length),
    });
    assert.match(entry.requestTime, CLF_TIME);
  });

  it('writes the XML format', async () => {
    const r = await call('xml', '/pets');
    const line = await lineFor('xml', requestIdOf(r));
    assert.ok(line.startsWith(`<request id="${requestIdOf(r)}"> <extendedRequestId>${r.headers.get('x-amz-apigw-id')}</extendedRequestId> <ip>127.0.0.1</ip> <caller>-</caller> <user>-</user> <requestTime>`), line);
    assert.ok(line.endsWith(`</requestTime> <httpMethod>GET</httpMethod> <resourcePath>/pets</resourcePath> <status>200</status> <protocol>HTTP/1.1</protocol> <responseLength>${BODY.length}</responseLength> </request>`), line);
  });

  it('writes the CSV format, errors included', async () => {
    const r = await call('csv', '/nowhere');
    assert.equal(r.status, 403);
    const fields = (await lineFor('csv', requestIdOf(r))).split(',');
    assert.equal(fields.length, 11);
    assert.match(fields[3]!, CLF_TIME);
    assert.deepEqual([...fields.slice(0, 3), ...fields.slice(4, 9)], ['127.0.0.1', '-', '-', 'GET', '-', 'HTTP/1.1', '403', String(r.body.length)]);
    assert.equal(fields[9], requestIdOf(r));
  });

  it('writes lines of unmapped destinations to the worker log as JSON entries', async () => {
    const r = await call('unmapped', '/pets');
    const [entry] = await eventually(() => {
      const found = entriesFor('access', requestIdOf(r));
      return found.length ? found : undefined;
    }, 'access log entry on stdout');
    assert.equal(entry!.msg, `${requestIdOf(r)} 200`);
    assert.equal(entry!.destinationArn, logGroup(`elsewhere-${suffix}`));
  });

  it('writes lines as formatted to stdout when the destination maps to it', async () => {
    const r = await call('stdout', '/pets');
    const line = await eventually(() => worker.stdout.find((l) => l.includes(requestIdOf(r))), 'access log line on stdout');
    assert.equal(line, `stdout-line ${requestIdOf(r)} 200`);
  });

  it('logs executions at INFO with data traces: bodies truncated, credentials redacted', async () => {
    const big = JSON.stringify({ filler: 'x'.repeat(3000) });
    const r = await call('clf', '/pets', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer very-secret-token', 'x-api-key': 'very-secret-api-key' },
      body: big,
    });
    assert.equal(r.status, 200);
    const [entry] = await eventually(() => {
      const found = entriesFor('execution', requestIdOf(r));
      return found.length ? found : undefined;
    }, 'execution log entry');
    assert.equal(entry!.msg, 'Method completed with status: 200');
    assert.equal(entry!.resourcePath, '/pets');
    assert.equal(entry!.status, 200);
    const request = entry!.methodRequest as { headers: Record<string, string>; body: string };
    assert.equal(request.headers.authorization, '[redacted]');
    assert.equal(request.headers['x-api-key'], '[redacted]');
    assert.equal(request.body, `${big.slice(0, 1024)} [TRUNCATED]`);
    assert.equal((entry!.methodResponse as { body: string }).body, BODY);
    assert.ok(!worker.stdout.some((line) => line.includes('very-secret')), 'no credential reaches the log');
  });

  it('logs only failed executions at ERROR, without data', async () => {
    const ok = await call('errors', '/pets');
    const failed = await call('errors', '/nowhere');
    const [entry] = await eventually(() => {
      const found = entriesFor('execution', requestIdOf(failed));
      return found.length ? found : undefined;
    }, 'execution log entry of the failure');
    assert.equal(entry!.status, 403);
    assert.deepEqual(entry!.error, { message: 'Missing Authentication Token', responseType: 'MISSING_AUTHENTICATION_TOKEN' });
    assert.equal(entry!.methodRequest, undefined);
    assert.deepEqual(entriesFor('execution', requestIdOf(ok)), []);
  });
});
