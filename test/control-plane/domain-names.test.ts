// Custom domain names as in "Set up custom domain names for REST APIs": edge-optimized, regional and
// private names with the names API Gateway synthesizes, their updates and AWS's refusals; base path
// mappings with `(none)` and multi-level paths; private names' access associations; the worker
// config they make; and accounts kept apart.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  CreateBasePathMappingCommand,
  CreateDeploymentCommand,
  CreateDomainNameAccessAssociationCommand,
  CreateDomainNameCommand,
  CreateRestApiCommand,
  DeleteBasePathMappingCommand,
  DeleteDomainNameAccessAssociationCommand,
  DeleteDomainNameCommand,
  GetBasePathMappingCommand,
  GetBasePathMappingsCommand,
  GetDomainNameAccessAssociationsCommand,
  GetDomainNameCommand,
  GetDomainNamesCommand,
  GetTagsCommand,
  PutIntegrationCommand,
  PutMethodCommand,
  RejectDomainNameAccessAssociationCommand,
  TagResourceCommand,
  UpdateBasePathMappingCommand,
  UpdateDomainNameCommand,
  type APIGatewayClient,
} from '@aws-sdk/client-api-gateway';
import jwt from 'jsonwebtoken';
import { endpoint, expectError, newClient } from '../helpers/client.js';
import type { WorkerConfig } from '../../src/shared/worker-config.js';

const certificateArn = (account: string) => `arn:aws:acm:us-east-1:${account}:certificate/12345678-1234-1234-1234-123456789012`;
const uniqueName = (prefix = 'api') => `${prefix}-${randomBytes(6).toString('hex')}.example.com`;

async function apiWithStage(client: APIGatewayClient, stageName = 'prod'): Promise<string> {
  const api = await client.send(new CreateRestApiCommand({ name: 'orders' }));
  await client.send(new PutMethodCommand({ restApiId: api.id, resourceId: api.rootResourceId, httpMethod: 'GET', authorizationType: 'NONE' }));
  await client.send(new PutIntegrationCommand({ restApiId: api.id, resourceId: api.rootResourceId, httpMethod: 'GET', type: 'MOCK' }));
  await client.send(new CreateDeploymentCommand({ restApiId: api.id, stageName }));
  return api.id!;
}

async function workerConfig(): Promise<WorkerConfig> {
  const token = jwt.sign({ sub: 'test-worker' }, process.env.PORTICO_TEST_CLUSTER_SECRET!, { algorithm: 'HS256', audience: 'portico-control-plane', expiresIn: '5m' });
  const res = await fetch(`${endpoint}/_portico/config?after=-1`, { headers: { authorization: `Bearer ${token}` } });
  return (await res.json()) as WorkerConfig;
}

