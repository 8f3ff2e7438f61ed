// Canary releases end to end: a stage's canary (CreateDeployment with canarySettings, UpdateStage's
// /canarySettings paths) gets its share of requests with its deployment and overridden stage
// variables and `$context.isCanaryRequest` true; promotion (`copy`) and removal; the canary's use
// of the stage cache; and UpdateStage's canary errors as AWS answers them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateDeploymentCommand,
  CreateRestApiCommand,
  CreateStageCommand,
  GetStageCommand,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
  UpdateIntegrationResponseCommand,
  UpdateStageCommand,
  type PatchOperation,
} from '@aws-sdk/client-api-gateway';
import { expectError, newClient } from '../helpers/client.js';
import { invoke, waitForStage, waitUntil } from '../helpers/invoke.js';

type Answer = { message: string; variable: string; nonExistingDefault: string; nonOverridden: string; isCanary: string; requestId: string };

/** The response template of AWS's recorded canary test, plus the request id (repeated only by the cache). */
const template = (message: string) =>
  JSON.stringify({
    message,
    variable: '$stageVariables.testVar',
    nonExistingDefault: '$stageVariables.noStageVar',
    nonOverridden: '$stageVariables.defaultVar',
    isCanary: '$context.isCanaryRequest',
    requestId: '$context.requestId',
  });

