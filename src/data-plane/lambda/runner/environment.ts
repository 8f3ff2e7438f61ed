// One execution environment of the built-in runner: a child process running bootstrap.mjs over one
// function's code, one invocation at a time. Whatever the function does — throw, run past its
// timeout, loop forever, exhaust its heap, exit — ends at most this process, never the worker.
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { logger } from '../../../logger.js';
import { initTimedOut, outOfMemory, runtimeExited, timedOut, type FunctionErrorPayload } from './errors.js';

const BOOTSTRAP = fileURLToPath(new URL('./bootstrap.mjs', import.meta.url));

/** Lambda's limit on a function's init phase. */
const INIT_TIMEOUT_MS = 10_000;

export type EnvironmentSpec = {
  functionName: string;
  /** the module exporting `handler` */
  entry: string;
  /** the function's directory: the process's working directory, as /var/task is Lambda's */
  dir: string;
  memoryMb: number;
  env: Record<string, string>;
  /** identifies the code and configuration: environments of an older version are not reused */
  version: string;
};

export type Invocation = { event: string; awsRequestId: string; requestId?: string; invokedFunctionArn: string; timeoutMs: number };

export type Outcome = { payload: string } | { error: FunctionErrorPayload };

type Exit = { code: number | null; signal: NodeJS.Signals | null; outOfMemory: boolean };

type Pending = { id: number; resolve: (outcome: Outcome) => void };

type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';
const LOG_LEVELS = new Set<string>(['trace', 'debug', 'info', 'warn', 'error']);

type Ready = { error?: FunctionErrorPayload; exit?: Exit };

export class ExecutionEnvironment {
  lastUsed = Date.now();
  /** how long the last invocation ran, its init phase aside (ms) */
  lastDurationMs: number | undefined;
  /** resolves with how long the init phase took (ms), or undefined when it failed */
  readonly started: Promise<number | undefined>;
  private readonly child: ChildProcess;
  private readonly ready: Promise<Ready>;
  /** the init phase's outcome, once known: later invocations need not wait on `ready` */
  private readyOutcome: Ready | undefined;
  private readonly exited: Promise<Exit>;
  private alive = true;
  private pending?: Pending;
  private nextId = 1;
  /** the invocation logs are attributed to (the last one, until the next starts) */
  private current: { awsRequestId: string; requestId?: string } | undefined;
  private heapExhausted = false;
  private ended = false;

  constructor(readonly spec: EnvironmentSpec) {
    this.child = fork(BOOTSTRAP, [spec.entry], {
      cwd: spec.dir,
      // One log stream per execution environment, as Lambda names them.
      env: { ...spec.env, AWS_LAMBDA_LOG_STREAM_NAME: `portico/[$LATEST]${randomUUID().replace(/-/g, '')}` },
      execArgv: [`--max-old-space-size=${spec.memoryMb}`],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
    });
    this.exited = new Promise((resolve) => {
      const ended = (code: number | null, signal: NodeJS.Signals | null) => {
        if (this.ended) return;
        this.ended = true;
        const exit = { code, signal, outOfMemory: this.heapExhausted };
        this.alive = false;
        resolve(exit);
        this.onExit(exit);
      };
      this.child.once('close', ended);
      // A process that never started closes nothing.
      this.child.once('error', () => this.child.pid === undefined && ended(null, null));
    });
    const forked = Date.now();
    this.ready = new Promise<Ready>((resolve) => {
      this.child.on('message', (message: { type?: string; error?: FunctionErrorPayload }) => {
        if (message?.type === 'ready') resolve(message.error ? { error: message.error } : {});
        else this.onMessage(message);
      });
      void this.exited.then((exit) => resolve({ exit }));
    }).then((ready) => (this.readyOutcome = ready));
    this.started = this.ready.then((ready) => (ready.error || ready.exit ? undefined : Date.now() - forked));
    this.child.on('error', (err) => {
      logger.error({ functionName: spec.functionName, err: err.message }, 'function environment failed');
      this.kill();
    });
    this.readLines(this.child.stdout!, 'info');
    this.readLines(this.child.stderr!, 'warn');
  }

  get usable(): boolean {
    return this.alive;
  }