describe('domain names', () => {
  it('creates an edge-optimized name with a CloudFront distribution name', async () => {
    const client = newClient();
    const domainName = uniqueName();
    const created = await client.send(new CreateDomainNameCommand({ domainName, certificateArn: certificateArn(client.accountId), tags: { team: 'a' } }));
    assert.equal(created.$metadata.httpStatusCode, 201);
    assert.equal(created.domainName, domainName);
    // A public name's ARN carries neither account nor id.
    assert.equal(created.domainNameArn, `arn:aws:apigateway:us-east-1::/domainnames/${domainName}`);
    assert.equal(created.domainNameId, undefined);
    assert.equal(created.certificateArn, certificateArn(client.accountId));
    assert.ok(created.certificateUploadDate instanceof Date);
    assert.match(created.distributionDomainName!, /^d[a-z0-9]{13}\.cloudfront\.net$/);
    assert.equal(created.distributionHostedZoneId, 'Z2FDTNDATAQYW2');
    assert.deepEqual(created.endpointConfiguration, { types: ['EDGE'], ipAddressType: 'ipv4' });
    assert.equal(created.domainNameStatus, 'AVAILABLE');
    assert.equal(created.securityPolicy, 'TLS_1_2');
    assert.equal(created.regionalDomainName, undefined);
    assert.deepEqual(created.tags, { team: 'a' });
    const read = await client.send(new GetDomainNameCommand({ domainName }));
    assert.equal(read.distributionDomainName, created.distributionDomainName);
    const tags = await client.send(new GetTagsCommand({ resourceArn: created.domainNameArn }));
    assert.deepEqual(tags.tags, { team: 'a' });
  });

  it('creates a regional name with its regional domain name and hosted zone', async () => {
    const client = newClient();
    const domainName = uniqueName();
    const created = await client.send(
      new CreateDomainNameCommand({
        domainName,
        regionalCertificateArn: certificateArn(client.accountId),
        endpointConfiguration: { types: ['REGIONAL'] },
        securityPolicy: 'TLS_1_2',
        mutualTlsAuthentication: { truststoreUri: 's3://truststores/ca.pem', truststoreVersion: '1' },
      }),
    );
    assert.match(created.regionalDomainName!, /^d-[a-z0-9]{10}\.execute-api\.us-east-1\.amazonaws\.com$/);
    assert.equal(created.regionalHostedZoneId, 'Z1UJRXOUMOOFQ8');
    assert.equal(created.regionalCertificateArn, certificateArn(client.accountId));
    assert.ok(created.certificateUploadDate instanceof Date);
    assert.equal(created.distributionDomainName, undefined);
    assert.deepEqual(created.mutualTlsAuthentication, { truststoreUri: 's3://truststores/ca.pem', truststoreVersion: '1' });
    const listed = await client.send(new GetDomainNamesCommand({}));
    assert.deepEqual(listed.items?.map((d) => d.domainName), [domainName]);
    assert.equal(listed.items?.[0]?.tags, undefined);
    assert.deepEqual((await client.send(new GetDomainNamesCommand({ resourceOwner: 'OTHER_ACCOUNTS' }))).items ?? [], []);
  });

  it('refuses what AWS refuses', async () => {
    const client = newClient();
    const arn = certificateArn(client.accountId);
    await expectError(client.send(new CreateDomainNameCommand({ domainName: 'not a domain', certificateArn: arn })), 'BadRequestException', 400);
    await expectError(client.send(new CreateDomainNameCommand({ domainName: uniqueName() })), 'BadRequestException', 400);
    await expectError(
      client.send(new CreateDomainNameCommand({ domainName: uniqueName(), certificateArn: arn, endpointConfiguration: { types: ['REGIONAL'] } })),
      'BadRequestException',
      400,
    );
    await expectError(client.send(new CreateDomainNameCommand({ domainName: uniqueName(), certificateArn: 'arn:aws:acm:nope' })), 'BadRequestException', 400);
    await expectError(
      client.send(new CreateDomainNameCommand({ domainName: uniqueName(), certificateArn: arn, mutualTlsAuthentication: { truststoreUri: 's3://b/k.pem' } })),
      'BadRequestException',
      400,
    );
    const domainName = uniqueName();
    await client.send(new CreateDomainNameCommand({ domainName, certificateArn: arn }));
    await expectError(client.send(new CreateDomainNameCommand({ domainName, certificateArn: arn })), 'ConflictException', 409, 'The domain name you provided already exists.');
    // Public names route by Host: another account cannot take the same name.
    const other = newClient();
    await expectError(
      other.send(new CreateDomainNameCommand({ domainName: domainName.toUpperCase(), certificateArn: certificateArn(other.accountId) })),
      'ConflictException',
      409,
    );
    await expectError(other.send(new GetDomainNameCommand({ domainName })), 'NotFoundException', 404, 'Invalid domain name identifier specified');
    await expectError(client.send(new GetDomainNameCommand({ domainName: uniqueName() })), 'NotFoundException', 404, 'Invalid domain name identifier specified');
    await expectError(client.send(new DeleteDomainNameCommand({ domainName: uniqueName() })), 'NotFoundException', 404, 'Invalid domain name identifier specified');
  });

  it('updates certificates, the security policy and the endpoint type', async () => {
    const client = newClient();
    const domainName = uniqueName();
    await client.send(new CreateDomainNameCommand({ domainName, certificateArn: certificateArn(client.accountId), securityPolicy: 'TLS_1_0' }));
    const regional = certificateArn(client.accountId).replace('12345678-', 'abcdef12-');
    const updated = await client.send(
      new UpdateDomainNameCommand({
        domainName,
        patchOperations: [
          { op: 'replace', path: '/endpointConfiguration/types/EDGE', value: 'REGIONAL' },
          { op: 'replace', path: '/regionalCertificateArn', value: regional },
          { op: 'replace', path: '/securityPolicy', value: 'TLS_1_2' },
        ],
      }),
    );
    assert.deepEqual(updated.endpointConfiguration?.types, ['REGIONAL']);
    assert.equal(updated.regionalCertificateArn, regional);
    assert.equal(updated.certificateArn, undefined);
    assert.equal(updated.securityPolicy, 'TLS_1_2');
    assert.match(updated.regionalDomainName!, /^d-[a-z0-9]{10}\.execute-api\./);
    // The migration runs for a while (PORTICO_VPC_LINK_PROVISIONING_MS), then the name is AVAILABLE again.
    assert.equal(updated.domainNameStatus, 'UPDATING');
    const migrated = Date.now() + 2000;
    while ((await client.send(new GetDomainNameCommand({ domainName }))).domainNameStatus === 'UPDATING') {
      assert.ok(Date.now() < migrated + 2000, 'still UPDATING');
      await new Promise((r) => setTimeout(r, 100));
    }
    // The path names the current type; a private type cannot be reached this way.
    for (const [path, value] of [['/endpointConfiguration/types/0', 'EDGE'], ['/endpointConfiguration/types/EDGE', 'REGIONAL'], ['/endpointConfiguration/types/REGIONAL', 'PRIVATE']]) {
      await expectError(
        client.send(new UpdateDomainNameCommand({ domainName, patchOperations: [{ op: 'replace', path, value }] })),
        'BadRequestException',
        400,
        `${path} Invalid request input`,
      );
    }
    await expectError(
      client.send(new UpdateDomainNameCommand({ domainName, patchOperations: [{ op: 'replace', path: '/certificateArn', value: certificateArn(client.accountId) }] })),
      'BadRequestException',
      400,
    );
    await expectError(
      client.send(new UpdateDomainNameCommand({ domainName, patchOperations: [{ op: 'add', path: '/securityPolicy', value: 'TLS_1_2' }] })),
      'BadRequestException',
      400,
    );
    await expectError(
      client.send(new UpdateDomainNameCommand({ domainName, patchOperations: [{ op: 'replace', path: '/nope', value: 'x' }] })),
      'BadRequestException',
      400,
      /^Invalid patch path  '\/nope' specified for op 'replace'/,
    );
    const deleted = await client.send(new DeleteDomainNameCommand({ domainName }));
    assert.equal(deleted.$metadata.httpStatusCode, 202);
    await expectError(client.send(new GetDomainNameCommand({ domainName })), 'NotFoundException', 404);
  });
});

