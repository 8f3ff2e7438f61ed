// The reliability batteries run Portico as real processes, as an operator would: a control plane
// (src/control-plane/main.ts, or the all-in-one src/main.ts), workers (src/data-plane/main.ts) and a
// throwaway PostgreSQL cluster, each on a free loopback port, stopped by PID. Every line a process
// writes is kept, so tests can read the logs, and, at the end of every test file that uses them, checked
// for secrets: processes log at `debug`, their most verbose level, and no line may carry a cluster
// secret, a secret access key, an API key value, an Authorization header or SigV4 signature, a bearer
// or JWT token, or a private key.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { APIGatewayClient } from '@aws-sdk/client-api-gateway';

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `url` until it answers 2xx. */
export async function healthy(url: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${url} not healthy after ${timeoutMs} ms`);
    await sleep(100);
  }
}

export type PorticoProcess = {
  name: string;
  child: ChildProcess;
  /** everything written to stdout and stderr so far */
  output: () => string;
  exited: Promise<number | null>;
  /** SIGKILL: the process and the children it forked (the all-in-one's worker) die at once */
  kill9: () => Promise<void>;
  stop: () => Promise<void>;
};

const running = new Set<PorticoProcess>();
/** every process started by this test file, for the log check */
const started: PorticoProcess[] = [];

// ---- Secrets in logs ------------------------------------------------------------------------------

const secrets = new Set<string>();

/** Remembers a secret value (an API key's, a client certificate's key, ...) that no log line may contain; returns it. */
export function secret<T extends string | undefined>(value: T): T {
  if (value && value.length >= 8) secrets.add(value);
  return value;
}

/** What a secret looks like, whatever its value: a log line matching one of these leaks it. */
const SECRET_SHAPES: [string, RegExp][] = [
  ['a private key', /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
  ['a SigV4 signature', /Signature=[0-9a-f]{64}/],
  ['a SigV4 Authorization header', /AWS4-HMAC-SHA256 Credential=/],
  ['a bearer or basic credential', /\b(Bearer|Basic) [A-Za-z0-9._~+/=-]{8,}/],
  ['a JWT', /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\./],
  ['an Authorization header', /"authorization"\s*:\s*"(?!\[redacted\])/i],
  ['an x-api-key header', /"x-api-key"\s*:\s*"(?!\[redacted\])/i],
  ['an X-Amz-Security-Token', /"x-amz-security-token"\s*:\s*"(?!\[redacted\])/i],
];

/** Every line every process wrote, checked for known secret values and for secret shapes; returns how many lines were read. */
export function assertNoSecretsInLogs(): number {
  let lines = 0;
  for (const proc of started) {
    for (const line of proc.output().split('\n')) {
      if (!line) continue;
      lines++;
      for (const value of secrets) {
        if (line.includes(value)) throw new Error(`${proc.name} logged a secret value (${value.slice(0, 3)}…): ${line.replaceAll(value, '[SECRET]').slice(0, 500)}`);
      }
      for (const [what, shape] of SECRET_SHAPES) {
        if (shape.test(line)) throw new Error(`${proc.name} logged ${what}: ${line.slice(0, 500)}`);
      }
    }
  }
  return lines;
}

// Every test file that starts processes ends with the check, after its own hooks stopped them.
after(() => {
  const lines = assertNoSecretsInLogs();
  if (started.length > 0) console.log(`# secrets in logs: none in ${lines} log lines (level debug) of ${started.length} processes, ${secrets.size} secret values and ${SECRET_SHAPES.length} secret shapes looked for`);
});

function childPids(pid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' }).split('\n').map((s) => Number(s.trim())).filter((n) => n > 0);
  } catch {
    return [];
  }
}

export function startProcess(name: string, entry: string, env: Record<string, string | undefined>): PorticoProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    env: { ...process.env, PORTICO_LOG_LEVEL: 'debug', PORTICO_HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const chunks: Buffer[] = [];
  child.stdout!.on('data', (c: Buffer) => chunks.push(c));
  child.stderr!.on('data', (c: Buffer) => chunks.push(c));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const proc: PorticoProcess = {
    name,
    child,
    output: () => Buffer.concat(chunks).toString('utf8'),
    exited,
    kill9: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const children = childPids(child.pid!);
      child.kill('SIGKILL');
      for (const pid of children) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      await exited;
      running.delete(proc);
    },
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => void proc.kill9(), 15_000);
      await exited;
      clearTimeout(timer);
      running.delete(proc);
    },
  };
  running.add(proc);
  started.push(proc);
  return proc;
}

/** Kills whatever a test file left running (its `after` hook calls this). */
export async function killAll(): Promise<void> {
  await Promise.all([...running].map((p) => p.kill9()));
}

