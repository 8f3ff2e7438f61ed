// Starts the control plane: database (external or embedded), migrations, authentication, HTTP.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { config, type AuthMode } from '../config.js';
import { openDatabase, type Database } from '../db/data-source.js';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../db/embedded.js';
import { createAuthorizerServices } from '../data-plane/auth/services.js';
import { RoleCredentials } from '../data-plane/integrations/role-credentials.js';
import { createLambdaInvoker } from '../data-plane/lambda/index.js';
import type { LambdaSettings } from '../data-plane/lambda/settings.js';
import { logger } from '../logger.js';
import { createControlPlane } from './app.js';
import { workerIdentities } from './account/identities.js';
import { sigv4Authenticator, type Authenticator } from './auth.js';
import { configChannel } from './config-channel/routes.js';
import { ConfigWatcher } from './config-channel/watcher.js';

export type RunningControlPlane = { port: number; db: Database; stop: () => Promise<void> };

export type ControlPlaneSettings = {
  port: number;
  host: string;
  databaseUrl?: string;
  /** where the embedded database keeps its files; undefined keeps it in memory */
  embeddedDataDir?: string;
  auth?: { mode: AuthMode; rootAccessKeyId?: string; rootSecretAccessKey?: string; iamIdentitiesFile?: string };
  /** signs and checks the cluster tokens of the config channel */
  clusterSecret: string;
  /** where test invocations run Lambda functions; unset fields come from the environment */
  lambda?: Partial<LambdaSettings>;
};

export async function startControlPlane(settings: ControlPlaneSettings): Promise<RunningControlPlane> {
  let embedded: EmbeddedDatabase | undefined;
  let url = settings.databaseUrl;
  if (!url) {
    embedded = await startEmbeddedDatabase(settings.embeddedDataDir);
    url = embedded.url;
  }
  const db = await openDatabase(url, Boolean(embedded));
  const auth = settings.auth ?? {
    mode: config.auth,
    rootAccessKeyId: config.rootAccessKeyId,
    rootSecretAccessKey: config.rootSecretAccessKey,
    iamIdentitiesFile: config.iamIdentitiesFile,
  };
  const authenticator: Authenticator =
    auth.mode === 'sigv4'
      ? await sigv4Authenticator(db, { accessKeyId: auth.rootAccessKeyId, secretAccessKey: auth.rootSecretAccessKey })
      : { mode: 'open' };
  const identities = await workerIdentities(db, auth.mode, auth.iamIdentitiesFile);
  const watcher = new ConfigWatcher(db, settings.databaseUrl, identities);
  await watcher.start();
  // TestInvokeAuthorizer and TestInvokeMethod run functions, check tokens and call backends here, as a worker would.
  const testInvoke = {
    lambda: createLambdaInvoker({ ...config.lambda, ...settings.lambda }),
    authorizers: createAuthorizerServices({ region: config.region, userPools: config.cognitoUserPools }),
    roleCredentials: new RoleCredentials(config.roleCredentials),
    awsEndpoints: config.awsEndpoints,
  };
  const app = createControlPlane({ db, region: config.region, authenticator, configChannel: configChannel(watcher, settings.clusterSecret, db), testInvoke });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(settings.port, settings.host, () => resolve(s));
  });
  server.keepAliveTimeout = 65_000;
  const port = (server.address() as AddressInfo).port;
  logger.info(
    {
      port,
      database: embedded ? 'embedded' : 'postgres',
      auth: auth.mode,
      managementApi: `http://localhost:${port}`,
      health: `http://localhost:${port}/health`,
      ready: `http://localhost:${port}/ready`,
      metrics: `http://localhost:${port}/metrics`,
    },
    `control plane listening on http://localhost:${port}`,
  );
  return {
    port,
    db,
    stop: async () => {
      await watcher.stop();
      await testInvoke.lambda.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      setTimeout(() => server.closeAllConnections(), 2000).unref();
      await closed;
      await db.dataSource.destroy();
      await embedded?.stop();
    },
  };
}
