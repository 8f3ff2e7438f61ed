// Smoke test of a running Portico: waits for it to answer, then creates and lists an API through the AWS SDK.
import { APIGatewayClient, CreateRestApiCommand, GetRestApisCommand } from '@aws-sdk/client-api-gateway';

const endpoint = process.env.PORTICO_TEST_ENDPOINT ?? 'http://127.0.0.1:4567';
const deadline = Date.now() + 120_000;
while (true) {
  try {
    if ((await fetch(`${endpoint}/health`)).ok) break;
  } catch {
    // not listening yet
  }
  if (Date.now() > deadline) throw new Error(`no answer from ${endpoint}`);
  await new Promise((r) => setTimeout(r, 250));
}
const client = new APIGatewayClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: '123456789012', secretAccessKey: 'smoke' } });
const api = await client.send(new CreateRestApiCommand({ name: 'smoke' }));
const list = await client.send(new GetRestApisCommand({}));
if (!list.items?.some((i) => i.id === api.id)) throw new Error('created API not listed');
console.log(`smoke: created and listed ${api.id}`);
