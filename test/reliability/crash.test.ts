// kill -9 of the control plane in the middle of a stream of concurrent management writes. Writers
// keep a ledger of every write the control plane acknowledged (multi-row ones included: CreateRestApi
// and its root resource, PutMethod + PutIntegration, CreateDeployment and its snapshot and stage,
// CreateUsagePlan with apiStages, CreateUsagePlanKey). After a restart on the same database every
// acknowledged write is there as acknowledged, and nothing is half-written: every API (acknowledged
// or not) has its root resource, every stage its deployment, and every deployed stage serves from its
// snapshot on a fresh worker. Runs against a throwaway PostgreSQL cluster (when the server binaries
// are installed) and against the all-in-one `src/main.ts` on embedded PGlite.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  CreateApiKeyCommand,
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  CreateUsagePlanCommand,
  CreateUsagePlanKeyCommand,
  GetApiKeyCommand,
  GetDeploymentsCommand,
  GetIntegrationCommand,
  GetResourcesCommand,
  GetRestApiCommand,
  GetRestApisCommand,
  GetStagesCommand,
  GetUsagePlanCommand,
  GetUsagePlanKeyCommand,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
  UpdateRestApiCommand,
  type APIGatewayClient,
} from '@aws-sdk/client-api-gateway';
import pg from 'pg';
import { clientFor, killAll, randomAccountId, secret, sleep, startControlPlaneProcess, startPostgres, startWorkerProcess, type Postgres } from './helpers/processes.js';

const WRITERS = 4;
const CLUSTER_SECRET = 'crash-test-cluster-secret';

/** What the control plane acknowledged, write by write. */
type Api = {
  id: string;
  rootResourceId: string;
  description?: string;
  itemsId?: string;
  integration?: boolean;
  /** the template the acknowledged integration response answers with */
  answer?: string;
  deploymentId?: string;
  planId?: string;
  keyId?: string;
  planKey?: boolean;
};
type Ledger = { accountId: string; apis: Api[]; acknowledged: number };

