// Management API authentication: open mode takes the account from the key; sigv4 mode verifies
// signatures against stored credentials and answers forged requests with AWS's errors.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { APIGatewayClient, CreateRestApiCommand, GetRestApisCommand } from '@aws-sdk/client-api-gateway';
import { startControlPlane, type RunningControlPlane } from '../../src/control-plane/server.js';
import { endpoint, expectError } from '../helpers/client.js';

const root = { accessKeyId: '210987654321', secretAccessKey: 'portico-test-root-secret' };

function client(url: string, accessKeyId: string, secretAccessKey: string, systemClockOffset = 0) {
  return new APIGatewayClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId, secretAccessKey }, maxAttempts: 1, systemClockOffset });
}

describe('open mode', () => {
  it('refuses unsigned calls with Missing Authentication Token', async () => {
    const res = await fetch(`${endpoint}/restapis`);
    assert.equal(res.status, 403);
    assert.equal(res.headers.get('x-amzn-errortype'), 'MissingAuthenticationTokenException');
    assert.deepEqual(await res.json(), { message: 'Missing Authentication Token' });
  });

  it('maps a non-numeric access key id to account 000000000000', async () => {
    const c = client(endpoint, 'AKIAEXAMPLE', 'whatever');
    const api = await c.send(new CreateRestApiCommand({ name: 'default-account' }));
    const list = await c.send(new GetRestApisCommand({ limit: 500 }));
    assert.ok(list.items?.some((i) => i.id === api.id));
  });
});

describe('sigv4 mode', () => {
  let server: RunningControlPlane;
  let url: string;
  before(async () => {
    server = await startControlPlane({
      port: 0,
      host: '127.0.0.1',
      databaseUrl: process.env.DATABASE_URL,
      clusterSecret: 'auth-test-cluster-secret',
      auth: { mode: 'sigv4', rootAccessKeyId: root.accessKeyId, rootSecretAccessKey: root.secretAccessKey },
    });
    url = `http://127.0.0.1:${server.port}`;
  });
  after(async () => server.stop());

  it('accepts the stored credentials', async () => {
    const api = await client(url, root.accessKeyId, root.secretAccessKey).send(new CreateRestApiCommand({ name: 'signed' }));
    assert.match(api.id!, /^[a-z0-9]{10}$/);
  });

  it('rejects a wrong secret, an unknown key and a skewed clock', async () => {
    await expectError(client(url, root.accessKeyId, 'wrong-secret').send(new GetRestApisCommand({})), 'InvalidSignatureException', 403, /signature we calculated does not match/);
    await expectError(client(url, '999999999999', root.secretAccessKey).send(new GetRestApisCommand({})), 'UnrecognizedClientException', 403, 'The security token included in the request is invalid.');
    await expectError(client(url, root.accessKeyId, root.secretAccessKey, 20 * 60 * 1000).send(new GetRestApisCommand({})), 'InvalidSignatureException', 403, /Signature not yet current: \d{8}T\d{6}Z is still later than \d{8}T\d{6}Z \(\d{8}T\d{6}Z \+ 15 min\.\)/);
    await expectError(client(url, root.accessKeyId, root.secretAccessKey, -20 * 60 * 1000).send(new GetRestApisCommand({})), 'InvalidSignatureException', 403, /Signature expired: \d{8}T\d{6}Z is now earlier than/);
  });

  it('rejects an altered body', async () => {
    const c = client(url, root.accessKeyId, root.secretAccessKey);
    c.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { body?: string };
        request.body = JSON.stringify({ name: 'tampered' });
        return next(args);
      },
      { step: 'finalizeRequest', priority: 'low', name: 'tamper' },
    );
    // The tamper runs after signing (finalizeRequest, low priority), so the signature no longer matches.
    await expectError(c.send(new CreateRestApiCommand({ name: 'original' })), 'InvalidSignatureException', 403);
  });
});
