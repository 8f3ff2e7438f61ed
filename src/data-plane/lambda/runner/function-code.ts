// Where the built-in runner finds a function: `{functionsDir}/{name}/index.mjs` (or `index.js`)
// exporting `handler`, with an optional `function.json` in the shape of Lambda's function
// configuration (`Timeout` in seconds, `MemorySize` in MB, `Environment.Variables`).
import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
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

/**
 * A synchronous stat: a few microseconds on a local disk, where an asynchronous one costs a round
 * trip through libuv's thread pool on every invocation (most of the runner's own CPU before).
 */
function mtimeOf(path: string): number | undefined {
  try {
    const info = statSync(path, { throwIfNoEntry: false });
    return info?.isFile() ? info.mtimeMs : undefined;
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

type Paths = { dir: string; entries: string[]; config: string };

/**
 * Finds functions, checking on every invocation whether the code changed (two stat calls, no
 * staleness: edited code is picked up by the next invocation) but reading function.json and
 * building the FunctionCode again only when a modification time did.
 */
export class FunctionCodes {
  private readonly paths = new Map<string, Paths>();
  private readonly known = new Map<string, FunctionCode>();

  constructor(
    private readonly functionsDir: string,
    private readonly defaults: FunctionDefaults,
  ) {}

  /** The function's code and configuration, or undefined when the directory holds no entry module. */
  find(name: string): FunctionCode | undefined | Promise<FunctionCode | undefined> {
    let paths = this.paths.get(name);
    if (!paths) {
      const dir = join(this.functionsDir, name);
      paths = { dir, entries: ENTRIES.map((candidate) => join(dir, candidate)), config: join(dir, 'function.json') };
      // Names come from ARNs the runner was asked for: bounded by what callers send, so kept small.
      if (this.paths.size >= 10_000) this.paths.clear();
      this.paths.set(name, paths);
    }
    let entry: string | undefined;
    let entryMtime: number | undefined;
    for (const candidate of paths.entries) {
      entryMtime = mtimeOf(candidate);
      if (entryMtime !== undefined) {
        entry = candidate;
        break;
      }
    }
    if (!entry) {
      this.known.delete(name);
      return undefined;
    }
    const configMtime = mtimeOf(paths.config);
    const version = `${entry}@${entryMtime}:${configMtime ?? '-'}`;
    const known = this.known.get(name);
    if (known?.version === version) return known;
    return this.load(name, paths, entry, configMtime, version);
  }

  private async load(name: string, paths: Paths, entry: string, configMtime: number | undefined, version: string): Promise<FunctionCode> {
    const config = configMtime === undefined ? {} : await readConfiguration(paths.config, name);
    const timeoutSeconds = positiveInteger(config.Timeout);
    const code: FunctionCode = {
      name,
      dir: paths.dir,
      entry,
      timeoutMs: timeoutSeconds ? timeoutSeconds * 1000 : this.defaults.timeoutMs,
      memoryMb: positiveInteger(config.MemorySize) ?? this.defaults.memoryMb,
      variables: stringMap(config.Environment?.Variables),
      version,
    };
    this.known.set(name, code);
    return code;
  }
}