export type ControlPlaneOptions = {
  dataDir: string;
  clusterSecret: string;
  databaseUrl?: string;
  /** the all-in-one src/main.ts (control plane + forked worker) instead of the standalone control plane */
  allInOne?: boolean;
  port?: number;
  env?: Record<string, string | undefined>;
};

export async function startControlPlaneProcess(options: ControlPlaneOptions): Promise<PorticoProcess & { url: string; port: number }> {
  secret(options.clusterSecret);
  const port = options.port ?? (await freePort());
  const proc = startProcess(options.allInOne ? 'all-in-one' : 'control-plane', options.allInOne ? 'src/main.ts' : 'src/control-plane/main.ts', {
    PORTICO_CONTROL_PORT: String(port),
    PORTICO_DATA_DIR: options.dataDir,
    PORTICO_CLUSTER_SECRET: options.clusterSecret,
    DATABASE_URL: options.databaseUrl ?? '',
    ...(options.allInOne ? { PORTICO_DATA_PORT: String(await freePort()) } : {}),
    ...options.env,
  });
  const url = `http://127.0.0.1:${port}`;
  await Promise.race([healthy(`${url}/health`), proc.exited.then((code) => Promise.reject(new Error(`control plane exited with ${code}: ${proc.output().slice(-2000)}`)))]);
  return Object.assign(proc, { url, port });
}

export type WorkerOptions = { controlUrl: string; clusterSecret: string; cacheDir: string; port?: number; env?: Record<string, string | undefined> };

/** A worker; resolves once it listens (it reads its disk cache before listening). */
export async function startWorkerProcess(options: WorkerOptions): Promise<PorticoProcess & { url: string; port: number }> {
  secret(options.clusterSecret);
  const port = options.port ?? (await freePort());
  const proc = startProcess('worker', 'src/data-plane/main.ts', {
    PORTICO_DATA_PORT: String(port),
    PORTICO_CONTROL_PLANE_URL: options.controlUrl,
    PORTICO_CLUSTER_SECRET: options.clusterSecret,
    PORTICO_WORKER_CACHE_DIR: options.cacheDir,
    PORTICO_DATA_DIR: options.cacheDir,
    ...options.env,
  });
  const url = `http://127.0.0.1:${port}`;
  await Promise.race([healthy(`${url}/_portico/health`), proc.exited.then((code) => Promise.reject(new Error(`worker exited with ${code}: ${proc.output().slice(-2000)}`)))]);
  return Object.assign(proc, { url, port });
}

// ---- A throwaway PostgreSQL cluster --------------------------------------------------------------

export type Postgres = { url: string; start: () => void; stop: () => void; destroy: () => void };

function postgresBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = execFileSync('ls', [root], { encoding: 'utf8' }).split('\n').filter(Boolean).sort((a, b) => Number(a) - Number(b));
  for (const v of versions.reverse()) if (existsSync(join(root, v, 'bin', 'initdb'))) return join(root, v, 'bin');
  return undefined;
}

/** A cluster of its own on a free port, or undefined when the PostgreSQL server binaries are not installed. */
export async function startPostgres(): Promise<Postgres | undefined> {
  const bin = postgresBin();
  if (!bin) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'portico-reliability-pg-'));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  const run = (tool: string, args: string[]) =>
    execFileSync(asRoot ? 'runuser' : join(bin, tool), asRoot ? ['-u', 'postgres', '--', join(bin, tool), ...args] : args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const port = await freePort();
  run('initdb', ['-D', join(dir, 'data'), '-A', 'trust', '-U', 'portico']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=100 -c fsync=on`;
  const start = () => void run('pg_ctl', ['-D', join(dir, 'data'), '-l', join(dir, 'server.log'), '-w', '-o', options, 'start']);
  const stop = () => void run('pg_ctl', ['-D', join(dir, 'data'), '-m', 'immediate', '-w', 'stop']);
  start();
  return {
    url: `postgres://portico@127.0.0.1:${port}/postgres`,
    start,
    stop,
    destroy: () => {
      try {
        stop();
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The secret access key clients sign with unless told otherwise; no log line may contain it. */
export const SECRET_ACCESS_KEY = secret(randomBytes(20).toString('base64url'));

/** An SDK client for `accountId` (open mode: the 12-digit key id is the account), no retries. */
export function clientFor(endpoint: string, accountId: string, secretAccessKey = SECRET_ACCESS_KEY): APIGatewayClient {
  secret(secretAccessKey);
  return new APIGatewayClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: accountId, secretAccessKey }, maxAttempts: 1 });
}

export const randomAccountId = () => String(100000 + Math.floor(Math.random() * 899999)) + String(100000 + Math.floor(Math.random() * 899999));
