// The data-plane worker: a plain node:http server answering deployed APIs from compiled config
// held in memory. It never touches the database and never asks the control plane on the request path.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { config } from '../config.js';
import { logger } from '../logger.js';
import type { WorkerConfig } from '../shared/worker-config.js';
import { createAuthorizerServices } from './auth/services.js';
import type { UserPoolSettings } from './auth/user-pools.js';
import { compileConfig, type CompiledConfig } from './compile/index.js';
import { ConfigClient } from './config-client.js';
import { createLambdaInvoker } from './lambda/index.js';
import { isInvokeApiRequest, serveInvokeApi } from './lambda/invoke-api.js';
import type { LambdaSettings } from './lambda/settings.js';
import { handleInvocation } from './pipeline/index.js';
import type { WorkerServices } from './services.js';

export type WorkerSettings = {
  port: number;
  host: string;
  controlPlaneUrl: string;
  clusterSecret: string;
  cacheDir: string;
  executeApiDomain: string;
  /** the region of method ARNs (PORTICO_REGION) */
  region?: string;
  /** where COGNITO_USER_POOLS authorizers' user pools live (PORTICO_COGNITO_USER_POOLS) */
  cognitoUserPools?: UserPoolSettings;
  /** where Lambda functions run (PORTICO_LAMBDA_ENDPOINT, PORTICO_FUNCTIONS_DIR, ...); unset fields come from the environment */
  lambda?: Partial<LambdaSettings>;
};

export type RunningWorker = {
  port: number;
  /** the config version being served (-1 before the first) */
  version: () => number;
  stop: () => Promise<void>;
};

export async function startWorker(settings: WorkerSettings): Promise<RunningWorker> {
  const workerId = `worker-${randomUUID()}`;
  let compiled: CompiledConfig | undefined;
  let inFlight = 0;
  const lambda = { ...config.lambda, ...settings.lambda };
  const services: WorkerServices = {
    executeApiDomain: settings.executeApiDomain,
    lambda: createLambdaInvoker(lambda),
    authorizers: createAuthorizerServices({ region: settings.region ?? config.region, userPools: settings.cognitoUserPools ?? config.cognitoUserPools }),
  };
  const client = new ConfigClient({
    controlPlaneUrl: settings.controlPlaneUrl,
    clusterSecret: settings.clusterSecret,
    cacheDir: settings.cacheDir,
    workerId,
    // Compiled off the request path, then swapped in with one assignment.
    apply: (config: WorkerConfig) => {
      compiled = compileConfig(config, compiled);
    },
  });

  const server: Server = createServer({ maxHeaderSize: 16 * 1024 }, (req: IncomingMessage, res: ServerResponse) => {
    if (req.url === '/_portico/health') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'ok', version: client.currentVersion }));
      return;
    }
    if (req.url === '/_portico/ready') {
      res.writeHead(compiled ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify({ ready: Boolean(compiled), version: client.currentVersion }));
      return;
    }
    inFlight++;
    res.on('close', () => inFlight--);
    if (!lambda.endpoint && lambda.invokeApi && isInvokeApiRequest(req, settings.executeApiDomain)) {
      serveInvokeApi(req, res, services.lambda!, lambda.region).catch((err) => {
        logger.error({ err }, 'Lambda Invoke API failure');
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json', 'x-amzn-errortype': 'ServiceException' });
        res.end(JSON.stringify({ Type: 'Service', Message: 'Internal error' }));
      });
      return;
    }
    handleInvocation(req, res, compiled, services).catch((err) => {
      logger.error({ err }, 'unhandled invocation failure');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'Internal server error' }));
    });
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  // The disk cache is read before listening, so a restarted worker never answers without its config.
  client.start();
  await new Promise<void>((resolve) => server.listen(settings.port, settings.host, resolve));
  const port = (server.address() as AddressInfo).port;
  logger.info({ port, workerId, controlPlane: settings.controlPlaneUrl }, `worker serving deployed APIs on http://localhost:${port}`);

  return {
    port,
    version: () => client.currentVersion,
    stop: async () => {
      client.stop();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const deadline = Date.now() + 10_000;
      while (inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      server.closeAllConnections();
      await closed;
      await services.lambda?.close();
    },
  };
}
