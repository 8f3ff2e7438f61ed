// The built-in runner on its own: Lambda's Node.js runtime semantics (handler styles, the event loop,
// load and runtime failures), function output in the logs, warm environments and their limits.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it, mock } from 'node:test';
import { FunctionRunner, type RunnerSettings } from '../../src/data-plane/lambda/runner/runner.js';
import type { LambdaResult } from '../../src/data-plane/lambda/types.js';
import { logger } from '../../src/logger.js';

const functionsDir = mkdtempSync(join(tmpdir(), 'portico-functions-'));
const runners: FunctionRunner[] = [];

after(async () => {
  await Promise.all(runners.map((r) => r.close()));
  rmSync(functionsDir, { recursive: true, force: true });
});

function runner(settings: Partial<RunnerSettings> = {}): FunctionRunner {
  const created = new FunctionRunner({ functionsDir, region: 'us-east-1', timeoutMs: 2000, memoryMb: 64, concurrency: 4, idleMs: 60_000, ...settings });
  runners.push(created);
  return created;
}

/** Writes `{name}/index.mjs`, dated `age` seconds from now so that a rewrite is seen as a change. */
function writeFunction(name: string, code: string, age = 0) {
  mkdirSync(join(functionsDir, name), { recursive: true });
  const file = join(functionsDir, name, 'index.mjs');
  writeFileSync(file, code);
  const when = new Date(Date.now() + age * 1000);
  utimesSync(file, when, when);
}

const invoke = (r: FunctionRunner, name: string, event: unknown = {}, requestId?: string) =>
  r.invoke({ functionArn: `arn:aws:lambda:us-east-1:123456789012:function:${name}`, payload: Buffer.from(JSON.stringify(event)), requestId });

const parsed = (result: LambdaResult) => JSON.parse(result.payload.toString()) as any;

describe('handlers', () => {
  it('waits for the event loop to empty after a callback, unless the function says not to', async () => {
    writeFunction('waits', 'export const handler = (event, context, callback) => { context.callbackWaitsForEmptyEventLoop = event.wait; setTimeout(() => {}, 400); callback(null, "done"); };');
    const r = runner();
    await invoke(r, 'waits', { wait: false });
    let started = Date.now();
    assert.equal(parsed(await invoke(r, 'waits', { wait: true })), 'done');
    assert.ok(Date.now() - started >= 400, 'answered before its timer fired');
    started = Date.now();
    assert.equal(parsed(await invoke(r, 'waits', { wait: false })), 'done');
    assert.ok(Date.now() - started < 300, 'waited for its timer');
  });

  it('answers null for a handler that neither returns a promise nor takes a callback', async () => {
    writeFunction('sync', 'export const handler = (event) => ({ ignored: true });');
    assert.equal((await invoke(runner(), 'sync')).payload.toString(), 'null');
  });

  it('supports context.succeed and context.fail', async () => {
    const r = runner();
    writeFunction('legacy-cb', 'export const handler = (event, context, callback) => { setTimeout(() => event.ok ? context.succeed({ ok: 1 }) : context.fail(new Error("nope")), 5); };');
    assert.deepEqual(parsed(await invoke(r, 'legacy-cb', { ok: true })), { ok: 1 });
    assert.equal(parsed(await invoke(r, 'legacy-cb', { ok: false })).errorMessage, 'nope');
  });

  it('reports thrown values that are not errors as Lambda does', async () => {
    writeFunction('throws-string', 'export const handler = async () => { throw "plain failure"; };');
    const result = await invoke(runner(), 'throws-string');
    assert.equal(result.functionError, 'Unhandled');
    assert.deepEqual(parsed(result), { errorType: 'string', errorMessage: 'plain failure', trace: [] });
  });

  it('fails the invocation on an unhandled rejection, and starts afresh', async () => {
    writeFunction('rejects', 'let calls = 0; export const handler = (event, context, callback) => { calls++; if (event.reject) Promise.reject(new TypeError("lost")); else callback(null, calls); };');
    const r = runner({ concurrency: 1 });
    const failed = parsed(await invoke(r, 'rejects', { reject: true }));
    assert.equal(failed.errorType, 'Runtime.UnhandledPromiseRejection');
    assert.equal(failed.errorMessage, 'TypeError: lost');
    assert.equal(parsed(await invoke(r, 'rejects')), 1);
  });
});

describe('load failures', () => {
  it('reports a syntax error, a missing handler and a missing module by their runtime error types', async () => {
    writeFunction('syntax', 'export const handler = async () => {');
    writeFunction('no-handler', 'export const main = async () => 1;');
    writeFunction('bad-import', 'import "./nowhere.mjs"; export const handler = async () => 1;');
    const r = runner();
    assert.equal(parsed(await invoke(r, 'syntax')).errorType, 'Runtime.UserCodeSyntaxError');
    assert.deepEqual(parsed(await invoke(r, 'no-handler')), { errorType: 'Runtime.HandlerNotFound', errorMessage: 'index.handler is undefined or not exported', trace: [] });
    assert.equal(parsed(await invoke(r, 'bad-import')).errorType, 'Runtime.ImportModuleError');
  });
});

