// The one mechanism behind every Update*: a per-resource table of the patch paths AWS accepts,
// each with the operations allowed on it and how it changes the resource.
import { ApiError, badRequest } from './errors.js';
import type { PatchOperation } from './shapes.js';

export type PatchOp = 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';

export type PatchRule<T> = {
  /**
   * `/name`, or with `*` standing for one escaped segment, or `**` for one or more segments (the
   * rest of the path, or, followed by more pattern, all segments before the path's matching tail)
   */
  path: string;
  ops: PatchOp[];
  apply: (target: T, op: PatchOperation & { op: PatchOp; path: string }, params: string[]) => void;
};

export type PatchErrors = {
  /** path matched no rule */
  invalidPath: (op: PatchOperation) => ApiError;
  /** path matched but the op is not allowed there */
  invalidOp: (op: PatchOperation, allowed: PatchOp[]) => ApiError;
};

/** JSON-pointer unescaping of one path segment (`~1` → `/`, `~0` → `~`). */
export const unescapeSegment = (s: string) => s.replace(/~1/g, '/').replace(/~0/g, '~');

function matchRule(pattern: string, path: string): string[] | undefined {
  const want = pattern.split('/').slice(1);
  const have = path.split('/').slice(1);
  const params: string[] = [];
  for (let i = 0; i < want.length; i++) {
    if (want[i] === '**') {
      const tail = want.length - i - 1;
      if (have.length - i <= tail) return undefined;
      params.push(have.slice(i, have.length - tail).map(unescapeSegment).join('/'));
      if (tail === 0) return params;
      const rest = matchRule(`/${want.slice(i + 1).join('/')}`, `/${have.slice(have.length - tail).join('/')}`);
      return rest && [...params, ...rest];
    }
    if (i >= have.length) return undefined;
    if (want[i] === '*') params.push(unescapeSegment(have[i]!));
    else if (want[i] !== have[i]) return undefined;
  }
  return want.length === have.length ? params : undefined;
}

/** What the errors show of an operation: a missing op or path reads `null`, as in API Gateway's messages. */
const shown = (operation: PatchOperation) => ({ ...operation, op: operation.op ?? 'null', path: operation.path ?? 'null' }) as PatchOperation;

export function applyPatches<T>(target: T, patchOperations: PatchOperation[] | undefined, rules: PatchRule<T>[], errors: PatchErrors): T {
  for (const operation of patchOperations ?? []) {
    if (!operation.path) throw errors.invalidPath(shown(operation));
    const matches = rules.map((rule) => ({ rule, params: matchRule(rule.path, operation.path!) })).filter((m) => m.params);
    if (!matches.length) throw errors.invalidPath(shown(operation));
    const usable = matches.find((m) => m.rule.ops.includes(operation.op as PatchOp));
    if (!usable) throw errors.invalidOp(shown(operation), matches[0]!.rule.ops);
    usable.rule.apply(target, operation as PatchOperation & { op: PatchOp; path: string }, usable.params!);
  }
  return target;
}

// Common value readers: AWS sends every patch value as a string.

/** A patch value as messages show it: a missing one reads `null`, as in API Gateway's. */
export const shownValue = (op: PatchOperation): string => op.value ?? 'null';

export function patchBoolean(op: PatchOperation, message = `Invalid boolean value: ${shownValue(op)}`): boolean {
  if (op.value === 'true' || op.value === 'false') return op.value === 'true';
  throw badRequest(message);
}

export function patchInteger(op: PatchOperation, message: string): number {
  if (op.value === undefined || !/^-?\d+$/.test(op.value)) throw badRequest(message);
  return Number(op.value);
}

/**
 * Errors in the wording most API Gateway resources use: an unknown path under a supported op lists
 * that op's paths; an op the resource does not support at that path asks for a supported one.
 */
export function standardPatchErrors<T>(rules: PatchRule<T>[]): PatchErrors {
  const pathsFor = (op: string | undefined) => rules.filter((r) => r.ops.includes(op as PatchOp)).map((r) => r.path);
  const unsupported = (op: PatchOperation) =>
    badRequest(`Invalid patch path  '${op.path}' specified for op '${op.op}'. Please choose supported operations`);
  return {
    invalidPath: (op) => {
      const paths = pathsFor(op.op);
      if (!paths.length) return unsupported(op);
      return badRequest(`Invalid patch path  '${op.path}' specified for op '${op.op}'. Must be one of: [${paths.join(', ')}]`);
    },
    invalidOp: unsupported,
  };
}
