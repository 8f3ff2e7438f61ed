// The built-in runner: Lambda's Invoke semantics over Node.js handlers in PORTICO_FUNCTIONS_DIR.
// Each function gets a pool of warm execution environments (child processes); invocations of a
// function run concurrently up to its pool's limit, each bounded by the function's timeout.
import { randomUUID } from 'node:crypto';
import { logger } from '../../../logger.js';
import { DEFAULT_ACCOUNT_ID, parseFunctionName, type FunctionRef } from '../function-arn.js';
import type { LambdaInvocation, LambdaInvoker, LambdaResult } from '../types.js';
import type { EnvironmentSpec } from './environment.js';
import { invalidFunctionName, MAX_PAYLOAD_BYTES, payloadTooLarge, refused, responseTooLarge } from './errors.js';
import { FunctionCodes, type FunctionCode } from './function-code.js';
import { FunctionPool, PoolClosed, Throttled } from './pool.js';

export type RunnerSettings = {
  functionsDir: string;
  region: string;
  /** a function's timeout unless its function.json sets one */
  timeoutMs: number;
  /** a function's heap limit unless its function.json sets one */
  memoryMb: number;
  /** concurrent invocations (execution environments) per function */
  concurrency: number;
  /** how long an unused environment stays warm */
  idleMs: number;
};

/** Of the worker's environment, only what a runtime needs reaches a function; never Portico's secrets. */
const INHERITED_VARIABLES = ['PATH', 'LANG', 'HOME', 'TMPDIR'];

function qualifiedArn(ref: FunctionRef): string {
  return ref.qualifier ? `${ref.arn}:${ref.qualifier}` : ref.arn;
}

/** The event as JSON text: an empty payload is `{}`, as Lambda takes it. */
function eventText(payload: Buffer): string | Error {
  const text = payload.length ? payload.toString('utf8') : '{}';
  try {
    JSON.parse(text);
    return text;
  } catch (err) {
    return err as Error;
  }
}

const shuttingDown = () => refused(503, 'ServiceException', 'The function runner is shutting down.', 'Service');

export class FunctionRunner implements LambdaInvoker {
  private readonly pools = new Map<string, FunctionPool>();
  private readonly codes: FunctionCodes;
  /** the environment spec of each function's current code, built once per version */
  private readonly specs = new WeakMap<FunctionCode, EnvironmentSpec>();
  private readonly sweeper: NodeJS.Timeout;
  private closed = false;

  constructor(private readonly settings: RunnerSettings) {
    this.codes = new FunctionCodes(settings.functionsDir, settings);
    this.sweeper = setInterval(() => this.evictIdle(), Math.max(100, Math.min(settings.idleMs / 2, 30_000)));
    this.sweeper.unref();
  }

  async invoke(invocation: LambdaInvocation): Promise<LambdaResult> {
    if (this.closed) return shuttingDown();
    const ref = parseFunctionName(invocation.functionArn, { region: this.settings.region, accountId: DEFAULT_ACCOUNT_ID });
    if (!ref) return invalidFunctionName(invocation.functionArn);
    const code = await this.codes.find(ref.name);
    if (!code) return refused(404, 'ResourceNotFoundException', `Function not found: ${qualifiedArn(ref)}`);
    if (invocation.payload.length > MAX_PAYLOAD_BYTES) return payloadTooLarge();
    const event = invocation.eventText ?? eventText(invocation.payload);
    if (event instanceof Error) {
      return refused(400, 'InvalidRequestContentException', `Could not parse request body into json: Could not parse payload into json: ${event.message}`);
    }
    switch (invocation.invocationType ?? 'RequestResponse') {
      case 'DryRun':
        return { statusCode: 204, payload: Buffer.alloc(0) };
      case 'Event':
        this.run(ref, code, event, invocation.requestId).catch((err) => logger.error({ functionName: ref.name, err }, 'event invocation failed'));
        return { statusCode: 202, payload: Buffer.alloc(0) };
      default:
        return this.run(ref, code, event, invocation.requestId);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.sweeper);
    await Promise.all([...this.pools.values()].map((pool) => pool.close()));
    this.pools.clear();
  }

  private async run(ref: FunctionRef, code: FunctionCode, event: string, requestId: string | undefined): Promise<LambdaResult> {
    const awsRequestId = randomUUID();
    const log = { functionName: ref.name, awsRequestId, ...(requestId ? { requestId } : {}) };
    let outcome;
    try {
      outcome = await this.pool(ref.name).run(this.spec(code), { event, awsRequestId, requestId, invokedFunctionArn: qualifiedArn(ref), timeoutMs: code.timeoutMs });
    } catch (err) {
      if (err instanceof Throttled) return { statusCode: 429, errorType: 'TooManyRequestsException', payload: Buffer.from(JSON.stringify({ Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded', Type: 'User', message: 'Rate Exceeded.' })) };
      if (err instanceof PoolClosed) return shuttingDown();
      throw err;
    }
    if ('error' in outcome) {
      logger.info({ ...log, errorType: outcome.error.errorType, errorMessage: outcome.error.errorMessage }, 'function failed');
      return { statusCode: 200, functionError: 'Unhandled', payload: Buffer.from(JSON.stringify(outcome.error)) };
    }
    const payload = Buffer.from(outcome.payload, 'utf8');
    if (payload.length > MAX_PAYLOAD_BYTES) return { statusCode: 200, functionError: 'Unhandled', payload: Buffer.from(JSON.stringify(responseTooLarge())) };
    return { statusCode: 200, payload };
  }

  private pool(name: string): FunctionPool {
    let pool = this.pools.get(name);
    if (!pool) this.pools.set(name, (pool = new FunctionPool(this.settings.concurrency)));
    return pool;
  }

  private spec(code: FunctionCode): EnvironmentSpec {
    let spec = this.specs.get(code);
    if (!spec) this.specs.set(code, (spec = this.newSpec(code)));
    return spec;
  }

  /** Each environment adds its own AWS_LAMBDA_LOG_STREAM_NAME when it starts. */
  private newSpec(code: FunctionCode): EnvironmentSpec {
    const inherited = Object.fromEntries(INHERITED_VARIABLES.flatMap((name) => (process.env[name] ? [[name, process.env[name]!]] : [])));
    return {
      functionName: code.name,
      entry: code.entry,
      dir: code.dir,
      memoryMb: code.memoryMb,
      version: code.version,
      // Lambda's reserved variables win over the function's own, as Lambda refuses to let them be set.
      env: {
        ...inherited,
        ...code.variables,
        AWS_REGION: this.settings.region,
        AWS_DEFAULT_REGION: this.settings.region,
        AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs20.x',
        AWS_LAMBDA_FUNCTION_NAME: code.name,
        AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(code.memoryMb),
        AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${code.name}`,
        LAMBDA_TASK_ROOT: code.dir,
        _HANDLER: 'index.handler',
        TZ: ':UTC',
      },
    };
  }

  private evictIdle(): void {
    const cutoff = Date.now() - this.settings.idleMs;
    for (const [name, pool] of this.pools) {
      pool.evictIdleSince(cutoff);
      if (pool.size === 0) this.pools.delete(name);
    }
  }
}
