// `npm test`: starts Portico once (embedded database, or DATABASE_URL when set), then runs every
// test file against it with node's test runner; test files may run in parallel, each test in its
// own account. Extra arguments are passed to the test runner (e.g. a file to run alone).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

function testFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    // The reliability batteries start their own processes: `npm run test:reliability` runs them.
    if (statSync(path).isDirectory()) return name === 'helpers' || name === 'reliability' ? [] : testFiles(path);
    return name.endsWith('.test.ts') ? [path] : [];
  });
}

const root = new URL('.', import.meta.url).pathname;
const args = process.argv.slice(2);
const files = args.some((a) => a.endsWith('.ts')) ? [] : testFiles(root).map((f) => relative(process.cwd(), f)).sort();

process.env.PORTICO_LOG_LEVEL ??= 'warn';
const { startControlPlane } = await import('../src/control-plane/server.js');
const { startWorker } = await import('../src/data-plane/worker.js');
const clusterSecret = randomBytes(32).toString('hex');
const controlPlane = await startControlPlane({
  port: 0, host: '127.0.0.1', databaseUrl: process.env.DATABASE_URL, clusterSecret,
  // TestInvokeAuthorizer runs the same test functions.
  lambda: { endpoint: undefined, functionsDir: join(root, 'functions'), functionTimeoutMs: 2000 },
});
const endpoint = `http://127.0.0.1:${controlPlane.port}`;
const cacheDir = mkdtempSync(join(tmpdir(), 'portico-test-worker-'));
const worker = await startWorker({
  port: 0, host: '127.0.0.1', controlPlaneUrl: endpoint, clusterSecret, cacheDir, executeApiDomain: 'execute-api.localhost',
  // The functions tests integrate with run in the built-in runner, with a timeout short enough to wait out.
  lambda: { endpoint: undefined, functionsDir: join(root, 'functions'), functionTimeoutMs: 2000, invokeApi: true },
});

const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...args, ...files], {
  stdio: 'inherit',
  env: {
    ...process.env,
    PORTICO_TEST_ENDPOINT: endpoint,
    PORTICO_TEST_WORKER_ENDPOINT: `http://127.0.0.1:${worker.port}`,
    PORTICO_TEST_CLUSTER_SECRET: clusterSecret,
  },
});
const code: number = await new Promise((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
await worker.stop();
await controlPlane.stop();
rmSync(cacheDir, { recursive: true, force: true });
process.exit(code);
