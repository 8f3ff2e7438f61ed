// Cross-account isolation, for every operation of the service model. Account A owns one of every
// kind of resource; account B calls every operation with A's ids (in the path, the query, and the
// body where a body names another resource). To B, A's resources must not exist: each answer must be
// exactly the answer to the same call with ids that name nothing (same status, error and message;
// mostly NotFoundException), never a success that changes anything, and never show anything of A's
// that B did not send. Account-level operations (lists, creates, the account) answer B with B's own.
// Afterwards everything A reads with the model's Get operations is exactly as before. An operation
// of the model that this file has no case for fails the test, so a new one cannot slip through.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CreateApiKeyCommand, CreateDeploymentCommand, CreateDomainNameCommand, CreateRestApiCommand, CreateUsagePlanCommand, PutIntegrationCommand, PutMethodCommand } from '@aws-sdk/client-api-gateway';
import { operations, type OperationSpec } from '../../src/control-plane/protocol/openapi.js';
import { certificateArn, createEverything, LAMBDA_URI, type Everything } from './helpers/everything.js';
import { clientFor, killAll, randomAccountId, startControlPlaneProcess, startPostgres, type Postgres } from './helpers/processes.js';
import { signedCall, type Call, type Reply } from './helpers/signed.js';

const patch = (path: string, value: string) => JSON.stringify({ patchOperations: [{ op: 'replace', path, value }] });
const SWAGGER = JSON.stringify({ swagger: '2.0', info: { title: 'taken over', version: '1' }, paths: { '/x': { get: { responses: { 200: { description: 'ok' } } } } } });

/** What B sends to the operations that address one of A's resources, when they take a body. */
const bodies: Record<string, string> = {
  CreateAuthorizer: JSON.stringify({ name: 'b', type: 'TOKEN', authorizerUri: LAMBDA_URI, identitySource: 'method.request.header.Auth' }),
  CreateBasePathMapping: '', // filled with B's own API below
  CreateDeployment: JSON.stringify({ stageName: 'b' }),
  CreateDocumentationPart: JSON.stringify({ location: { type: 'RESOURCE', path: '/pets' }, properties: '{"description":"b"}' }),
  ImportDocumentationParts: JSON.stringify({ swagger: '2.0', info: { title: 'x', version: '1' }, paths: {}, 'x-amazon-apigateway-documentation': { version: '1', documentationParts: [] } }),
  CreateDocumentationVersion: JSON.stringify({ documentationVersion: 'v2' }),
  CreateModel: JSON.stringify({ name: 'B', contentType: 'application/json', schema: '{"type":"object"}' }),
  CreateRequestValidator: JSON.stringify({ name: 'b', validateRequestParameters: true }),
  CreateResource: JSON.stringify({ pathPart: 'b' }),
  CreateStage: '', // names A's deployment, below
  CreateUsagePlanKey: '', // names B's own key, below
  UpdateApiKey: patch('/description', 'changed by B'),
  TestInvokeAuthorizer: JSON.stringify({ headers: { Auth: 'x' } }),
  UpdateAuthorizer: patch('/name', 'changed-by-b'),
  UpdateBasePathMapping: patch('/stage', 'prod'),
  UpdateClientCertificate: patch('/description', 'changed by B'),
  UpdateDeployment: patch('/description', 'changed by B'),
  UpdateDocumentationPart: patch('/properties', '{"description":"changed by B"}'),
  UpdateDocumentationVersion: patch('/description', 'changed by B'),
  UpdateDomainName: patch('/securityPolicy', 'TLS_1_2'),
  PutGatewayResponse: JSON.stringify({ statusCode: '418' }),
  UpdateGatewayResponse: patch('/statusCode', '418'),
  PutIntegration: JSON.stringify({ type: 'MOCK' }),
  UpdateIntegration: patch('/timeoutInMillis', '1000'),
  PutIntegrationResponse: JSON.stringify({ selectionPattern: '' }),
  UpdateIntegrationResponse: patch('/selectionPattern', 'b'),
  PutMethod: JSON.stringify({ authorizationType: 'NONE' }),
  TestInvokeMethod: JSON.stringify({}),
  UpdateMethod: patch('/operationName', 'b'),
  PutMethodResponse: JSON.stringify({}),
  UpdateMethodResponse: JSON.stringify({ patchOperations: [{ op: 'add', path: '/responseParameters/method.response.header.x-b', value: 'false' }] }),
  UpdateModel: patch('/description', 'changed by B'),
  UpdateRequestValidator: patch('/name', 'changed-by-b'),
  UpdateResource: patch('/pathPart', 'b'),
  PutRestApi: SWAGGER,
  UpdateRestApi: patch('/description', 'changed by B'),
  UpdateStage: patch('/description', 'changed by B'),
  UpdateUsagePlan: patch('/description', 'changed by B'),
  UpdateVpcLink: patch('/description', 'changed by B'),
  TagResource: JSON.stringify({ tags: { owner: 'b' } }),
  UpdateUsage: patch('/remaining', '0'),
};