  async invoke(invocation: Invocation): Promise<Outcome> {
    this.current = { awsRequestId: invocation.awsRequestId, ...(invocation.requestId ? { requestId: invocation.requestId } : {}) };
    const init = await this.init(invocation.awsRequestId);
    if (init) {
      this.kill();
      return { error: init };
    }
    // It may have ended while idle (an error thrown after its last answer).
    if (!this.alive) return { error: this.exitError(invocation.awsRequestId, await this.exited) };
    const sent = Date.now();
    const outcome = await new Promise<Outcome>((resolve) => {
      const id = this.nextId++;
      const timer = setTimeout(() => {
        this.settle({ error: timedOut(invocation.awsRequestId, invocation.timeoutMs) });
        this.kill();
      }, invocation.timeoutMs);
      this.pending = {
        id,
        resolve: (o) => {
          clearTimeout(timer);
          resolve(o);
        },
      };
      const message = { type: 'invoke', id, event: invocation.event, awsRequestId: invocation.awsRequestId, invokedFunctionArn: invocation.invokedFunctionArn, deadline: sent + invocation.timeoutMs };
      this.child.send(message, (err) => {
        if (!err) return;
        this.settle({ error: runtimeExited(invocation.awsRequestId, this.child.exitCode, this.child.signalCode) });
        this.kill();
      });
    });
    this.lastUsed = Date.now();
    this.lastDurationMs = this.lastUsed - sent;
    return outcome;
  }

  kill(): void {
    this.alive = false;
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  /** Resolves once the process is gone. */
  async stop(): Promise<void> {
    this.kill();
    await this.exited;
  }

  /** The init phase's error, if the function's code did not load in time. */
  private async init(awsRequestId: string): Promise<FunctionErrorPayload | undefined> {
    let ready: Ready | 'timeout' | undefined = this.readyOutcome;
    if (!ready) {
      let timer: NodeJS.Timeout | undefined;
      const limit = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), INIT_TIMEOUT_MS)));
      ready = await Promise.race([this.ready, limit]);
      clearTimeout(timer);
    }
    if (ready === 'timeout') return initTimedOut(awsRequestId, INIT_TIMEOUT_MS);
    if (ready.exit) return this.exitError(awsRequestId, ready.exit);
    return ready.error;
  }

  private settle(outcome: Outcome): void {
    const pending = this.pending;
    this.pending = undefined;
    pending?.resolve(outcome);
  }

  private onMessage(message: { type?: string; id?: number; payload?: string; error?: FunctionErrorPayload; exiting?: boolean; level?: string; awsRequestId?: string; message?: string }): void {
    // The runtime is going down after an error nothing caught: it takes no further invocation.
    if (message?.exiting || message?.type === 'exiting') this.alive = false;
    if (message?.type === 'done' && message.id === this.pending?.id) {
      this.settle(message.error ? { error: message.error } : { payload: message.payload ?? 'null' });
    } else if (message?.type === 'log') {
      const level = LOG_LEVELS.has(message.level ?? '') ? (message.level as LogLevel) : 'info';
      this.log(level, String(message.message ?? ''), message.awsRequestId);
    }
  }

  private onExit(exit: Exit): void {
    if (!this.pending) return;
    this.settle({ error: this.exitError(this.current?.awsRequestId ?? '', exit) });
  }

  private exitError(awsRequestId: string, exit: Exit): FunctionErrorPayload {
    return exit.outOfMemory ? outOfMemory(awsRequestId) : runtimeExited(awsRequestId, exit.code, exit.signal);
  }

  /** Output the function writes around console (process.stdout, V8's own messages) goes to the logs too. */
  private readLines(stream: Readable, level: LogLevel): void {
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
      // V8's report of an exhausted heap ends in a native stack trace: the first lines say it all.
      if (this.heapExhausted) return;
      if (/heap out of memory/i.test(line)) this.heapExhausted = true;
      if (line) this.log(level, line);
    });
  }

  private log(level: LogLevel, message: string, awsRequestId = this.current?.awsRequestId): void {
    const requestId = awsRequestId === this.current?.awsRequestId ? this.current?.requestId : undefined;
    logger[level]({ functionName: this.spec.functionName, awsRequestId, ...(requestId ? { requestId } : {}) }, message);
  }
}
