// The data-plane worker: a plain node:http server answering deployed APIs from compiled config
// held in memory. It never touches the database and never asks the control plane on the request path.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { config } from '../config.js';
import { logger } from '../logger.js';
import type { WorkerConfig } from '../shared/worker-config.js';
import { createAuthorizerServices } from './auth/services.js';
import { StageCache } from './cache/stage-cache.js';
import type { UserPoolSettings } from './auth/user-pools.js';
import { findDomain } from './compile/domains.js';
import { compileConfig, type CompiledConfig } from './compile/index.js';
import { ConfigClient } from './config-client.js';
import { BackendConnections } from './integrations/backend-connections.js';
import { RoleCredentials, type RoleCredentialsSettings } from './integrations/role-credentials.js';
import type { VpcLinkTargets } from './integrations/vpc-link-targets.js';
import { createLambdaInvoker } from './lambda/index.js';
import { isInvokeApiRequest, serveInvokeApi } from './lambda/invoke-api.js';
import type { LambdaSettings } from './lambda/settings.js';
import { Observability, type AccessLogDestinations } from './observability/index.js';
import { handleInvocation } from './pipeline/index.js';
import type { WorkerServices } from './services.js';
import { startTlsServer, type TlsServer } from './tls/server.js';
import { createUsageServices } from './usage/index.js';

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
  /** access log destination ARN → file path or `stdout` (PORTICO_ACCESS_LOG_DESTINATIONS) */
  accessLogDestinations?: AccessLogDestinations;
  /** how long `stop` waits for requests in flight (PORTICO_DRAIN_TIMEOUT_MS) */
  drainTimeoutMs?: number;
  /** AWS service integrations' endpoints by service name (PORTICO_AWS_ENDPOINT_{SERVICE}); replaces the environment's when set */
  awsEndpoints?: Record<string, string>;
  /** role ARN → credentials, and what other roles sign with (PORTICO_ROLE_CREDENTIALS, AWS_*); unset fields come from the environment */
  roleCredentials?: Partial<RoleCredentialsSettings>;
  /** where throttle buckets and quota counters live for the fleet (PORTICO_REDIS_URL); unset: the environment's, else this process */
  redisUrl?: string;
  /** VPC link target ARN → backend address (PORTICO_VPC_LINK_TARGETS); replaces the environment's when set */
  vpcLinkTargets?: VpcLinkTargets;
  /** HTTPS for custom domain names (PORTICO_TLS_PORT, PORTICO_TLS_CERTS_DIR, PORTICO_TLS_TRUSTSTORES_DIR); unset: the environment's, else none */
  tls?: { port: number; certsDir: string; truststoresDir?: string };
};

export type RunningWorker = {
  port: number;
  /** the HTTPS port for custom domain names, when TLS is configured */
  tlsPort?: number;
  /** the config version being served (-1 before the first) */
  version: () => number;
  stop: () => Promise<void>;
};

