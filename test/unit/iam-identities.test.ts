// The identities file (PORTICO_IAM_IDENTITIES_FILE) and SigV4 authentication of execute-api calls in
// both PORTICO_AUTH modes.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import aws4 from 'aws4';
import { readIdentitiesFile } from '../../src/control-plane/account/identities.js';
import { authenticate, compileIdentities, identityDecision } from '../../src/data-plane/auth/iam.js';
import type { InvocationContext } from '../../src/data-plane/pipeline/context.js';
import { GatewayError } from '../../src/data-plane/pipeline/errors.js';
import type { WorkerIdentities } from '../../src/shared/worker-config.js';

const dir = mkdtempSync(join(tmpdir(), 'portico-identities-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function file(content: unknown): string {
  const path = join(dir, `${Math.random()}.json`);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

const secret = 'very-secret-value';
const user = { accessKeyId: 'AKIAUSER0000000001', secretAccessKey: secret, accountId: '111122223333', userName: 'dana' };

describe('readIdentitiesFile', () => {
  it('derives the ARN and a unique id, and parses policies given as JSON text', () => {
    const [identity] = readIdentitiesFile(file([{ ...user, policies: ['{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}'] }]));
    assert.equal(identity!.arn, 'arn:aws:iam::111122223333:user/dana');
    assert.equal(identity!.userName, 'dana');
    assert.match(identity!.principalId, /^AIDA[0-9A-F]{17}$/);
    assert.deepEqual(identity!.policies, [{ Statement: { Effect: 'Allow', Action: '*', Resource: '*' } }]);
    const [byArn] = readIdentitiesFile(file([{ ...user, userName: undefined, arn: 'arn:aws:iam::111122223333:user/ops/erin', userId: 'AIDAEXAMPLE' }]));
    assert.equal(byArn!.userName, 'erin');
    assert.equal(byArn!.principalId, 'AIDAEXAMPLE');
  });

  it('refuses malformed entries without quoting secrets', () => {
    const bad: unknown[] = [
      '[',
      { not: 'a list' },
      [{ ...user, accountId: '1234' }],
      [{ ...user, secretAccessKey: '' }],
      [{ ...user, userName: undefined }],
      [{ ...user, userName: undefined, arn: 'arn:aws:iam::999999999999:user/dana' }],
      [{ ...user, policies: {} }],
      [{ ...user, policies: ['not json'] }],
      [user, user],
    ];
    for (const content of bad) {
      assert.throws(
        () => readIdentitiesFile(file(content)),
        (err: Error) => err.message.startsWith('PORTICO_IAM_IDENTITIES_FILE') && !err.message.includes(secret),
        JSON.stringify(content),
      );
    }
  });
});

function signedContext(credentials: { accessKeyId: string; secretAccessKey: string }, tamper?: (headers: Record<string, string>) => void): InvocationContext {
  const path = '/restapis/abc/test/_user_request_/pets';
  const signed = aws4.sign({ host: 'localhost:4568', method: 'GET', path, service: 'execute-api', region: 'us-east-1' }, credentials);
  const headers = Object.fromEntries(Object.entries(signed.headers!).map(([k, v]) => [k.toLowerCase(), String(v)]));
  headers.host = 'localhost:4568';
  tamper?.(headers);
  const multi = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]]));
  return { httpMethod: 'GET', headers: multi, received: { path, query: '', body: Buffer.alloc(0) } } as unknown as InvocationContext;
}

const rejects = (fn: () => unknown, errorType: string) =>
  assert.throws(fn, (e: unknown) => e instanceof GatewayError && (e.statusCode ?? 403) === 403 && (e.options.errorType ?? e.type) === errorType);

describe('authenticate (execute-api SigV4)', () => {
  const identities = (mode: WorkerIdentities['mode']) =>
    compileIdentities({ mode, credentials: [{ ...user, arn: 'arn:aws:iam::111122223333:user/dana', principalId: 'AIDADANA', policies: [{ Statement: { Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*' } }, { Statement: { Effect: 'Oops' } }] }] });

  it('verifies known keys in both modes', () => {
    for (const mode of ['open', 'sigv4'] as const) {
      const caller = authenticate(signedContext(user), identities(mode), 'us-east-1');
      assert.equal(caller.arn, 'arn:aws:iam::111122223333:user/dana');
      rejects(() => authenticate(signedContext({ ...user, secretAccessKey: 'wrong' }), identities(mode), 'us-east-1'), 'InvalidSignatureException');
    }
  });

  it('a malformed identity policy grants nothing, the others still apply', () => {
    const caller = authenticate(signedContext(user), identities('sigv4'), 'us-east-1');
    assert.equal(caller.policies.length, 1);
    assert.equal(identityDecision(caller, { action: 'execute-api:Invoke', resource: 'arn:aws:execute-api:us-east-1:111122223333:abc/test/GET/pets', conditions: {} }), 'Allow');
  });

  it('open mode accepts an unknown key unverified, as the root of its account', () => {
    const caller = authenticate(signedContext({ accessKeyId: '444455556666', secretAccessKey: 'anything' }), identities('open'), 'us-east-1');
    assert.equal(caller.arn, 'arn:aws:iam::444455556666:root');
    assert.equal(authenticate(signedContext({ accessKeyId: 'AKIAOTHER', secretAccessKey: 'x' }), identities('open'), 'us-east-1').accountId, '000000000000');
    rejects(() => authenticate(signedContext({ accessKeyId: 'AKIAOTHER', secretAccessKey: 'x' }, (h) => delete h.authorization), identities('open'), 'us-east-1'), 'MISSING_AUTHENTICATION_TOKEN');
  });

  it('sigv4 mode refuses an unknown key', () => {
    rejects(() => authenticate(signedContext({ accessKeyId: '444455556666', secretAccessKey: 'anything' }), identities('sigv4'), 'us-east-1'), 'UnrecognizedClientException');
  });

  it('refuses a credential scope whose date is not the signing date', () => {
    const ctx = signedContext(user, (h) => {
      h.authorization = h.authorization!.replace(/Credential=([^/]+)\/\d{8}\//, 'Credential=$1/20000101/');
    });
    assert.throws(() => authenticate(ctx, identities('sigv4'), 'us-east-1'), /^Error: Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20000101' != '\d{8}', from '\d{8}T\d{6}Z'\.$/);
  });
});
