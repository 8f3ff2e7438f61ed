// VPC links as in "Set up VPC links for REST APIs": a link to a network load balancer goes PENDING →
// AVAILABLE, updates its name and description, goes DELETING and then away; AWS's errors for bad
// input and unknown ids; a link an integration names cannot be deleted; the worker config carries
// links; accounts kept apart.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateRestApiCommand,
  CreateVpcLinkCommand,
  DeleteIntegrationCommand,
  DeleteVpcLinkCommand,
  GetTagsCommand,
  GetVpcLinkCommand,
  GetVpcLinksCommand,
  PutIntegrationCommand,
  PutMethodCommand,
  UpdateVpcLinkCommand,
  type APIGatewayClient,
  type VpcLink,
} from '@aws-sdk/client-api-gateway';
import jwt from 'jsonwebtoken';
import { endpoint, expectError, newClient } from '../helpers/client.js';
import type { WorkerConfig } from '../../src/shared/worker-config.js';

const nlbArn = (account: string) => `arn:aws:elasticloadbalancing:us-east-1:${account}:loadbalancer/net/my-nlb/1234567890abcdef`;

async function workerConfig(): Promise<WorkerConfig> {
  const token = jwt.sign({ sub: 'test-worker' }, process.env.PORTICO_TEST_CLUSTER_SECRET!, { algorithm: 'HS256', audience: 'portico-control-plane', expiresIn: '5m' });
  const res = await fetch(`${endpoint}/_portico/config?after=-1`, { headers: { authorization: `Bearer ${token}` } });
  return (await res.json()) as WorkerConfig;
}

async function waitForStatus(client: APIGatewayClient, vpcLinkId: string, status: string): Promise<VpcLink> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const link = await client.send(new GetVpcLinkCommand({ vpcLinkId }));
    if (link.status === status) return link;
    if (Date.now() > deadline) throw new Error(`VPC link still ${link.status}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('VPC links', () => {
  it('goes PENDING → AVAILABLE → DELETING → gone', async () => {
    const client = newClient();
    const created = await client.send(new CreateVpcLinkCommand({ name: 'to-nlb', targetArns: [nlbArn(client.accountId)], tags: { team: 'a' } }));
    assert.equal(created.$metadata.httpStatusCode, 202);
    assert.match(created.id!, /^[a-z0-9]{6}$/);
    assert.equal(created.status, 'PENDING');
    assert.equal(created.statusMessage, undefined);
    assert.deepEqual(created.targetArns, [nlbArn(client.accountId)]);
    const available = await waitForStatus(client, created.id!, 'AVAILABLE');
    assert.equal(available.statusMessage, 'Your vpc link is ready for use');
    assert.deepEqual(available.tags, { team: 'a' });
    const tags = await client.send(new GetTagsCommand({ resourceArn: `arn:aws:apigateway:us-east-1::/vpclinks/${created.id}` }));
    assert.deepEqual(tags.tags, { team: 'a' });
    const listed = await client.send(new GetVpcLinksCommand({}));
    assert.deepEqual(listed.items?.map((l) => [l.id, l.status]), [[created.id, 'AVAILABLE']]);

    const shipped = (await workerConfig()).vpcLinks?.find((l) => l.id === created.id);
    assert.deepEqual(shipped?.targetArns, [nlbArn(client.accountId)]);
    assert.ok(shipped!.availableAt <= Date.now());

    const updated = await client.send(
      new UpdateVpcLinkCommand({
        vpcLinkId: created.id,
        patchOperations: [{ op: 'replace', path: '/name', value: 'to-nlb-updated' }, { op: 'replace', path: '/description', value: 'private backend' }],
      }),
    );
    assert.deepEqual([updated.name, updated.description, updated.status], ['to-nlb-updated', 'private backend', 'AVAILABLE']);
    await expectError(
      client.send(new UpdateVpcLinkCommand({ vpcLinkId: created.id, patchOperations: [{ op: 'replace', path: '/targetArns', value: 'x' }] })),
      'BadRequestException',
      400,
    );

    const deleted = await client.send(new DeleteVpcLinkCommand({ vpcLinkId: created.id }));
    assert.equal(deleted.$metadata.httpStatusCode, 202);
    assert.equal((await workerConfig()).vpcLinks?.some((l) => l.id === created.id), false);
    const deadline = Date.now() + 15_000;
    let sawDeleting = false;
    for (;;) {
      const link = await client.send(new GetVpcLinkCommand({ vpcLinkId: created.id })).catch((err: Error) => err);
      if (link instanceof Error) {
        assert.equal(link.name, 'NotFoundException');
        break;
      }
      assert.equal(link.status, 'DELETING');
      sawDeleting = true;
      if (Date.now() > deadline) throw new Error('VPC link never went away');
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(sawDeleting, 'DELETING seen right after DeleteVpcLink');
    assert.deepEqual((await client.send(new GetVpcLinksCommand({}))).items ?? [], []);
  });

  it('answers AWS errors for bad input and unknown ids', async () => {
    const client = newClient();
    await expectError(client.send(new CreateVpcLinkCommand({ name: 'x', targetArns: ['invalid-arn'] })), 'BadRequestException', 400, 'Invalid ARN. ARN is not well formed invalid-arn');
    await expectError(client.send(new CreateVpcLinkCommand({ name: '', targetArns: [nlbArn(client.accountId)] })), 'BadRequestException', 400, 'Name cannot be empty');
    for (const send of [
      () => client.send(new GetVpcLinkCommand({ vpcLinkId: 'nope00' })),
      () => client.send(new DeleteVpcLinkCommand({ vpcLinkId: 'nope00' })),
      () => client.send(new UpdateVpcLinkCommand({ vpcLinkId: 'nope00', patchOperations: [{ op: 'replace', path: '/name', value: 'y' }] })),
    ]) {
      await expectError(send(), 'NotFoundException', 404, 'Invalid Vpc Link identifier specified');
    }
    const { id } = await client.send(new CreateVpcLinkCommand({ name: 'mine', targetArns: [nlbArn(client.accountId)] }));
    await expectError(newClient().send(new GetVpcLinkCommand({ vpcLinkId: id })), 'NotFoundException', 404, 'Invalid Vpc Link identifier specified');
  });

  it('cannot be deleted while an integration names it', async () => {
    const client = newClient();
    const { id } = await client.send(new CreateVpcLinkCommand({ name: 'in-use', targetArns: [nlbArn(client.accountId)] }));
    const api = await client.send(new CreateRestApiCommand({ name: 'private backend' }));
    await client.send(new PutMethodCommand({ restApiId: api.id, resourceId: api.rootResourceId, httpMethod: 'GET', authorizationType: 'NONE' }));
    await client.send(
      new PutIntegrationCommand({
        restApiId: api.id, resourceId: api.rootResourceId, httpMethod: 'GET', type: 'HTTP_PROXY', integrationHttpMethod: 'GET',
        uri: 'http://nlb.internal/', connectionType: 'VPC_LINK', connectionId: id,
      }),
    );
    await expectError(
      client.send(new DeleteVpcLinkCommand({ vpcLinkId: id })),
      'BadRequestException',
      400,
      `Cannot delete vpc link. Vpc link [${id}], is referenced in [GET:${api.rootResourceId}] in format of [Method:Resource].`,
    );
    await client.send(new DeleteIntegrationCommand({ restApiId: api.id, resourceId: api.rootResourceId, httpMethod: 'GET' }));
    assert.equal((await client.send(new DeleteVpcLinkCommand({ vpcLinkId: id }))).$metadata.httpStatusCode, 202);
  });
});