/** One writer: builds, deploys and sells APIs until the control plane goes away. */
async function writer(client: APIGatewayClient, ledger: Ledger, index: number, stop: { now: boolean }): Promise<void> {
  const ack = () => ledger.acknowledged++;
  for (let n = 0; !stop.now; n++) {
    try {
      const created = await client.send(new CreateRestApiCommand({ name: `w${index}-${n}` }));
      const api: Api = { id: created.id!, rootResourceId: created.rootResourceId! };
      ledger.apis.push(api);
      ack();
      const restApiId = api.id;
      api.itemsId = (await client.send(new CreateResourceCommand({ restApiId, parentId: api.rootResourceId, pathPart: 'items' }))).id!;
      ack();
      const resourceId = api.itemsId;
      await client.send(new PutMethodCommand({ restApiId, resourceId, httpMethod: 'GET', authorizationType: 'NONE' }));
      await client.send(new PutIntegrationCommand({ restApiId, resourceId, httpMethod: 'GET', type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
      api.integration = true;
      ack();
      await client.send(new PutMethodResponseCommand({ restApiId, resourceId, httpMethod: 'GET', statusCode: '200' }));
      const answer = `{"api": "${restApiId}", "n": ${n}}`;
      await client.send(new PutIntegrationResponseCommand({ restApiId, resourceId, httpMethod: 'GET', statusCode: '200', responseTemplates: { 'application/json': answer } }));
      api.answer = answer;
      ack();
      api.deploymentId = (await client.send(new CreateDeploymentCommand({ restApiId, stageName: 'live' }))).id!;
      ack();
      api.planId = (await client.send(new CreateUsagePlanCommand({ name: `plan-${n}`, apiStages: [{ apiId: restApiId, stage: 'live' }], throttle: { rateLimit: 100, burstLimit: 50 } }))).id!;
      ack();
      const key = await client.send(new CreateApiKeyCommand({ name: `key-${restApiId}`, enabled: true }));
      secret(key.value);
      api.keyId = key.id!;
      ack();
      await client.send(new CreateUsagePlanKeyCommand({ usagePlanId: api.planId, keyId: api.keyId, keyType: 'API_KEY' }));
      api.planKey = true;
      ack();
      const description = `revision ${n}`;
      await client.send(new UpdateRestApiCommand({ restApiId, patchOperations: [{ op: 'replace', path: '/description', value: description }] }));
      api.description = description;
      ack();
    } catch (err) {
      if (stop.now) return;
      throw new Error(`writer ${index}: write failed before the kill: ${(err as Error).message}`);
    }
  }
}

async function allRestApis(client: APIGatewayClient): Promise<{ id: string; rootResourceId: string }[]> {
  const apis: { id: string; rootResourceId: string }[] = [];
  let position: string | undefined;
  do {
    const page = await client.send(new GetRestApisCommand({ limit: 500, position }));
    for (const item of page.items ?? []) apis.push({ id: item.id!, rootResourceId: item.rootResourceId! });
    position = page.position;
  } while (position);
  return apis;
}

/** Every acknowledged write is there, as acknowledged; returns how many APIs were checked. */
async function checkLedger(client: APIGatewayClient, ledger: Ledger): Promise<void> {
  for (const api of ledger.apis) {
    const restApiId = api.id;
    const got = await client.send(new GetRestApiCommand({ restApiId }));
    assert.equal(got.rootResourceId, api.rootResourceId);
    if (api.description) assert.equal(got.description, api.description, `${restApiId}: acknowledged description`);
    const resources = (await client.send(new GetResourcesCommand({ restApiId, limit: 500 }))).items ?? [];
    if (api.itemsId) assert.ok(resources.some((r) => r.id === api.itemsId && r.path === '/items'), `${restApiId}: acknowledged resource /items`);
    if (api.integration) {
      const integration = await client.send(new GetIntegrationCommand({ restApiId, resourceId: api.itemsId, httpMethod: 'GET' }));
      assert.equal(integration.type, 'MOCK');
      if (api.answer) assert.equal(integration.integrationResponses?.['200']?.responseTemplates?.['application/json'], api.answer);
    }
    if (api.deploymentId) {
      const deployments = (await client.send(new GetDeploymentsCommand({ restApiId }))).items ?? [];
      assert.ok(deployments.some((d) => d.id === api.deploymentId), `${restApiId}: acknowledged deployment`);
      const stages = (await client.send(new GetStagesCommand({ restApiId }))).item ?? [];
      assert.equal(stages.find((s) => s.stageName === 'live')?.deploymentId, api.deploymentId, `${restApiId}: stage live on the acknowledged deployment`);
    }
    if (api.planId) {
      const plan = await client.send(new GetUsagePlanCommand({ usagePlanId: api.planId }));
      assert.deepEqual(plan.apiStages?.map((s) => `${s.apiId}/${s.stage}`), [`${restApiId}/live`]);
    }
    if (api.keyId) assert.equal((await client.send(new GetApiKeyCommand({ apiKey: api.keyId }))).id, api.keyId);
    if (api.planKey) assert.equal((await client.send(new GetUsagePlanKeyCommand({ usagePlanId: api.planId, keyId: api.keyId }))).id, api.keyId);
  }
}

/** Nothing half-written, acknowledged or not: each API has its root resource, each stage its deployment. */
async function checkWhole(client: APIGatewayClient): Promise<{ apis: number; stages: number }> {
  let stageCount = 0;
  const apis = await allRestApis(client);
  for (const api of apis) {
    const resources = (await client.send(new GetResourcesCommand({ restApiId: api.id, limit: 500 }))).items ?? [];
    const root = resources.find((r) => r.id === api.rootResourceId);
    assert.equal(root?.path, '/', `API ${api.id} has its root resource`);
    const deployments = new Set(((await client.send(new GetDeploymentsCommand({ restApiId: api.id }))).items ?? []).map((d) => d.id));
    for (const stage of (await client.send(new GetStagesCommand({ restApiId: api.id }))).item ?? []) {
      assert.ok(deployments.has(stage.deploymentId), `stage ${api.id}/${stage.stageName} points at an existing deployment`);
      stageCount++;
    }
  }
  return { apis: apis.length, stages: stageCount };
}

/** Straight from Postgres: no API without its root resource, no deployment without its snapshot, no stage without its deployment. */
async function checkRows(url: string): Promise<void> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    const count = async (sql: string) => Number((await db.query<{ n: string }>(sql)).rows[0]!.n);
    assert.equal(await count('SELECT count(*) AS n FROM rest_apis a WHERE NOT EXISTS (SELECT 1 FROM resources r WHERE r.id = a.root_resource_id)'), 0, 'APIs without root resource');
    assert.equal(await count("SELECT count(*) AS n FROM deployments WHERE snapshot IS NULL OR snapshot = 'null'::jsonb"), 0, 'deployments without snapshot');
    assert.equal(await count('SELECT count(*) AS n FROM stages s WHERE NOT EXISTS (SELECT 1 FROM deployments d WHERE d.id = s.deployment_id)'), 0, 'stages without deployment');
    assert.equal(await count('SELECT count(*) AS n FROM resources r WHERE r.parent_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM resources p WHERE p.id = r.parent_id)'), 0, 'orphan resources');
  } finally {
    await db.end();
  }
}

type Run = { acknowledged: number; apis: number; stages: number; served: number };

async function crashAndRecover(t: { diagnostic: (s: string) => void }, options: { databaseUrl?: string; allInOne: boolean }): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'portico-crash-'));
  try {
    const settings = { dataDir: dir, clusterSecret: CLUSTER_SECRET, databaseUrl: options.databaseUrl, allInOne: options.allInOne };
    const first = await startControlPlaneProcess(settings);
    const stop = { now: false };
    const ledgers: Ledger[] = Array.from({ length: WRITERS }, () => ({ accountId: randomAccountId(), apis: [], acknowledged: 0 }));
    const acknowledged = () => ledgers.reduce((n, l) => n + l.acknowledged, 0);
    const writers = ledgers.map((ledger, i) => writer(clientFor(first.url, ledger.accountId), ledger, i, stop));
    const failed = Promise.race(writers).then(() => undefined);
    // Let the stream run until a good share of writes is acknowledged, then kill at an arbitrary moment.
    const deadline = Date.now() + 120_000;
    while (acknowledged() < 60 && Date.now() < deadline) await Promise.race([sleep(50), failed]);
    await sleep(Math.floor(Math.random() * 200));
    stop.now = true;
    await first.kill9();
    await Promise.all(writers);
    const total = acknowledged();
    assert.ok(total >= 60, `only ${total} writes acknowledged before the kill`);

    const second = await startControlPlaneProcess({ ...settings, port: first.port });
    let apis = 0;
    let stages = 0;
    for (const ledger of ledgers) {
      const client = clientFor(second.url, ledger.accountId);
      await checkLedger(client, ledger);
      const whole = await checkWhole(client);
      apis += whole.apis;
      stages += whole.stages;
    }
    if (options.databaseUrl) await checkRows(options.databaseUrl);

    // Every acknowledged deployment serves, from its snapshot, on a worker that starts now.
    const worker = await startWorkerProcess({ controlUrl: second.url, clusterSecret: CLUSTER_SECRET, cacheDir: join(dir, 'worker') });
    let served = 0;
    for (const api of ledgers.flatMap((l) => l.apis).filter((a) => a.deploymentId && a.answer)) {
      const url = `${worker.url}/restapis/${api.id}/live/_user_request_/items`;
      let res: Response | undefined;
      for (let i = 0; i < 100; i++) {
        res = await fetch(url);
        if (res.status !== 403) break;
        await sleep(100);
      }
      assert.equal(res!.status, 200, `${api.id}/live serves`);
      assert.equal(await res!.text(), api.answer);
      served++;
    }
    await worker.stop();
    await second.stop();
    t.diagnostic(`${total} writes acknowledged by ${WRITERS} writers before kill -9; after restart all there, ${apis} APIs and ${stages} stages whole, ${served} deployments served`);
    return { acknowledged: total, apis, stages, served };
  } finally {
    await killAll();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('kill -9 of the control plane during concurrent management writes', () => {
  let postgres: Postgres | undefined;
  after(async () => {
    await killAll();
    postgres?.destroy();
  });

  it('loses no acknowledged write and leaves nothing half-written (PostgreSQL)', async (t) => {
    postgres = await startPostgres();
    if (!postgres) {
      t.skip('PostgreSQL server binaries not installed (/usr/lib/postgresql/*/bin)');
      return;
    }
    const run = await crashAndRecover(t, { databaseUrl: postgres.url, allInOne: false });
    assert.ok(run.served > 0);
  });

  it('loses no acknowledged write and leaves nothing half-written (all-in-one on embedded PGlite)', async (t) => {
    const run = await crashAndRecover(t, { allInOne: true });
    assert.ok(run.served > 0);
  });
});
