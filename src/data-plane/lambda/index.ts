// The worker's Lambda invoker: a client of the Invoke API when PORTICO_LAMBDA_ENDPOINT is set,
// else the built-in runner over PORTICO_FUNCTIONS_DIR.
import { resolve } from 'node:path';
import { logger } from '../../logger.js';
import { LambdaInvokeClient } from './invoke-client.js';
import { FunctionRunner } from './runner/runner.js';
import { DEFAULT_LAMBDA_SETTINGS, type LambdaSettings } from './settings.js';
import type { LambdaInvoker } from './types.js';

export function createLambdaInvoker(given: Partial<LambdaSettings> = {}): LambdaInvoker {
  const settings = { ...DEFAULT_LAMBDA_SETTINGS, ...given };
  if (settings.endpoint) {
    logger.info({ endpoint: settings.endpoint }, 'Lambda functions are invoked through the Invoke API');
    return new LambdaInvokeClient(settings.endpoint, settings.region, settings.credentials);
  }
  const functionsDir = resolve(settings.functionsDir);
  logger.info({ functionsDir }, 'Lambda functions run in the built-in runner');
  return new FunctionRunner({
    functionsDir,
    region: settings.region,
    timeoutMs: settings.functionTimeoutMs,
    memoryMb: settings.functionMemoryMb,
    concurrency: settings.functionConcurrency,
    idleMs: settings.functionIdleMs,
  });
}
