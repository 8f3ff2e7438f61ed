// Resource: path-part rules, greedy and variable siblings, embed=methods, re-parenting and renaming
// (with the whole subtree's paths following), deleting subtrees.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateResourceCommand,
  CreateRestApiCommand,
  DeleteResourceCommand,
  GetResourceCommand,
  GetResourcesCommand,
  UpdateResourceCommand,
} from '@aws-sdk/client-api-gateway';
import { expectError, newClient } from '../helpers/client.js';

async function newApi() {
  const client = newClient();
  const api = await client.send(new CreateRestApiCommand({ name: 'resources' }));
  const restApiId = api.id!;
  const rootId = api.rootResourceId!;
  const create = async (parentId: string, pathPart: string) => (await client.send(new CreateResourceCommand({ restApiId, parentId, pathPart })));
  return { client, restApiId, rootId, create };
}

describe('Resource', () => {
  it('builds a path tree and lists it ordered by path', async () => {
    const { client, restApiId, rootId, create } = await newApi();
    const pets = await create(rootId, 'pets');
    assert.deepEqual({ ...pets, $metadata: undefined }, { $metadata: undefined, id: pets.id, parentId: rootId, path: '/pets', pathPart: 'pets' });
    const sub = await create(pets.id!, 'subpets');
    assert.equal(sub.path, '/pets/subpets');
    const list = await client.send(new GetResourcesCommand({ restApiId }));
    assert.deepEqual(list.items?.map((r) => r.path), ['/', '/pets', '/pets/subpets']);
    const got = await client.send(new GetResourceCommand({ restApiId, resourceId: sub.id }));
    assert.equal(got.parentId, pets.id);
  });

  it('refuses clashing siblings, children of greedy paths and bad path parts', async () => {
    const { rootId, create } = await newApi();
    await create(rootId, 'pets');
    await expectError(create(rootId, 'pets'), 'ConflictException', 409, 'Another resource with the same parent already has this name: pets');
    await create(rootId, '{proxy+}');
    await expectError(create(rootId, '{id}'), 'BadRequestException', 400, 'A sibling ({proxy+}) of this resource already has a variable path part -- only one is allowed');
    const list = await newApi();
    const proxy = await list.create(list.rootId, '{proxy+}');
    await expectError(list.create(proxy.id!, 'child'), 'BadRequestException', 400, 'Cannot create a child of a resource with a greedy path variable: {proxy+}');
    await expectError(list.create(proxy.id!, '{child}'), 'BadRequestException', 400, 'Cannot create a child of a resource with a greedy path variable: {proxy+}');
    const parent = await list.create(list.rootId, 'parent');
    const greedyChild = await list.create(parent.id!, '{child+}');
    assert.equal(greedyChild.path, '/parent/{child+}');
    await expectError(list.create(list.rootId, 'a/b'), 'BadRequestException', 400, /path part only allow/);
    await expectError(list.create(list.rootId, '{bad'), 'BadRequestException', 400, /path part only allow/);
    await expectError(list.create('nope', 'x'), 'NotFoundException', 404, 'Invalid Resource identifier specified');
  });

  it('renames and re-parents, carrying the subtree, and refuses cycles', async () => {
    const { client, restApiId, rootId, create } = await newApi();
    const pets = await create(rootId, 'pets');
    const sub = await create(pets.id!, 'subpets');
    const leaf = await create(sub.id!, 'pets');
    const renamed = await client.send(new UpdateResourceCommand({ restApiId, resourceId: pets.id, patchOperations: [{ op: 'replace', path: '/pathPart', value: 'dogs' }] }));
    assert.equal(renamed.path, '/dogs');
    assert.equal((await client.send(new GetResourceCommand({ restApiId, resourceId: leaf.id }))).path, '/dogs/subpets/pets');
    await expectError(
      client.send(new UpdateResourceCommand({ restApiId, resourceId: pets.id, patchOperations: [{ op: 'replace', path: '/parentId', value: sub.id }] })),
      'BadRequestException', 400, 'Resources cannot be cyclical.',
    );
    await expectError(
      client.send(new UpdateResourceCommand({ restApiId, resourceId: leaf.id, patchOperations: [{ op: 'replace', path: '/parentId', value: rootId }, { op: 'replace', path: '/pathPart', value: 'dogs' }] })),
      'ConflictException', 409, 'Another resource with the same parent already has this name: dogs',
    );
    const moved = await client.send(new UpdateResourceCommand({ restApiId, resourceId: sub.id, patchOperations: [{ op: 'replace', path: '/parentId', value: rootId }] }));
    assert.equal(moved.path, '/subpets');
    assert.equal((await client.send(new GetResourceCommand({ restApiId, resourceId: leaf.id }))).path, '/subpets/pets');
  });

  it('accepts only replace on /parentId and /pathPart, never on the root', async () => {
    const { client, restApiId, rootId, create } = await newApi();
    const pets = await create(rootId, 'pets');
    const update = (resourceId: string, op: string, path: string, value?: string) =>
      client.send(new UpdateResourceCommand({ restApiId, resourceId, patchOperations: [{ op: op as 'replace', path, value }] }));
    await expectError(update(pets.id!, 'replace', '/invalid', 'x'), 'BadRequestException', 400, "Invalid patch path  '/invalid' specified for op 'replace'. Must be one of: [/parentId, /pathPart]");
    await expectError(update(pets.id!, 'remove', '/pathPart'), 'BadRequestException', 400, "Invalid patch path  '/pathPart' specified for op 'remove'. Please choose supported operations");
    await expectError(update(pets.id!, 'add', '/pathPart', 'x'), 'BadRequestException', 400, "Invalid patch path  '/pathPart' specified for op 'add'. Please choose supported operations");
    await expectError(update(rootId, 'replace', '/pathPart', 'x'), 'BadRequestException', 400, 'Root resource cannot update its pathPart.');
    await expectError(update(rootId, 'replace', '/parentId', pets.id), 'BadRequestException', 400, 'Root resource cannot update its parentId.');
    await expectError(update('nonexistent', 'replace', '/pathPart', 'x'), 'NotFoundException', 404, 'Invalid Resource identifier specified');
    await expectError(update(pets.id!, 'replace', '/parentId', 'nonexistent'), 'NotFoundException', 404, 'Invalid Resource identifier specified');
  });

  it('deletes a resource with its subtree', async () => {
    const { client, restApiId, rootId, create } = await newApi();
    const pets = await create(rootId, 'pets');
    const sub = await create(pets.id!, 'sub');
    await client.send(new DeleteResourceCommand({ restApiId, resourceId: pets.id }));
    assert.deepEqual((await client.send(new GetResourcesCommand({ restApiId }))).items?.map((r) => r.path), ['/']);
    await expectError(client.send(new DeleteResourceCommand({ restApiId, resourceId: sub.id })), 'NotFoundException', 404, 'Invalid Resource identifier specified');
  });

  it('pages resources', async () => {
    const { client, restApiId, rootId, create } = await newApi();
    for (const p of ['a', 'b', 'c']) await create(rootId, p);
    const page = await client.send(new GetResourcesCommand({ restApiId, limit: 3 }));
    assert.deepEqual(page.items?.map((r) => r.path), ['/', '/a', '/b']);
    const rest = await client.send(new GetResourcesCommand({ restApiId, limit: 3, position: page.position }));
    assert.deepEqual(rest.items?.map((r) => r.path), ['/c']);
  });
});
