// Where the built-in runner finds a function: `{functionsDir}/{name}/index.mjs` (or `index.js`)
// exporting `handler`, with an optional `function.json` in the shape of Lambda's function
// configuration (`Timeout` in seconds, `MemorySize` in MB, `Environment.Variables`).
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { logger } from '../../../logger.js';

export type FunctionDefaults = { timeoutMs: number; memoryMb: number };

export type FunctionCode = {
  name: string;
  dir: string;
  entry: string;
  timeoutMs: number;
  memoryMb: number;
  variables: Record<string, string>;
  /** changes whenever the entry module or function.json does, so edited code is picked up */
  version: string;
};

const ENTRIES = ['index.mjs', 'index.js'];

type FunctionConfiguration = { Timeout?: unknown; MemorySize?: unknown; Environment?: { Variables?: unknown } };

async function mtimeOf(path: string): Promise<number | undefined> {
  try {
    const info = await stat(path);
    return info.isFile() ? info.mtimeMs : undefined;
  } catch {
    return undefined;
  }
}

const positiveInteger = (value: unknown): number | undefined => (Number.isInteger(value) && (value as number) > 0 ? (value as number) : undefined);

function stringMap(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null) return {};
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)]));
}

async function readConfiguration(path: string, name: string): Promise<FunctionConfiguration> {
  try {
    const parsed: unknown = JSON.parse(await readFile(path, 'utf8'));
    if (typeof parsed === 'object' && parsed !== null) return parsed as FunctionConfiguration;
    throw new Error('not a JSON object');
  } catch (err) {
    logger.warn({ functionName: name, path, err: (err as Error).message }, 'function.json ignored: it is not a JSON object');
    return {};
  }
}

/** The function's code and configuration, or undefined when the directory holds no entry module. */
export async function findFunction(functionsDir: string, name: string, defaults: FunctionDefaults): Promise<FunctionCode | undefined> {
  const dir = join(functionsDir, name);
  let entry: string | undefined;
  let entryMtime: number | undefined;
  for (const candidate of ENTRIES) {
    entryMtime = await mtimeOf(join(dir, candidate));
    if (entryMtime !== undefined) {
      entry = join(dir, candidate);
      break;
    }
  }
  if (!entry) return undefined;
  const configPath = join(dir, 'function.json');
  const configMtime = await mtimeOf(configPath);
  const config = configMtime === undefined ? {} : await readConfiguration(configPath, name);
  const timeoutSeconds = positiveInteger(config.Timeout);
  return {
    name,
    dir,
    entry,
    timeoutMs: timeoutSeconds ? timeoutSeconds * 1000 : defaults.timeoutMs,
    memoryMb: positiveInteger(config.MemorySize) ?? defaults.memoryMb,
    variables: stringMap(config.Environment?.Variables),
    version: `${entry}@${entryMtime}:${configMtime ?? '-'}`,
  };
}
