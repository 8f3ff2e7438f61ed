// @ts-check
// The runtime inside one execution environment of the built-in runner: a child process that imports
// a function's handler once (the init phase) and then runs one invocation at a time, as Lambda's
// Node.js runtime does — async or callback handlers, the context object, console output tagged with
// the request id, errors shaped as Lambda reports them. Plain JavaScript, so it starts without tsx.
import { pathToFileURL } from 'node:url';
import { format, types } from 'node:util';

const [entry] = process.argv.slice(2);
const env = process.env;

/** @param {Record<string, unknown>} message @param {() => void} [sent] */
function send(message, sent) {
  if (process.connected && process.send) process.send(message, undefined, {}, () => sent?.());
  else sent?.();
}

/** @type {{ awsRequestId: string, settled: () => boolean, settle: (outcome: Record<string, unknown>, sent?: () => void) => void } | undefined} */
let current;

const levels = /** @type {const} */ ([['log', 'info'], ['info', 'info'], ['warn', 'warn'], ['error', 'error'], ['debug', 'debug'], ['trace', 'trace']]);
for (const [method, level] of levels) {
  console[method] = (...args) => send({ type: 'log', level, awsRequestId: current?.awsRequestId, message: format(...args) });
}

/** @param {any} value */
const isError = (value) =>
  types.isNativeError(value) || (value !== null && typeof value === 'object' && typeof value.name === 'string' && typeof value.message === 'string' && typeof value.stack === 'string');

/** What Lambda's Node.js runtime reports for an error a handler threw, rejected or passed to its callback. */
function errorPayload(/** @type {any} */ error) {
  try {
    if (isError(error)) return { errorType: error.name, errorMessage: error.message, trace: String(error.stack).split('\n') };
    return { errorType: typeof error, errorMessage: String(error), trace: [] };
  } catch {
    return { errorType: 'handled', errorMessage: 'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack' };
  }
}

/** The handler, or the error Lambda reports when the function's code cannot be loaded. */
async function loadHandler() {
  try {
    const module = await import(pathToFileURL(String(entry)).href);
    const handler = module.handler ?? module.default?.handler;
    if (typeof handler === 'function') return { handler };
    return { error: { errorType: 'Runtime.HandlerNotFound', errorMessage: 'index.handler is undefined or not exported', trace: [] } };
  } catch (/** @type {any} */ err) {
    if (err instanceof SyntaxError) return { error: { errorType: 'Runtime.UserCodeSyntaxError', errorMessage: `SyntaxError: ${err.message}`, trace: String(err.stack).split('\n') } };
    if (err?.code === 'ERR_MODULE_NOT_FOUND' || err?.code === 'MODULE_NOT_FOUND') {
      return { error: { errorType: 'Runtime.ImportModuleError', errorMessage: `Error: ${err.message}`, trace: String(err.stack).split('\n') } };
    }
    return { error: errorPayload(err) };
  }
}

/** What keeps the runtime itself alive: its channel to the worker and its standard streams. */
const RUNTIME_RESOURCES = new Set(['PipeWrap', 'TTYWrap', 'CloseReq']);

/**
 * Resolves once the event loop holds nothing but the runtime's own resources — no timer, socket or
 * request of the function's, whichever invocation (or the init phase) left it: callbackWaitsForEmptyEventLoop.
 */
function emptyEventLoop() {
  return new Promise((resolve) => {
    // Checked from an immediate: inside a timer's callback, the timer itself still counts as active.
    const check = () => {
      if (process.getActiveResourcesInfo().every((type) => RUNTIME_RESOURCES.has(type))) resolve(undefined);
      else setTimeout(() => setImmediate(check), 5);
    };
    setImmediate(check);
  });
}

const loaded = await loadHandler();
send({ type: 'ready', ...(loaded.error ? { error: loaded.error } : {}) });

/** @param {{ id: number, event: string, awsRequestId: string, invokedFunctionArn: string, deadline: number }} invocation */
function invoke(invocation) {
  const { id, awsRequestId, invokedFunctionArn, deadline } = invocation;
  let settled = false;
  /** @param {Record<string, unknown>} outcome @param {() => void} [sent] */
  const settle = (outcome, sent) => {
    if (settled) return sent?.();
    settled = true;
    send({ type: 'done', id, ...outcome }, sent);
  };
  current = { awsRequestId, settled: () => settled, settle };

  const succeed = (/** @type {unknown} */ result) => {
    let payload;
    try {
      payload = JSON.stringify(result === undefined ? null : result);
    } catch (err) {
      settle({ error: errorPayload(err) });
      return;
    }
    settle({ payload });
  };
  const fail = (/** @type {unknown} */ error) => settle({ error: errorPayload(error) });
  // Callback handlers answer once the event loop is empty, unless the function says not to wait.
  const finish = (/** @type {unknown} */ error, /** @type {unknown} */ result) => {
    const answer = () => (error !== undefined && error !== null ? fail(error) : succeed(result));
    if (context.callbackWaitsForEmptyEventLoop) emptyEventLoop().then(answer);
    else answer();
  };

  const context = {
    callbackWaitsForEmptyEventLoop: true,
    functionName: env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn,
    memoryLimitInMB: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId,
    logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME,
    identity: undefined,
    clientContext: undefined,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: finish,
    succeed: (/** @type {unknown} */ result) => finish(null, result),
    fail: (/** @type {unknown} */ error) => finish(error ?? 'handled', undefined),
  };

  if (!loaded.handler) {
    settle({ error: loaded.error });
    return;
  }
  try {
    const returned = loaded.handler(JSON.parse(invocation.event), context, finish);
    if (returned && typeof returned.then === 'function') {
      returned.then(succeed, fail);
    } else if (loaded.handler.length < 3) {
      // A handler that neither returns a promise nor takes a callback answers null once the loop empties.
      emptyEventLoop().then(() => succeed(null));
    }
  } catch (err) {
    fail(err);
  }
}

/**
 * An error no invocation caught ends the environment, as it does Lambda's; the running invocation
 * fails with it. The worker hears of the end first, so that it hands the environment to no one else.
 */
function crash(/** @type {Record<string, unknown>} */ error) {
  const exit = () => process.exit(1);
  if (current && !current.settled()) current.settle({ error, exiting: true }, exit);
  else send({ type: 'exiting' }, exit);
}
process.on('uncaughtException', (err) => crash(errorPayload(err)));
process.on('unhandledRejection', (reason) => {
  const error = /** @type {Error} */ (reason);
  const message = isError(reason) ? `${error.name}: ${error.message}` : String(reason);
  const trace = [`Runtime.UnhandledPromiseRejection: ${message}`, ...(isError(reason) ? String(error.stack).split('\n') : [])];
  crash({ errorType: 'Runtime.UnhandledPromiseRejection', errorMessage: message, trace });
});
process.on('message', (/** @type {any} */ message) => {
  if (message?.type === 'invoke') invoke(message);
});
// The worker went away: so does its environment.
process.on('disconnect', () => process.exit(0));