/** Query values B sends: A's where the query names A's resources. */
function queryFor(op: OperationSpec, ids: Record<string, string>): string {
  const values: Record<string, string> = {
    tagKeys: 'team', startDate: '2026-01-01', endDate: '2026-12-31', mode: 'overwrite',
    domainNameArn: ids.domainNameArn!, domainNameAccessAssociationArn: ids.domainNameAccessAssociationArn!,
  };
  const literals = Object.entries(op.queryLiterals).map(([k, v]) => `${k}=${v}`);
  const required = op.parameters.filter((p) => p.in === 'query' && (p.required || p.name === 'mode')).map((p) => `${p.name}=${encodeURIComponent(values[p.name] ?? 'x')}`);
  return [...literals, ...required].join('&');
}

const pathOf = (op: OperationSpec, ids: Record<string, string>) =>
  '/' + op.segments.map((s) => (s.startsWith('{') ? encodeURIComponent(ids[s.slice(1, -1)] ?? assert.fail(`${op.name}: no id for ${s}`)) : s)).join('/');

/** `references`: the call works on B's own resources and names A's in its body; succeeding is fine if indistinguishable. */
type Expectation = { call: Call; expect: 'absent' | 'own' | 'global'; references?: boolean };

/**
 * The operations that address no resource of A's by path, one case each: what B sends (naming A's
 * resources where the operation takes references) and what must come back. `own`: B's own answer,
 * with nothing of A's in it; `absent`: the answer as if A's resources did not exist; `global`: the
 * same for every account.
 */
