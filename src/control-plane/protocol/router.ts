// Finds the operation for a method and raw path: literal segments win over labels, and
// query literals (`?mode=import`) select among operations sharing a URI.
import { operations, type OperationSpec } from './openapi.js';

export type Match = { spec: OperationSpec; pathParams: Record<string, string> };

type Candidate = { spec: OperationSpec; literals: number };

const byMethodAndLength = new Map<string, OperationSpec[]>();
for (const spec of operations) {
  const key = `${spec.method} ${spec.segments.length}`;
  byMethodAndLength.set(key, [...(byMethodAndLength.get(key) ?? []), spec]);
}

function decode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

export function matchOperation(method: string, rawPath: string, query: URLSearchParams): Match | undefined {
  const segments = rawPath.split('/').filter(Boolean);
  const specs = byMethodAndLength.get(`${method} ${segments.length}`) ?? [];
  let best: (Candidate & { pathParams: Record<string, string> }) | undefined;
  for (const spec of specs) {
    const pathParams: Record<string, string> = {};
    let literals = 0;
    let ok = true;
    for (let i = 0; i < segments.length && ok; i++) {
      const pattern = spec.segments[i]!;
      const value = decode(segments[i]!);
      if (value === undefined) ok = false;
      else if (pattern.startsWith('{')) pathParams[pattern.slice(1, -1)] = value;
      else if (pattern === value) literals += 2;
      else ok = false;
    }
    for (const [k, v] of Object.entries(spec.queryLiterals)) {
      if (query.get(k) === v) literals += 1;
      else ok = false;
    }
    if (ok && (!best || literals > best.literals)) best = { spec, literals, pathParams };
  }
  return best && { spec: best.spec, pathParams: best.pathParams };
}
