// Client certificates as in "Generate and configure an SSL certificate for backend authentication":
// a real key pair and self-signed certificate per GenerateClientCertificate, the certificate (never
// the key) in every answer, description updates, tags, deletion; a stage that uses one puts it and
// its key in the worker config; accounts kept apart.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  CreateDeploymentCommand,
  CreateRestApiCommand,
  DeleteClientCertificateCommand,
  GenerateClientCertificateCommand,
  GetClientCertificateCommand,
  GetClientCertificatesCommand,
  GetTagsCommand,
  PutIntegrationCommand,
  PutMethodCommand,
  UpdateClientCertificateCommand,
  UpdateStageCommand,
} from '@aws-sdk/client-api-gateway';
import jwt from 'jsonwebtoken';
import { endpoint, expectError, newClient } from '../helpers/client.js';
import type { WorkerConfig } from '../../src/shared/worker-config.js';

async function workerConfig(): Promise<WorkerConfig> {
  const token = jwt.sign({ sub: 'test-worker' }, process.env.PORTICO_TEST_CLUSTER_SECRET!, { algorithm: 'HS256', audience: 'portico-control-plane', expiresIn: '5m' });
  const res = await fetch(`${endpoint}/_portico/config?after=-1`, { headers: { authorization: `Bearer ${token}` } });
  return (await res.json()) as WorkerConfig;
}

describe('client certificates', () => {
  it('generates a real certificate valid for a year, without ever answering the key', async () => {
    const client = newClient();
    const generated = await client.send(new GenerateClientCertificateCommand({ description: 'backend auth', tags: { team: 'a' } }));
    assert.equal(generated.$metadata.httpStatusCode, 201);
    assert.match(generated.clientCertificateId!, /^[a-z0-9]{6}$/);
    assert.equal(generated.description, 'backend auth');
    assert.deepEqual(generated.tags, { team: 'a' });
    const pem = generated.pemEncodedCertificate!;
    assert.match(pem, /^-----BEGIN CERTIFICATE-----\r?\n/);
    const x509 = new X509Certificate(pem);
    assert.ok(x509.verify(x509.publicKey), 'self-signed');
    assert.equal(x509.publicKey.asymmetricKeyType, 'rsa');
    const days = (generated.expirationDate!.getTime() - generated.createdDate!.getTime()) / 86_400_000;
    assert.equal(days, 365);
    assert.ok(!JSON.stringify(generated).includes('PRIVATE KEY'));

    const read = await client.send(new GetClientCertificateCommand({ clientCertificateId: generated.clientCertificateId }));
    assert.equal(read.pemEncodedCertificate, pem);
    assert.deepEqual(read.tags, { team: 'a' });
    const tags = await client.send(new GetTagsCommand({ resourceArn: `arn:aws:apigateway:us-east-1::/clientcertificates/${generated.clientCertificateId}` }));
    assert.deepEqual(tags.tags, { team: 'a' });

    const second = await client.send(new GenerateClientCertificateCommand({}));
    assert.notEqual(second.pemEncodedCertificate, pem);
    assert.equal(second.description, undefined);
    const list = await client.send(new GetClientCertificatesCommand({}));
    assert.deepEqual(list.items?.map((c) => c.clientCertificateId), [generated.clientCertificateId, second.clientCertificateId]);
    assert.ok(list.items?.every((c) => c.pemEncodedCertificate?.startsWith('-----BEGIN CERTIFICATE-----')));
    const page = await client.send(new GetClientCertificatesCommand({ limit: 1 }));
    assert.equal(page.items?.length, 1);
    assert.ok(page.position);
  });

  it('updates the description and deletes, with AWS errors for unknown ids and paths', async () => {
    const client = newClient();
    const { clientCertificateId } = await client.send(new GenerateClientCertificateCommand({ description: 'old' }));
    const updated = await client.send(
      new UpdateClientCertificateCommand({ clientCertificateId, patchOperations: [{ op: 'replace', path: '/description', value: 'new' }] }),
    );
    assert.equal(updated.description, 'new');
    await expectError(
      client.send(new UpdateClientCertificateCommand({ clientCertificateId, patchOperations: [{ op: 'replace', path: '/pemEncodedCertificate', value: 'x' }] })),
      'BadRequestException',
      400,
      "Invalid patch path  '/pemEncodedCertificate' specified for op 'replace'. Must be one of: [/description]",
    );
    // Another account does not see it.
    await expectError(newClient().send(new GetClientCertificateCommand({ clientCertificateId })), 'NotFoundException', 404, 'Invalid Client Certificate identifier specified');
    const deleted = await client.send(new DeleteClientCertificateCommand({ clientCertificateId }));
    assert.equal(deleted.$metadata.httpStatusCode, 202);
    await expectError(client.send(new GetClientCertificateCommand({ clientCertificateId })), 'NotFoundException', 404, 'Invalid Client Certificate identifier specified');
    await expectError(client.send(new DeleteClientCertificateCommand({ clientCertificateId })), 'NotFoundException', 404, 'Invalid Client Certificate identifier specified');
    await expectError(
      client.send(new UpdateClientCertificateCommand({ clientCertificateId, patchOperations: [{ op: 'replace', path: '/description', value: 'x' }] })),
      'NotFoundException',
      404,
    );
  });

  it('travels to workers with its key only while a stage uses it', async () => {
    const client = newClient();
    const api = await client.send(new CreateRestApiCommand({ name: 'secured backend' }));
    await client.send(new PutMethodCommand({ restApiId: api.id, resourceId: api.rootResourceId, httpMethod: 'GET', authorizationType: 'NONE' }));
    await client.send(new PutIntegrationCommand({ restApiId: api.id, resourceId: api.rootResourceId, httpMethod: 'GET', type: 'MOCK' }));
    await client.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'prod' }));
    const { clientCertificateId, pemEncodedCertificate } = await client.send(new GenerateClientCertificateCommand({}));
    assert.equal((await workerConfig()).clientCertificates?.some((c) => c.id === clientCertificateId), false);
    await client.send(new UpdateStageCommand({ restApiId: api.id, stageName: 'prod', patchOperations: [{ op: 'replace', path: '/clientCertificateId', value: clientCertificateId }] }));
    const shipped = (await workerConfig()).clientCertificates?.find((c) => c.id === clientCertificateId);
    assert.equal(shipped?.certificatePem, pemEncodedCertificate);
    assert.equal(shipped?.accountId, client.accountId);
    assert.match(shipped!.privateKeyPem, /^-----BEGIN PRIVATE KEY-----/);
    await client.send(new DeleteClientCertificateCommand({ clientCertificateId }));
    assert.equal((await workerConfig()).clientCertificates?.some((c) => c.id === clientCertificateId), false);
  });
});