/** GET / of a new API answering from a MOCK integration; deployed to `prod` with stage variables. */
async function deployedApi() {
  const client = newClient();
  const { id: restApiId, rootResourceId: rootId } = await client.send(new CreateRestApiCommand({ name: 'canary' }));
  const target = { restApiId: restApiId!, resourceId: rootId!, httpMethod: 'GET' };
  await client.send(new PutMethodCommand({ ...target, authorizationType: 'NONE' }));
  await client.send(new PutMethodResponseCommand({ ...target, statusCode: '200' }));
  await client.send(new PutIntegrationCommand({ ...target, type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
  await client.send(new PutIntegrationResponseCommand({ ...target, statusCode: '200', selectionPattern: '', responseTemplates: { 'application/json': template('default deployment') } }));
  const first = await client.send(new CreateDeploymentCommand({ restApiId, stageName: 'prod', variables: { testVar: 'default', defaultVar: 'default' } }));
  await waitForStage(restApiId!, 'prod');
  const setTemplate = (message: string) =>
    client.send(new UpdateIntegrationResponseCommand({ ...target, statusCode: '200', patchOperations: [{ op: 'replace', path: '/responseTemplates/application~1json', value: template(message) }] }));
  return { client, restApiId: restApiId!, firstDeploymentId: first.id!, setTemplate };
}

async function call(restApiId: string): Promise<Answer> {
  const r = await invoke(restApiId, 'prod', '/');
  assert.equal(r.status, 200, r.body);
  return JSON.parse(r.body) as Answer;
}

const update = (client: ReturnType<typeof newClient>, restApiId: string, ...patchOperations: PatchOperation[]) =>
  client.send(new UpdateStageCommand({ restApiId, stageName: 'prod', patchOperations }));

const waitForAnswer = (restApiId: string, check: (a: Answer) => boolean) =>
  waitUntil(() => invoke(restApiId, 'prod', '/'), (r) => r.status === 200 && check(JSON.parse(r.body) as Answer), 10_000);

describe('canary releases', { concurrency: true }, () => {
  it('sends percentTraffic of the requests to the canary, with its deployment and variables', async () => {
    const { client, restApiId, setTemplate } = await deployedApi();
    await setTemplate('canary deployment');
    const canary = await client.send(new CreateDeploymentCommand({
      restApiId, stageName: 'prod', canarySettings: { percentTraffic: 25, stageVariableOverrides: { testVar: 'canary', noStageVar: 'canary' } },
    }));
    const stage = await client.send(new GetStageCommand({ restApiId, stageName: 'prod' }));
    assert.deepEqual(stage.canarySettings, { deploymentId: canary.id, percentTraffic: 25, stageVariableOverrides: { testVar: 'canary', noStageVar: 'canary' }, useStageCache: false });
    await waitForAnswer(restApiId, (a) => a.isCanary === 'true');

    // 1,000 requests at 25%: the canary's share is within 18.5–31.5% (4.7 standard deviations either
    // side, so a fair split fails about once in 400,000 runs; ±5% failed a CI run).
    let canaryAnswers = 0;
    for (let batch = 0; batch < 20; batch++) {
      const answers = await Promise.all(Array.from({ length: 50 }, () => call(restApiId)));
      for (const a of answers) {
        const { requestId: _id, ...rest } = a;
        if (a.isCanary === 'true') {
          canaryAnswers++;
          assert.deepEqual(rest, { message: 'canary deployment', variable: 'canary', nonExistingDefault: 'canary', nonOverridden: 'default', isCanary: 'true' });
        } else {
          assert.deepEqual(rest, { message: 'default deployment', variable: 'default', nonExistingDefault: '', nonOverridden: 'default', isCanary: 'false' });
        }
      }
    }
    assert.ok(canaryAnswers >= 185 && canaryAnswers <= 315, `canary answered ${canaryAnswers} of 1000`);

    // As AWS's recording: all of it at 100%.
    const full = await update(client, restApiId, { op: 'replace', path: '/canarySettings/percentTraffic', value: '100.0' });
    assert.equal(full.canarySettings!.percentTraffic, 100);
    const settled = await waitUntil(async () => {
      const answers = await Promise.all(Array.from({ length: 20 }, () => call(restApiId)));
      return { status: 200, headers: new Headers(), body: JSON.stringify(answers.every((a) => a.isCanary === 'true')) };
    }, (r) => r.body === 'true', 10_000);
    assert.equal(settled.result.body, 'true');
  });

  it('promotes the canary with copy, and ends it with remove /canarySettings', async () => {
    const { client, restApiId, setTemplate } = await deployedApi();
    await setTemplate('canary deployment');
    const canary = await client.send(new CreateDeploymentCommand({ restApiId, stageName: 'prod', canarySettings: { percentTraffic: 50, stageVariableOverrides: { testVar: 'override' } } }));
    const promoted = await update(
      client,
      restApiId,
      { op: 'replace', path: '/canarySettings/percentTraffic', value: '0.0' },
      { op: 'copy', from: '/canarySettings/deploymentId', path: '/deploymentId' },
      { op: 'copy', from: '/canarySettings/stageVariableOverrides', path: '/variables' },
    );
    // As AWS's recording: the stage takes the canary's deployment and overrides; the canary stays, with no traffic.
    assert.equal(promoted.deploymentId, canary.id);
    assert.deepEqual(promoted.variables, { testVar: 'override', defaultVar: 'default' });
    assert.deepEqual(promoted.canarySettings, { deploymentId: canary.id, percentTraffic: 0, stageVariableOverrides: { testVar: 'override' }, useStageCache: false });
    // Once the worker has the promotion, the stage's own requests (no canary traffic left) answer from the canary's deployment.
    const { result } = await waitForAnswer(restApiId, (a) => a.message === 'canary deployment' && a.isCanary === 'false');
    assert.equal((JSON.parse(result.body) as Answer).variable, 'override');
    const after = await Promise.all(Array.from({ length: 20 }, () => call(restApiId)));
    assert.ok(after.every((a) => a.message === 'canary deployment' && a.isCanary === 'false' && a.variable === 'override'));

    const removed = await update(client, restApiId, { op: 'remove', path: '/canarySettings' });
    assert.equal(removed.canarySettings, undefined);
    assert.equal((await client.send(new GetStageCommand({ restApiId, stageName: 'prod' }))).canarySettings, undefined);
    await expectError(
      update(client, restApiId, { op: 'copy', from: '/canarySettings/deploymentId', path: '/deploymentId' }),
      'BadRequestException',
      400,
      'Promotion not available. Canary does not exist.',
    );
  });

  it('creates a canary from UpdateStage paths, with AWS defaults', async () => {
    const { client, restApiId, firstDeploymentId, setTemplate } = await deployedApi();
    await setTemplate('second deployment');
    const second = await client.send(new CreateDeploymentCommand({ restApiId }));
    const byDeployment = await update(client, restApiId, { op: 'replace', path: '/canarySettings/deploymentId', value: second.id! });
    assert.deepEqual(byDeployment.canarySettings, { deploymentId: second.id, percentTraffic: 0, useStageCache: false });
    await update(client, restApiId, { op: 'remove', path: '/canarySettings' });
    const byPercent = await update(client, restApiId, { op: 'replace', path: '/canarySettings/percentTraffic', value: '50' });
    assert.deepEqual(byPercent.canarySettings, { deploymentId: firstDeploymentId, percentTraffic: 50, useStageCache: false });
    const overridden = await update(
      client,
      restApiId,
      { op: 'replace', path: '/canarySettings/stageVariableOverrides/testVar', value: 'updated' },
      { op: 'replace', path: '/canarySettings/useStageCache', value: 'true' },
      { op: 'replace', path: '/canarySettings/deploymentId', value: second.id! },
    );
    assert.deepEqual(overridden.canarySettings, { deploymentId: second.id, percentTraffic: 50, stageVariableOverrides: { testVar: 'updated' }, useStageCache: true });
    const removedOverride = await update(client, restApiId, { op: 'remove', path: '/canarySettings/stageVariableOverrides/testVar' });
    assert.deepEqual(removedOverride.canarySettings, { deploymentId: second.id, percentTraffic: 50, useStageCache: true });
  });

  it('refuses canary changes as AWS does', async () => {
    const { client, restApiId, firstDeploymentId } = await deployedApi();
    const bad = (op: PatchOperation, message: string | RegExp) => expectError(update(client, restApiId, op), 'BadRequestException', 400, message);
    await bad({ op: 'add', path: '/canarySettings/deploymentId', value: firstDeploymentId }, 'Invalid add operation with path: /canarySettings/deploymentId');
    await bad({ op: 'replace', path: '/canarySettings/deploymentId', value: 'deploy' }, 'Deployment id does not exist');
    await bad({ op: 'remove', path: '/canarySettings/stageVariableOverrides' }, 'Cannot remove method setting canarySettings/stageVariableOverrides because there is no method setting for this method ');
    await bad({ op: 'remove', path: '/canarySettings/badPath' }, 'Cannot remove method setting canarySettings/badPath because there is no method setting for this method ');
    await bad({ op: 'replace', path: '/canarySettings/badPath', value: 'badPath' }, /^Invalid method setting path: \/canarySettings\/badPath\. Must be one of: \[\/deploymentId, /);
    await bad(
      { op: 'copy', path: '/canarySettings/stageVariableOverrides', from: '/variables' },
      'Invalid copy operation with path: /canarySettings/stageVariableOverrides and from /variables. Valid copy:path are [/deploymentId, /variables] and valid copy:from are [/canarySettings/deploymentId, /canarySettings/stageVariableOverrides]',
    );
    await bad({ op: 'copy', from: '/canarySettings/stageVariableOverrides', path: '/variables' }, 'Promotion not available. Canary does not exist.');
    for (const value of ['100.5', '-1', 'abc', '']) {
      await bad({ op: 'replace', path: '/canarySettings/percentTraffic', value }, `Invalid percentTraffic: ${value}. Must be between 0.0 and 100.0`);
    }
    await expectError(
      client.send(new CreateStageCommand({ restApiId, stageName: 'dev', deploymentId: firstDeploymentId, canarySettings: { percentTraffic: 150 } })),
      'BadRequestException',
      400,
      'Invalid percentTraffic: 150. Must be between 0.0 and 100.0',
    );
    await expectError(
      client.send(new CreateDeploymentCommand({ restApiId, stageName: 'prod', canarySettings: { percentTraffic: 101 } })),
      'BadRequestException',
      400,
      'Invalid percentTraffic: 101. Must be between 0.0 and 100.0',
    );
    assert.equal((await client.send(new GetStageCommand({ restApiId, stageName: 'prod' }))).canarySettings, undefined, 'nothing was changed');
  });

  it('uses the stage cache for canary requests only with useStageCache', async () => {
    const { client, restApiId, setTemplate } = await deployedApi();
    await update(client, restApiId, { op: 'replace', path: '/cacheClusterEnabled', value: 'true' }, { op: 'replace', path: '/*/*/caching/enabled', value: 'true' });
    // The stage's own requests: a cached answer repeats its request id.
    const { result } = await waitUntil(async () => {
      const a = await call(restApiId);
      const b = await call(restApiId);
      return { status: 200, headers: new Headers(), body: JSON.stringify(a.requestId === b.requestId) };
    }, (r) => r.body === 'true', 10_000);
    assert.equal(result.body, 'true');

    await setTemplate('canary deployment');
    await client.send(new CreateDeploymentCommand({ restApiId, stageName: 'prod', canarySettings: { percentTraffic: 100 } }));
    await waitForAnswer(restApiId, (a) => a.isCanary === 'true');
    const uncached = [await call(restApiId), await call(restApiId), await call(restApiId)];
    assert.ok(uncached.every((a) => a.isCanary === 'true' && a.message === 'canary deployment'));
    assert.equal(new Set(uncached.map((a) => a.requestId)).size, 3, 'without useStageCache the canary is never answered from the cache');

    await update(client, restApiId, { op: 'replace', path: '/canarySettings/useStageCache', value: 'true' });
    // With it, canary requests share the stage's entries: the entry the stage's own requests left.
    const shared = await waitForAnswer(restApiId, (a) => a.message === 'default deployment');
    const cachedId = (JSON.parse(shared.result.body) as Answer).requestId;
    assert.equal((await call(restApiId)).requestId, cachedId);
  });
});