describe('logs', () => {
  it("carry the function's console output with its name and both request ids", async () => {
    writeFunction('chatty', 'export const handler = async (event) => { console.log("hello from", event.who); console.error("oh no"); process.stdout.write("raw line\\n"); return 1; };');
    const info = mock.method(logger, 'info');
    const error = mock.method(logger, 'error');
    try {
      const r = runner();
      await invoke(r, 'chatty', { who: 'chatty' }, 'gateway-request-1');
      await new Promise((resolve) => setTimeout(resolve, 100));
      const lines = info.mock.calls.map((c) => c.arguments as unknown[]).filter(([fields]) => (fields as { functionName?: string }).functionName === 'chatty');
      const hello = lines.find(([, message]) => message === 'hello from chatty');
      assert.ok(hello, JSON.stringify(lines));
      assert.equal((hello[0] as { requestId?: string }).requestId, 'gateway-request-1');
      assert.match((hello[0] as { awsRequestId: string }).awsRequestId, /^[0-9a-f-]{36}$/);
      assert.ok(lines.some(([, message]) => message === 'raw line'));
      assert.ok(error.mock.calls.some((c) => c.arguments[1] === 'oh no'));
    } finally {
      info.mock.restore();
      error.mock.restore();
    }
  });
});

describe('execution environments', () => {
  it('pick up edited code', async () => {
    writeFunction('edited', 'export const handler = async () => 1;', -10);
    const r = runner();
    assert.equal(parsed(await invoke(r, 'edited')), 1);
    writeFunction('edited', 'export const handler = async () => 2;');
    assert.equal(parsed(await invoke(r, 'edited')), 2);
  });

  it('are evicted when idle', async () => {
    writeFunction('count', 'let n = 0; export const handler = async () => ++n;');
    const r = runner({ idleMs: 200 });
    assert.equal(parsed(await invoke(r, 'count')), 1);
    assert.equal(parsed(await invoke(r, 'count')), 2);
    await new Promise((resolve) => setTimeout(resolve, 600));
    assert.equal(parsed(await invoke(r, 'count')), 1);
  });

  it("queue invocations beyond the function's concurrency", async () => {
    writeFunction('one-at-a-time', 'export const handler = async () => { await new Promise((r) => setTimeout(r, 300)); return process.pid; };');
    const r = runner({ concurrency: 1 });
    await invoke(r, 'one-at-a-time');
    const started = Date.now();
    const [a, b] = await Promise.all([invoke(r, 'one-at-a-time'), invoke(r, 'one-at-a-time')]);
    assert.ok(Date.now() - started >= 600);
    assert.equal(parsed(a), parsed(b));
  });

  it('keep their log stream name for their lifetime, one stream each', async () => {
    writeFunction('streams', 'export const handler = async (event, context) => { await new Promise((r) => setTimeout(r, event.ms ?? 0)); return { pid: process.pid, stream: context.logStreamName }; };');
    const r = runner({ concurrency: 2 });
    const first = parsed(await invoke(r, 'streams'));
    assert.deepEqual(parsed(await invoke(r, 'streams')), first);
    assert.match(first.stream, /^portico\/\[\$LATEST\][0-9a-f]{32}$/);
    const side = (await Promise.all([invoke(r, 'streams', { ms: 300 }), invoke(r, 'streams', { ms: 300 })])).map(parsed);
    assert.notEqual(side[0].pid, side[1].pid);
    assert.notEqual(side[0].stream, side[1].stream);
  });

  it('stay few for a quick function under concurrent load, rather than one per invocation in flight', async () => {
    writeFunction('quick', 'export const handler = async () => process.pid;');
    const r = runner({ concurrency: 8 });
    await invoke(r, 'quick');
    const pids = new Set<number>();
    const loop = async () => {
      for (let i = 0; i < 40; i++) pids.add(parsed(await invoke(r, 'quick')) as number);
    };
    await Promise.all(Array.from({ length: 16 }, loop));
    // One environment per invocation in flight would be all 8; a few suffice when each answers at once.
    assert.ok(pids.size < 8, `${pids.size} environments`);
  });

  it('end with the runner', async () => {
    writeFunction('pid', 'export const handler = async () => process.pid;');
    const r = runner();
    const pid = parsed(await invoke(r, 'pid')) as number;
    await r.close();
    assert.throws(() => process.kill(pid, 0), /ESRCH/);
  });
});
