// Small APIs the batteries deploy, and plain HTTP calls to management and worker endpoints.
import {
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
  type APIGatewayClient,
  type PutIntegrationCommandInput,
} from '@aws-sdk/client-api-gateway';
import { sleep } from './processes.js';

export type Route = {
  path: string;
  httpMethod?: string;
  integration: Omit<PutIntegrationCommandInput, 'restApiId' | 'resourceId' | 'httpMethod'>;
  /** the 200 integration response's template (non-proxy integrations) */
  answer?: string;
  authorizationType?: string;
  apiKeyRequired?: boolean;
  requestValidatorId?: string;
  requestModels?: Record<string, string>;
  methodParameters?: Record<string, boolean>;
  responseParameters?: Record<string, string>;
};

/** Creates an API with one method per route (resources made as needed) and deploys it to `stage`. */
export async function deployApi(client: APIGatewayClient, name: string, routes: Route[], stage = 'live', configure?: (restApiId: string) => Promise<Partial<Route>[] | void>): Promise<string> {
  const api = await client.send(new CreateRestApiCommand({ name }));
  const restApiId = api.id!;
  const extra = (await configure?.(restApiId)) ?? [];
  const ids = new Map<string, string>([['/', api.rootResourceId!]]);
  const resourceFor = async (path: string): Promise<string> => {
    const known = ids.get(path);
    if (known) return known;
    const cut = path.lastIndexOf('/');
    const parentId = await resourceFor(cut === 0 ? '/' : path.slice(0, cut));
    const id = (await client.send(new CreateResourceCommand({ restApiId, parentId, pathPart: path.slice(cut + 1) }))).id!;
    ids.set(path, id);
    return id;
  };
  for (const [i, route] of routes.entries()) {
    const r = { ...route, ...extra[i] };
    const resourceId = await resourceFor(r.path);
    const httpMethod = r.httpMethod ?? 'GET';
    await client.send(new PutMethodCommand({
      restApiId, resourceId, httpMethod, authorizationType: r.authorizationType ?? 'NONE', apiKeyRequired: r.apiKeyRequired,
      requestValidatorId: r.requestValidatorId, requestModels: r.requestModels, requestParameters: r.methodParameters,
    }));
    await client.send(new PutIntegrationCommand({ restApiId, resourceId, httpMethod, ...r.integration }));
    const proxy = r.integration.type === 'HTTP_PROXY' || r.integration.type === 'AWS_PROXY';
    if (!proxy) {
      const headers = Object.keys(r.responseParameters ?? {});
      await client.send(new PutMethodResponseCommand({
        restApiId, resourceId, httpMethod, statusCode: '200', responseParameters: Object.fromEntries(headers.map((h) => [h, false])),
      }));
      await client.send(new PutIntegrationResponseCommand({
        restApiId, resourceId, httpMethod, statusCode: '200', selectionPattern: '', responseParameters: r.responseParameters,
        responseTemplates: r.answer === undefined ? undefined : { 'application/json': r.answer },
      }));
    }
  }
  await client.send(new CreateDeploymentCommand({ restApiId, stageName: stage }));
  return restApiId;
}

export type Answer = { status: number; headers: Headers; body: string; ms: number };

/** A call to a deployed API on a worker, path style. */
export async function call(worker: string, restApiId: string, stage: string, path: string, init: RequestInit = {}): Promise<Answer> {
  const started = Date.now();
  const res = await fetch(`${worker}/restapis/${restApiId}/${stage}/_user_request_${path}`, init);
  return { status: res.status, headers: res.headers, body: await res.text(), ms: Date.now() - started };
}

/** Polls until the worker serves `path` with `check` holding. */
export async function waitFor(worker: string, restApiId: string, stage: string, path: string, check: (a: Answer) => boolean = (a) => a.status === 200, timeoutMs = 15_000): Promise<Answer> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let last: Answer | undefined;
    try {
      last = await call(worker, restApiId, stage, path);
      if (check(last)) return last;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${restApiId}/${stage}${path} not as expected after ${timeoutMs} ms (last: ${last?.status} ${last?.body})`);
    await sleep(50);
  }
}

export const mockRoute = (path: string, answer: string, httpMethod = 'GET'): Route => ({
  path,
  httpMethod,
  integration: { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } },
  answer,
});