describe('base path mappings', () => {
  it('maps (none), single and multi-level base paths, and the worker config carries them', async () => {
    const client = newClient();
    const restApiId = await apiWithStage(client);
    const domainName = uniqueName();
    await client.send(new CreateDomainNameCommand({ domainName, regionalCertificateArn: certificateArn(client.accountId), endpointConfiguration: { types: ['REGIONAL'] } }));
    const none = await client.send(new CreateBasePathMappingCommand({ domainName, restApiId, stage: 'prod' }));
    assert.equal(none.$metadata.httpStatusCode, 201);
    assert.deepEqual({ basePath: none.basePath, restApiId: none.restApiId, stage: none.stage }, { basePath: '(none)', restApiId, stage: 'prod' });
    await client.send(new CreateBasePathMappingCommand({ domainName, restApiId, basePath: 'orders' }));
    const multi = await client.send(new CreateBasePathMappingCommand({ domainName, restApiId, basePath: 'v1/orders', stage: 'prod' }));
    assert.equal(multi.basePath, 'v1/orders');
    const got = await client.send(new GetBasePathMappingCommand({ domainName, basePath: 'v1/orders' }));
    assert.equal(got.stage, 'prod');
    const gotNone = await client.send(new GetBasePathMappingCommand({ domainName, basePath: '(none)' }));
    assert.equal(gotNone.basePath, '(none)');
    const list = await client.send(new GetBasePathMappingsCommand({ domainName }));
    assert.deepEqual(list.items?.map((m) => [m.basePath, m.stage]), [['(none)', 'prod'], ['orders', undefined], ['v1/orders', 'prod']]);

    const config = await workerConfig();
    const domain = config.domainNames?.find((d) => d.domainName === domainName);
    assert.deepEqual(domain?.basePathMappings, [
      { basePath: '', restApiId, stage: 'prod' },
      { basePath: 'orders', restApiId },
      { basePath: 'v1/orders', restApiId, stage: 'prod' },
    ]);

    const updated = await client.send(
      new UpdateBasePathMappingCommand({ domainName, basePath: 'orders', patchOperations: [{ op: 'replace', path: '/basePath', value: 'shop' }, { op: 'replace', path: '/stage', value: 'prod' }] }),
    );
    assert.deepEqual([updated.basePath, updated.stage], ['shop', 'prod']);
    await expectError(client.send(new GetBasePathMappingCommand({ domainName, basePath: 'orders' })), 'NotFoundException', 404, 'Invalid base path mapping identifier specified');
    assert.equal((await client.send(new DeleteBasePathMappingCommand({ domainName, basePath: 'shop' }))).$metadata.httpStatusCode, 202);
    await expectError(client.send(new DeleteBasePathMappingCommand({ domainName, basePath: 'shop' })), 'NotFoundException', 404, 'Invalid base path mapping identifier specified');
  });

  it('refuses what AWS refuses', async () => {
    const client = newClient();
    const restApiId = await apiWithStage(client);
    const edge = uniqueName();
    await client.send(new CreateDomainNameCommand({ domainName: edge, certificateArn: certificateArn(client.accountId) }));
    await client.send(new CreateBasePathMappingCommand({ domainName: edge, restApiId, basePath: 'v1' }));
    await expectError(client.send(new CreateBasePathMappingCommand({ domainName: edge, restApiId, basePath: 'v1' })), 'ConflictException', 409, 'Base path already exists for this domain name');
    await expectError(
      client.send(new CreateBasePathMappingCommand({ domainName: edge, restApiId, basePath: 'v1/orders' })),
      'BadRequestException',
      400,
      "API Gateway V1 doesn't support the slash character (/) in base path mappings. To create a multi-level base path mapping, use API Gateway V2.",
    );
    await expectError(client.send(new CreateBasePathMappingCommand({ domainName: edge, restApiId: 'nosuchapi', basePath: 'v2' })), 'BadRequestException', 400, 'Invalid REST API identifier specified');
    await expectError(client.send(new CreateBasePathMappingCommand({ domainName: edge, restApiId, basePath: 'v2', stage: 'nope' })), 'BadRequestException', 400, 'Invalid stage identifier specified');
    await expectError(client.send(new CreateBasePathMappingCommand({ domainName: edge, restApiId, basePath: 'a b' })), 'BadRequestException', 400);
    await expectError(client.send(new CreateBasePathMappingCommand({ domainName: uniqueName(), restApiId })), 'NotFoundException', 404, 'Invalid domain name identifier specified');
    // Another account's API cannot be mapped.
    const other = newClient();
    const otherApi = await apiWithStage(other);
    await expectError(client.send(new CreateBasePathMappingCommand({ domainName: edge, restApiId: otherApi, basePath: 'x' })), 'BadRequestException', 400, 'Invalid REST API identifier specified');
    await expectError(
      client.send(new UpdateBasePathMappingCommand({ domainName: edge, basePath: 'v1', patchOperations: [{ op: 'replace', path: '/stage', value: 'nope' }] })),
      'BadRequestException',
      400,
      'Invalid stage identifier specified',
    );
    // Deleting the domain name deletes its mappings.
    await client.send(new DeleteDomainNameCommand({ domainName: edge }));
    const config = await workerConfig();
    assert.equal(config.domainNames?.some((d) => d.domainName === edge), false);
  });
});

