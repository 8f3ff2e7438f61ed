// Smoke test of a running all-in-one Portico (`npm start`): waits for both planes to answer, then
// through the AWS SDK creates an API with a MOCK method, deploys it, and calls it on the worker.
import {
  APIGatewayClient,
  CreateDeploymentCommand,
  CreateRestApiCommand,
  GetRestApisCommand,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
} from '@aws-sdk/client-api-gateway';

const endpoint = process.env.PORTICO_TEST_ENDPOINT ?? 'http://127.0.0.1:4567';
const workerEndpoint = process.env.PORTICO_TEST_WORKER_ENDPOINT ?? 'http://127.0.0.1:4568';

async function waitFor(url: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (true) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`no answer from ${url}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

await waitFor(`${endpoint}/health`);
await waitFor(`${workerEndpoint}/_portico/health`);
const client = new APIGatewayClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: '123456789012', secretAccessKey: 'smoke' } });
const api = await client.send(new CreateRestApiCommand({ name: 'smoke' }));
const list = await client.send(new GetRestApisCommand({}));
if (!list.items?.some((i) => i.id === api.id)) throw new Error('created API not listed');
const restApiId = api.id!;
const resourceId = api.rootResourceId!;
await client.send(new PutMethodCommand({ restApiId, resourceId, httpMethod: 'GET', authorizationType: 'NONE' }));
await client.send(new PutMethodResponseCommand({ restApiId, resourceId, httpMethod: 'GET', statusCode: '200' }));
await client.send(new PutIntegrationCommand({ restApiId, resourceId, httpMethod: 'GET', type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
await client.send(
  new PutIntegrationResponseCommand({ restApiId, resourceId, httpMethod: 'GET', statusCode: '200', responseTemplates: { 'application/json': '{"smoke": "ok"}' } }),
);
await client.send(new CreateDeploymentCommand({ restApiId, stageName: 'smoke' }));
const url = `${workerEndpoint}/restapis/${restApiId}/smoke/_user_request_/`;
const deadline = Date.now() + 10_000;
while (true) {
  const res = await fetch(url);
  const body = await res.text();
  if (res.status === 200 && body === '{"smoke": "ok"}') break;
  if (Date.now() > deadline) throw new Error(`deployed API not served: ${res.status} ${body}`);
  await new Promise((r) => setTimeout(r, 100));
}
console.log(`smoke: created, deployed and invoked ${restApiId}`);
