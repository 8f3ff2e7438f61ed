// Where a worker's Lambda functions run, and how: the Invoke API at an endpoint, or the built-in
// runner over a functions directory. config.ts reads these from the environment.
import type { LambdaCredentials } from './invoke-client.js';

export type LambdaSettings = {
  /** PORTICO_LAMBDA_ENDPOINT: the Lambda Invoke API to call; unset, functions run in the built-in runner */
  endpoint?: string;
  /** what calls to the endpoint are signed with */
  credentials?: LambdaCredentials;
  region: string;
  functionsDir: string;
  functionTimeoutMs: number;
  functionMemoryMb: number;
  /** concurrent invocations per function */
  functionConcurrency: number;
  /** how long an unused execution environment stays warm */
  functionIdleMs: number;
  /** whether the worker answers Lambda's Invoke API for the built-in runner */
  invokeApi: boolean;
};

export const DEFAULT_LAMBDA_SETTINGS: LambdaSettings = {
  region: 'us-east-1',
  functionsDir: './functions',
  // Lambda's own defaults: 3 seconds and 128 MB.
  functionTimeoutMs: 3000,
  functionMemoryMb: 128,
  functionConcurrency: 10,
  functionIdleMs: 5 * 60 * 1000,
  invokeApi: true,
};