describe('private domain names and access associations', () => {
  it('creates a private name with its id and ARN, associations with VPC endpoints, and rejects them', async () => {
    const client = newClient();
    const domainName = uniqueName('private');
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*' }] });
    const created = await client.send(
      new CreateDomainNameCommand({ domainName, certificateArn: certificateArn(client.accountId), endpointConfiguration: { types: ['PRIVATE'] }, securityPolicy: 'TLS_1_2', policy }),
    );
    assert.match(created.domainNameId!, /^[a-z0-9]{10}$/);
    assert.equal(created.domainNameArn, `arn:aws:apigateway:us-east-1:${client.accountId}:/domainnames/${domainName}+${created.domainNameId}`);
    assert.equal(created.policy, policy);
    assert.deepEqual(created.endpointConfiguration, { types: ['PRIVATE'], ipAddressType: 'dualstack' });
    assert.equal(created.regionalDomainName, undefined);
    assert.equal(created.distributionDomainName, undefined);
    // A private name is found with its domainNameId only, and is not routed by Host.
    await expectError(client.send(new GetDomainNameCommand({ domainName })), 'NotFoundException', 404);
    assert.equal((await client.send(new GetDomainNameCommand({ domainName, domainNameId: created.domainNameId }))).domainNameArn, created.domainNameArn);
    assert.equal((await workerConfig()).domainNames?.some((d) => d.domainName === domainName), false);
    await expectError(
      client.send(new CreateDomainNameCommand({ domainName, certificateArn: certificateArn(client.accountId), endpointConfiguration: { types: ['PRIVATE'] }, securityPolicy: 'TLS_1_0' })),
      'BadRequestException',
      400,
    );
    await client.send(new TagResourceCommand({ resourceArn: created.domainNameArn, tags: { env: 'dev' } }));
    assert.deepEqual((await client.send(new GetDomainNameCommand({ domainName, domainNameId: created.domainNameId }))).tags, { env: 'dev' });

    const association = await client.send(
      new CreateDomainNameAccessAssociationCommand({ domainNameArn: created.domainNameArn, accessAssociationSourceType: 'VPCE', accessAssociationSource: 'vpce-0123456789abcdef0', tags: { a: 'b' } }),
    );
    assert.equal(association.$metadata.httpStatusCode, 201);
    assert.equal(
      association.domainNameAccessAssociationArn,
      `arn:aws:apigateway:us-east-1:${client.accountId}:/domainnameaccessassociations/domainname/${domainName}+${created.domainNameId}/vpcesource/vpce-0123456789abcdef0`,
    );
    assert.equal(association.domainNameArn, created.domainNameArn);
    assert.equal(association.accessAssociationSourceType, 'VPCE');
    await expectError(
      client.send(new CreateDomainNameAccessAssociationCommand({ domainNameArn: created.domainNameArn, accessAssociationSourceType: 'VPCE', accessAssociationSource: 'vpce-0123456789abcdef0' })),
      'ConflictException',
      409,
    );
    await expectError(
      client.send(new CreateDomainNameAccessAssociationCommand({ domainNameArn: created.domainNameArn, accessAssociationSourceType: 'VPCE', accessAssociationSource: 'not-a-vpce' })),
      'BadRequestException',
      400,
    );
    const second = await client.send(
      new CreateDomainNameAccessAssociationCommand({ domainNameArn: created.domainNameArn, accessAssociationSourceType: 'VPCE', accessAssociationSource: 'vpce-0fedcba9876543210' }),
    );
    const self = await client.send(new GetDomainNameAccessAssociationsCommand({ resourceOwner: 'SELF' }));
    assert.deepEqual(self.items?.map((a) => a.accessAssociationSource).sort(), ['vpce-0123456789abcdef0', 'vpce-0fedcba9876543210']);
    assert.deepEqual(self.items?.find((a) => a.accessAssociationSource === 'vpce-0123456789abcdef0')?.tags, { a: 'b' });
    assert.deepEqual((await client.send(new GetDomainNameAccessAssociationsCommand({ resourceOwner: 'OTHER_ACCOUNTS' }))).items ?? [], []);
    // Other accounts neither see them nor can associate with the name.
    const other = newClient();
    assert.deepEqual((await other.send(new GetDomainNameAccessAssociationsCommand({}))).items ?? [], []);
    await expectError(
      other.send(new CreateDomainNameAccessAssociationCommand({ domainNameArn: created.domainNameArn, accessAssociationSourceType: 'VPCE', accessAssociationSource: 'vpce-0aaaaaaaaaaaaaaaa' })),
      'NotFoundException',
      404,
    );

    const rejected = await client.send(
      new RejectDomainNameAccessAssociationCommand({ domainNameArn: created.domainNameArn, domainNameAccessAssociationArn: association.domainNameAccessAssociationArn }),
    );
    assert.equal(rejected.$metadata.httpStatusCode, 202);
    const deleted = await client.send(new DeleteDomainNameAccessAssociationCommand({ domainNameAccessAssociationArn: second.domainNameAccessAssociationArn }));
    assert.equal(deleted.$metadata.httpStatusCode, 202);
    await expectError(client.send(new DeleteDomainNameAccessAssociationCommand({ domainNameAccessAssociationArn: second.domainNameAccessAssociationArn })), 'NotFoundException', 404);
    assert.deepEqual((await client.send(new GetDomainNameAccessAssociationsCommand({}))).items ?? [], []);
    await client.send(new DeleteDomainNameCommand({ domainName, domainNameId: created.domainNameId }));
    await expectError(client.send(new GetDomainNameCommand({ domainName, domainNameId: created.domainNameId })), 'NotFoundException', 404);
  });

  it('shares a private name with another account through its managementPolicy', async () => {
    const owner = newClient();
    const consumer = newClient();
    const stranger = newClient();
    const domainName = uniqueName('shared');
    const created = await owner.send(
      new CreateDomainNameCommand({ domainName, certificateArn: certificateArn(owner.accountId), endpointConfiguration: { types: ['PRIVATE'] }, securityPolicy: 'TLS_1_2' }),
    );
    const associate = (client: APIGatewayClient, source: string) =>
      client.send(new CreateDomainNameAccessAssociationCommand({ domainNameArn: created.domainNameArn, accessAssociationSourceType: 'VPCE', accessAssociationSource: source }));
    await expectError(associate(consumer, 'vpce-0bbbbbbbbbbbbbbbb'), 'NotFoundException', 404, 'Invalid domain name identifier specified');
    assert.deepEqual((await consumer.send(new GetDomainNamesCommand({ resourceOwner: 'OTHER_ACCOUNTS' }))).items ?? [], []);

    const managementPolicy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: [`arn:aws:iam::${consumer.accountId}:root`] }, Action: 'apigateway:CreateAccessAssociation', Resource: created.domainNameArn }],
    });
    const shared = await owner.send(
      new UpdateDomainNameCommand({ domainName, domainNameId: created.domainNameId, patchOperations: [{ op: 'replace', path: '/managementPolicy', value: managementPolicy }] }),
    );
    assert.equal(shared.managementPolicy, managementPolicy);
    // The consumer sees the name (named only) and may associate its endpoint; a third account may not.
    const visible = await consumer.send(new GetDomainNamesCommand({ resourceOwner: 'OTHER_ACCOUNTS' }));
    assert.deepEqual(
      visible.items?.map(({ domainName: name, domainNameId, domainNameArn, certificateArn: cert }) => ({ name, domainNameId, domainNameArn, cert })),
      [{ name: domainName, domainNameId: created.domainNameId, domainNameArn: created.domainNameArn, cert: undefined }],
    );
    assert.deepEqual((await stranger.send(new GetDomainNamesCommand({ resourceOwner: 'OTHER_ACCOUNTS' }))).items ?? [], []);
    await expectError(associate(stranger, 'vpce-0cccccccccccccccc'), 'NotFoundException', 404);
    const association = await associate(consumer, 'vpce-0bbbbbbbbbbbbbbbb');
    assert.equal(
      association.domainNameAccessAssociationArn,
      `arn:aws:apigateway:us-east-1:${consumer.accountId}:/domainnameaccessassociations/domainname/${domainName}+${created.domainNameId}/vpcesource/vpce-0bbbbbbbbbbbbbbbb`,
    );
    assert.equal(association.domainNameArn, created.domainNameArn);

    // SELF: what an account created; OTHER_ACCOUNTS: what others created with its names.
    const arns = async (client: APIGatewayClient, resourceOwner: 'SELF' | 'OTHER_ACCOUNTS') =>
      ((await client.send(new GetDomainNameAccessAssociationsCommand({ resourceOwner }))).items ?? []).map((a) => a.domainNameAccessAssociationArn);
    assert.deepEqual(await arns(consumer, 'SELF'), [association.domainNameAccessAssociationArn]);
    assert.deepEqual(await arns(consumer, 'OTHER_ACCOUNTS'), []);
    assert.deepEqual(await arns(owner, 'SELF'), []);
    assert.deepEqual(await arns(owner, 'OTHER_ACCOUNTS'), [association.domainNameAccessAssociationArn]);

    // The owner rejects it (it cannot delete what it did not create); then it is gone for the consumer too.
    await expectError(
      owner.send(new DeleteDomainNameAccessAssociationCommand({ domainNameAccessAssociationArn: association.domainNameAccessAssociationArn })),
      'NotFoundException',
      404,
      'Invalid domain name access association identifier specified',
    );
    await owner.send(new RejectDomainNameAccessAssociationCommand({ domainNameArn: created.domainNameArn, domainNameAccessAssociationArn: association.domainNameAccessAssociationArn }));
    assert.deepEqual(await arns(consumer, 'SELF'), []);

    // A management policy belongs to private names, and must be a policy.
    await expectError(
      owner.send(new UpdateDomainNameCommand({ domainName, domainNameId: created.domainNameId, patchOperations: [{ op: 'replace', path: '/managementPolicy', value: '{not json' }] })),
      'BadRequestException',
      400,
      'Invalid policy document. Please check the policy syntax and try again.',
    );
    const regional = uniqueName();
    await owner.send(new CreateDomainNameCommand({ domainName: regional, regionalCertificateArn: certificateArn(owner.accountId), endpointConfiguration: { types: ['REGIONAL'] } }));
    await expectError(
      owner.send(new UpdateDomainNameCommand({ domainName: regional, patchOperations: [{ op: 'replace', path: '/managementPolicy', value: managementPolicy }] })),
      'BadRequestException',
      400,
    );
  });
});