function accountLevel(ids: Record<string, string>, own: Record<string, string>): Record<string, Expectation[]> {
  const get = (path: string, query = ''): Call => ({ method: 'GET', path, query });
  const post = (path: string, body: unknown, query = ''): Call => ({ method: 'POST', path, query, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return {
    GetRestApis: [{ call: get('/restapis', 'limit=500'), expect: 'own' }],
    GetApiKeys: [{ call: get('/apikeys', 'includeValues=true&limit=500'), expect: 'own' }, { call: get('/apikeys', `name=${encodeURIComponent(ids.apiKeyName!)}&includeValues=true`), expect: 'own' }],
    GetUsagePlans: [{ call: get('/usageplans', 'limit=500'), expect: 'own' }, { call: get('/usageplans', `keyId=${ids.api_Key}`), expect: 'absent' }],
    GetDomainNames: [{ call: get('/domainnames', 'limit=500'), expect: 'own' }, { call: get('/domainnames', 'resourceOwner=OTHER_ACCOUNTS'), expect: 'own' }],
    GetDomainNameAccessAssociations: [{ call: get('/domainnameaccessassociations'), expect: 'own' }, { call: get('/domainnameaccessassociations', 'resourceOwner=OTHER_ACCOUNTS'), expect: 'own' }],
    GetClientCertificates: [{ call: get('/clientcertificates', 'limit=500'), expect: 'own' }],
    GetVpcLinks: [{ call: get('/vpclinks', 'limit=500'), expect: 'own' }],
    GetAccount: [{ call: get('/account'), expect: 'own' }],
    UpdateAccount: [{ call: { method: 'PATCH', path: '/account', body: patch('/throttle/rateLimit', '7') }, expect: 'own' }],
    GetSdkTypes: [{ call: get('/sdktypes'), expect: 'global' }],
    CreateRestApi: [{ call: post('/restapis', { name: 'clone', cloneFrom: ids.restapi_id }), expect: 'absent' }],
    ImportRestApi: [{ call: post('/restapis', SWAGGER, 'mode=import'), expect: 'own' }],
    CreateApiKey: [{ call: post('/apikeys', { name: 'b', stageKeys: [{ restApiId: ids.restapi_id, stageName: 'prod' }] }), expect: 'absent' }],
    ImportApiKeys: [
      { call: post('/apikeys', 'name,key,description,enabled\nimported,imported-by-b-0123456789abcdef,,true\n', 'mode=import&format=csv'), expect: 'own' },
      { call: post('/apikeys', `name,key,usageplanIds\nplanned,planned-by-b-0123456789abcdef,${ids.usageplanId}\n`, 'mode=import&format=csv&failonwarnings=true'), expect: 'absent' },
    ],
    CreateUsagePlan: [{ call: post('/usageplans', { name: 'b', apiStages: [{ apiId: ids.restapi_id, stage: 'prod' }] }), expect: 'absent' }],
    CreateDomainName: [{ call: post('/domainnames', { domainName: `created-by-b-${own.restApiId}.example.org`, certificateArn: certificateArn(own.accountId!) }), expect: 'own' }],
    CreateDomainNameAccessAssociation: [{
      call: post('/domainnameaccessassociations', { domainNameArn: ids.domainNameArn, accessAssociationSourceType: 'VPCE', accessAssociationSource: 'vpce-0bbbbbbbbbbbbbbbb' }), expect: 'absent',
    }],
    RejectDomainNameAccessAssociation: [{ call: { method: 'POST', path: '/rejectdomainnameaccessassociations', query: `domainNameAccessAssociationArn=${encodeURIComponent(ids.domainNameAccessAssociationArn!)}&domainNameArn=${encodeURIComponent(ids.domainNameArn!)}` }, expect: 'absent' }],
    GenerateClientCertificate: [{ call: post('/clientcertificates', { description: 'b' }), expect: 'own' }],
    CreateVpcLink: [{ call: post('/vpclinks', { name: 'b', targetArns: [`arn:aws:elasticloadbalancing:us-east-1:${own.accountId}:loadbalancer/net/b/0123456789abcdef`] }), expect: 'own' }],
  };
}

/** Operations addressing a resource by path whose resource is not an account's. */
const GLOBAL_BY_PATH = new Set(['GetSdkType']);

/** Extra cases for path operations: B's own resource on one side, A's in the body on the other. */
function crossReferences(ids: Record<string, string>, own: Record<string, string>): Record<string, Expectation[]> {
  return {
    CreateBasePathMapping: [{ call: { method: 'POST', path: `/domainnames/${own.domainName}/basepathmappings`, body: JSON.stringify({ restApiId: ids.restapi_id, stage: 'prod', basePath: 'a' }) }, expect: 'absent', references: true }],
    CreateUsagePlanKey: [{ call: { method: 'POST', path: `/usageplans/${own.usagePlanId}/keys`, body: JSON.stringify({ keyId: ids.api_Key, keyType: 'API_KEY' }) }, expect: 'absent', references: true }],
    CreateStage: [{ call: { method: 'POST', path: `/restapis/${own.restApiId}/stages`, body: JSON.stringify({ stageName: 'a', deploymentId: ids.deployment_id }) }, expect: 'absent', references: true }],
    UpdateStage: [{ call: { method: 'PATCH', path: `/restapis/${own.restApiId}/stages/prod`, body: patch('/clientCertificateId', ids.clientcertificate_id!) }, expect: 'absent', references: true }],
    UpdateUsagePlan: [{ call: { method: 'PATCH', path: `/usageplans/${own.usagePlanId}`, body: JSON.stringify({ patchOperations: [{ op: 'add', path: '/apiStages', value: `${ids.restapi_id}:prod` }] }) }, expect: 'absent', references: true }],
    PutIntegration: [{
      call: { method: 'PUT', path: `/restapis/${own.restApiId}/resources/${own.rootId}/methods/GET/integration`, body: JSON.stringify({ type: 'HTTP_PROXY', integrationHttpMethod: 'GET', uri: 'http://example.com', connectionType: 'VPC_LINK', connectionId: ids.vpclink_id }) },
      expect: 'absent', references: true,
    }],
  };
}

/** A's distinctive ids and secrets: none may appear in anything B is answered. */
function secretsOf(a: Everything): string[] {
  const { ids } = a;
  return [ids.restapi_id, ids.root_id, ids.parent_id, ids.resource_id, ids.requestvalidator_id, ids.authorizer_id, ids.deployment_id, ids.part_id, ids.api_Key,
    ids.usageplanId, ids.clientcertificate_id, ids.vpclink_id, ids.domain_name, ids.private_domain_name, ids.domainNameId, ids.apiKeyName, a.apiKeyValue].filter((s): s is string => Boolean(s));
}

describe('cross-account isolation', () => {
  const dir = mkdtempSync(join(tmpdir(), 'portico-isolation-'));
  let url: string;
  const accountA = randomAccountId();
  const accountB = randomAccountId();
  let a: Everything;
  let own: Record<string, string>;
  let postgres: Postgres | undefined;

  before(async () => {
    postgres = await startPostgres();
    const cp = await startControlPlaneProcess({ dataDir: dir, clusterSecret: 'isolation-cluster-secret', databaseUrl: postgres?.url, env: { PORTICO_VPC_LINK_PROVISIONING_MS: '0' } });
    url = cp.url;
    a = await createEverything(clientFor(url, accountA), accountA);
    // B's own API, stage, domain name, key and usage plan, to point at A's resources from.
    const b = clientFor(url, accountB);
    const api = await b.send(new CreateRestApiCommand({ name: 'b-own' }));
    await b.send(new PutMethodCommand({ restApiId: api.id, resourceId: api.rootResourceId, httpMethod: 'GET', authorizationType: 'NONE' }));
    await b.send(new PutIntegrationCommand({ restApiId: api.id, resourceId: api.rootResourceId, httpMethod: 'GET', type: 'MOCK' }));
    await b.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'prod' }));
    const domainName = `own-${api.id}.example.org`;
    await b.send(new CreateDomainNameCommand({ domainName, certificateArn: certificateArn(accountB) }));
    const key = await b.send(new CreateApiKeyCommand({ name: 'b-own' }));
    const plan = await b.send(new CreateUsagePlanCommand({ name: 'b-own' }));
    own = { accountId: accountB, restApiId: api.id!, rootId: api.rootResourceId!, domainName, keyId: key.id!, usagePlanId: plan.id! };
    bodies.CreateBasePathMapping = JSON.stringify({ restApiId: own.restApiId, stage: 'prod', basePath: 'b' });
    bodies.CreateStage = JSON.stringify({ stageName: 'b', deploymentId: a.ids.deployment_id });
    bodies.CreateUsagePlanKey = JSON.stringify({ keyId: own.keyId, keyType: 'API_KEY' });
  });
  after(async () => {
    await killAll();
    postgres?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Everything A can read with the model's Get operations: status and body, by operation. */
  async function whatAReads(): Promise<Map<string, Reply>> {
    const reads = new Map<string, Reply>();
    const ids = a.ids;
    const query: Record<string, string> = { GetApiKey: 'includeValue=true', GetApiKeys: 'includeValues=true&limit=500', GetUsage: queryFor(operations.find((o) => o.name === 'GetUsage')!, ids) };
    for (const op of operations.filter((o) => o.method === 'GET' && o.name !== 'GetSdk')) {
      const call = { method: 'GET', path: pathOf(op, ids), query: query[op.name] ?? queryFor(op, ids) };
      reads.set(op.name, await signedCall(url, accountA, call));
      if (op.parameters.some((p) => p.name === 'domainNameId')) {
        reads.set(`${op.name} (private)`, await signedCall(url, accountA, { ...call, path: pathOf(op, { ...ids, domain_name: ids.private_domain_name! }), query: `domainNameId=${ids.domainNameId}` }));
      }
    }
    return reads;
  }

  it('lets no other account read, change, delete or list anything of A, by any operation', async (t) => {
    const before = await whatAReads();
    const unreadable = [...before].filter(([, r]) => r.status !== 200 && r.status !== 501).map(([name, r]) => `${name}: ${r.status} ${r.body.slice(0, 200)}`);
    assert.deepEqual(unreadable, [], 'A reads its own resources');

    const ids = a.ids;
    const levels = accountLevel(ids, own);
    const cross = crossReferences(ids, own);
    const uncovered: string[] = [];
    const plan: { operation: string; expectation: Expectation }[] = [];
    let absentAsNotFound = 0;
    for (const op of operations) {
      const pathParams = op.parameters.filter((p) => p.in === 'path');
      const cases = [...(levels[op.name] ?? []), ...(cross[op.name] ?? [])];
      if (!pathParams.length) {
        if (!levels[op.name]) uncovered.push(op.name);
      } else {
        if (op.body && !(op.name in bodies)) uncovered.push(op.name);
        const call: Call = { method: op.method, path: pathOf(op, ids), query: queryFor(op, ids), body: bodies[op.name] };
        cases.push({ call, expect: GLOBAL_BY_PATH.has(op.name) ? 'global' : 'absent' });
        if (op.parameters.some((p) => p.name === 'domainNameId')) {
          cases.push({ call: { ...call, path: pathOf(op, { ...ids, domain_name: ids.private_domain_name! }), query: [call.query, `domainNameId=${ids.domainNameId}`].filter(Boolean).join('&') }, expect: 'absent' });
        }
      }
      for (const expectation of cases) plan.push({ operation: op.name, expectation });
    }
    assert.deepEqual(uncovered, [], 'operations of the model without an isolation case');

    // Deletes last (A's API last of all), so that every other call meets A's resources whole.
    const rank = (p: (typeof plan)[number]) => (p.operation === 'DeleteRestApi' ? 2 : p.expectation.call.method === 'DELETE' ? 1 : 0);
    plan.sort((x, y) => rank(x) - rank(y));
    const secrets = secretsOf(a);
    // The same call naming nothing: each of A's ids swapped for one of the same shape that was never made.
    const nothing = (value: string | undefined) => secrets.reduce((v, secret) => v?.replaceAll(secret, secret.replace(/[a-z0-9]/g, (c) => (c === 'q' ? 'j' : 'q'))), value);
    const normalized = (r: Reply) => `${r.status} ${r.errorType ?? ''} ${[...secrets, ...secrets.map((x) => nothing(x)!)].reduce((m, x) => m.replaceAll(x, '<id>'), r.message ?? '')}`;
    const problems: string[] = [];
    for (const { operation, expectation } of plan) {
      const { call, expect, references } = expectation;
      const reply = await signedCall(url, accountB, call);
      const sent = `${call.path}?${call.query ?? ''} ${call.body?.toString() ?? ''}`;
      const leaked = secrets.filter((x) => reply.body.includes(x) && !sent.includes(x));
      const what = `${operation} ${call.method} ${call.path}${call.query ? `?${call.query}` : ''}: ${reply.status} ${reply.errorType ?? ''} ${reply.body.slice(0, 200)}`;
      if (reply.status >= 500) problems.push(`5xx: ${what}`);
      else if (leaked.length) problems.push(`shows A's ${leaked.join(', ')}: ${what}`);
      else if (expect === 'absent') {
        if (reply.status < 300 && call.method !== 'GET' && !references) problems.push(`changed something: ${what}`);
        const control = await signedCall(url, accountB, { ...call, path: nothing(call.path)!, query: nothing(call.query), body: nothing(call.body?.toString()) });
        if (normalized(reply) !== normalized(control)) problems.push(`answered unlike for ids naming nothing (${normalized(control)}): ${what}`);
        else if (reply.status === 404) absentAsNotFound++;
      } else if (reply.status >= 300) problems.push(`B's own call failed: ${what}`);
    }
    t.diagnostic(`${operations.length} operations, ${plan.length} calls by another account (${absentAsNotFound} answered NotFoundException): ${problems.length} reached A's resources or told them apart`);
    assert.deepEqual(problems, []);

    const afterwards = await whatAReads();
    const changed = [...before].filter(([name, r]) => afterwards.get(name)?.status !== r.status || afterwards.get(name)?.body !== r.body).map(([name, r]) => `${name}: ${r.body.slice(0, 300)}\n  now ${afterwards.get(name)?.status} ${afterwards.get(name)?.body.slice(0, 300)}`);
    t.diagnostic(`${before.size} reads of A's resources compared before and after`);
    assert.deepEqual(changed, [], "A's resources are intact");
  });
});
