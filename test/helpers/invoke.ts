// Test helpers for the data plane: calling a deployed API on a worker, and waiting for a deployment to go live.
export const workerEndpoint = process.env.PORTICO_TEST_WORKER_ENDPOINT ?? 'http://127.0.0.1:4568';

export type Invocation = { status: number; headers: Headers; body: string };

/** Calls `{worker}/restapis/{restApiId}/{stage}/_user_request_{path}` (path style). */
export async function invoke(restApiId: string, stage: string, path: string, init: RequestInit = {}, worker = workerEndpoint): Promise<Invocation> {
  const res = await fetch(`${worker}/restapis/${restApiId}/${stage}/_user_request_${path}`, init);
  return { status: res.status, headers: res.headers, body: await res.text() };
}

/** Polls until the worker serves the stage (anything but 403 Forbidden), or fails after `timeoutMs`. */
export async function waitForStage(restApiId: string, stage: string, path = '/', timeoutMs = 5000, worker = workerEndpoint): Promise<Invocation> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await invoke(restApiId, stage, path, {}, worker);
    if (!(result.status === 403 && result.body === '{"message":"Forbidden"}')) return result;
    if (Date.now() > deadline) throw new Error(`stage ${restApiId}/${stage} not served after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Polls until `check` holds for the invocation, returning how long it took. */
export async function waitUntil(call: () => Promise<Invocation>, check: (r: Invocation) => boolean, timeoutMs = 5000): Promise<{ result: Invocation; ms: number }> {
  const started = Date.now();
  for (;;) {
    const result = await call();
    if (check(result)) return { result, ms: Date.now() - started };
    if (Date.now() - started > timeoutMs) throw new Error(`condition not met after ${timeoutMs} ms (last status ${result.status}: ${result.body})`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