export async function startWorker(settings: WorkerSettings): Promise<RunningWorker> {
  const workerId = `worker-${randomUUID()}`;
  let compiled: CompiledConfig | undefined;
  let inFlight = 0;
  let draining = false;
  const observability = new Observability({ accessLogDestinations: settings.accessLogDestinations ?? config.accessLogDestinations });
  const lambda = { ...config.lambda, ...settings.lambda };
  const services: WorkerServices = {
    executeApiDomain: settings.executeApiDomain,
    lambda: createLambdaInvoker(lambda),
    awsEndpoints: settings.awsEndpoints ?? config.awsEndpoints,
    roleCredentials: new RoleCredentials({ ...config.roleCredentials, ...settings.roleCredentials }),
    authorizers: createAuthorizerServices({ region: settings.region ?? config.region, userPools: settings.cognitoUserPools ?? config.cognitoUserPools }),
    observability,
    stageCache: new StageCache(config.stageCacheMaxMb * 1024 * 1024),
    backends: new BackendConnections(settings.vpcLinkTargets ?? config.vpcLinkTargets),
    // The cluster token is the config channel's: usage reports go to the same control plane.
    usage: createUsageServices({ controlPlaneUrl: settings.controlPlaneUrl, token: () => client.token(), redisUrl: settings.redisUrl ?? config.redisUrl }),
  };
  const client = new ConfigClient({
    controlPlaneUrl: settings.controlPlaneUrl,
    clusterSecret: settings.clusterSecret,
    cacheDir: settings.cacheDir,
    workerId,
    // Compiled off the request path, then swapped in with one assignment.
    apply: (config: WorkerConfig) => {
      compiled = compileConfig(config, compiled);
      services.backends!.update(compiled);
      observability.metrics.configVersion.set(config.version);
    },
  });

  const isApiHost = (host: string | undefined): boolean => {
    const hostname = (host ?? '').replace(/:\d+$/, '').toLowerCase();
    return hostname.endsWith(`.${settings.executeApiDomain}`) || (compiled !== undefined && findDomain(compiled.domains, hostname) !== undefined);
  };

  const server: Server = createServer({ maxHeaderSize: 16 * 1024 }, (req: IncomingMessage, res: ServerResponse) => {
    if (req.url === '/_portico/health') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'ok', version: client.currentVersion }));
      return;
    }
    if (req.url === '/_portico/ready') {
      // Not ready before the first config, nor while draining: load balancers stop sending requests.
      const ready = Boolean(compiled) && !draining;
      res.writeHead(ready ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify({ ready, draining, version: client.currentVersion }));
      return;
    }
    // Prometheus's default path too, on any host that is not an API's (execute-api or custom domain name).
    if (req.url === '/_portico/metrics' || (req.url === '/metrics' && !isApiHost(req.headers.host))) {
      observability.metrics.text().then(
        (text) => res.writeHead(200, { 'content-type': observability.metrics.registry.contentType }).end(text),
        (err) => {
          logger.error({ err }, 'metrics collection failed');
          res.writeHead(500).end();
        },
      );
      return;
    }
    inFlight++;
    observability.metrics.inFlight.inc();
    res.on('close', () => {
      inFlight--;
      observability.metrics.inFlight.dec();
    });
    // While draining, answered connections are closed rather than kept for more requests.
    if (draining) res.shouldKeepAlive = false;
    if (!lambda.endpoint && lambda.invokeApi && isInvokeApiRequest(req, isApiHost)) {
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
  const tlsSettings = settings.tls ?? (config.tlsPort !== undefined && config.tlsCertsDir ? { port: config.tlsPort, certsDir: config.tlsCertsDir } : undefined);
  // HTTPS requests take the same path as plain ones.
  const tlsServer: TlsServer | undefined = tlsSettings
    ? await startTlsServer(
        {
          port: tlsSettings.port,
          certsDir: tlsSettings.certsDir,
          truststoresDir: tlsSettings.truststoresDir ?? config.tlsTruststoresDir ?? join(tlsSettings.certsDir, 'truststores'),
          host: settings.host,
          truststoreFor: (servername) => (compiled ? findDomain(compiled.domains, servername)?.truststoreUri : undefined),
        },
        (req, res) => server.emit('request', req, res),
      )
    : undefined;
  logger.info(
    {
      port,
      workerId,
      controlPlane: settings.controlPlaneUrl,
      invokeUrls: [`http://{restApiId}.${settings.executeApiDomain}:${port}/{stage}/`, `http://localhost:${port}/restapis/{restApiId}/{stage}/_user_request_/`],
      health: `http://localhost:${port}/_portico/health`,
      ready: `http://localhost:${port}/_portico/ready`,
      metrics: `http://localhost:${port}/_portico/metrics`,
    },
    `worker serving deployed APIs on http://localhost:${port}`,
  );

  return {
    port,
    ...(tlsServer ? { tlsPort: tlsServer.port } : {}),
    version: () => client.currentVersion,
    stop: async () => {
      // Stop accepting, let requests in flight finish (up to the drain timeout), then flush logs.
      draining = true;
      client.stop();
      const tlsClosed = tlsServer?.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const deadline = Date.now() + (settings.drainTimeoutMs ?? config.drainTimeoutMs);
      while (inFlight > 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
        server.closeIdleConnections();
      }
      if (inFlight > 0) logger.warn({ inFlight }, 'drain timeout: closing connections with requests in flight');
      server.closeAllConnections();
      await closed;
      await tlsClosed;
      await services.backends?.close();
      await services.usage?.close();
      await observability.close();
      await services.lambda?.close();
    },
  };
}
