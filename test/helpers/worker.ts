// A worker of a test's own, in the test process, for settings the shared worker does not have
// (a Lambda endpoint, user pools, AWS service endpoints, TLS): it follows the test control plane.
import { startWorker, type RunningWorker, type WorkerSettings } from '../../src/data-plane/worker.js';
import { endpoint } from './client.js';

/** Starts a worker on a free loopback port with the test cluster's secret, its config cached in `cacheDir`. */
export function startTestWorker(cacheDir: string, settings: Partial<WorkerSettings> = {}): Promise<RunningWorker> {
  return startWorker({
    port: 0,
    host: '127.0.0.1',
    controlPlaneUrl: endpoint,
    clusterSecret: process.env.PORTICO_TEST_CLUSTER_SECRET ?? '',
    cacheDir,
    executeApiDomain: 'execute-api.localhost',
    ...settings,
  });
}
