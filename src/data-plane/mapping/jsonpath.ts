// The JSONPath subset API Gateway evaluates in $input.path, $input.json and body mappings:
// `$`, `.name`, `['name']`, `[n]`, `[*]`, `.*`, `..name`, unions, slices and simple filters.
import { isMap, markJsonList } from './java-values.js';

type Filter = { path: string[]; op?: string; literal?: unknown };
type Segment =
  | { kind: 'names'; names: string[]; deep: boolean }
  | { kind: 'indexes'; indexes: number[]; deep: boolean }
  | { kind: 'wildcard'; deep: boolean }
  | { kind: 'slice'; start?: number; end?: number; step: number; deep: boolean }
  | { kind: 'filter'; filter: Filter; deep: boolean };

export type JsonPath = {
  /** a path of plain names and single indexes selects one value; any other selects a list */
  definite: boolean;
  read: (root: unknown) => unknown;
};

export class JsonPathError extends Error {}

const fail = (expression: string): never => {
  throw new JsonPathError(`Invalid JSONPath expression: ${expression}`);
};

function parseLiteral(text: string, expression: string): unknown {
  const t = text.trim();
  if (/^'.*'$/s.test(t)) return t.slice(1, -1);
  try {
    return JSON.parse(t);
  } catch {
    return fail(expression);
  }
}

function parseFilter(body: string, expression: string): Filter {
  const m = /^\s*@((?:\.[\w$-]+)*)\s*(?:(==|!=|<=|>=|<|>)\s*(.+?))?\s*$/s.exec(body);
  if (!m) return fail(expression);
  const path = m[1]!.split('.').filter(Boolean);
  return m[2] ? { path, op: m[2], literal: parseLiteral(m[3]!, expression) } : { path };
}

function parseBracket(inner: string, deep: boolean, expression: string): Segment {
  const body = inner.trim();
  if (body === '*') return { kind: 'wildcard', deep };
  if (body.startsWith('?(') && body.endsWith(')')) return { kind: 'filter', filter: parseFilter(body.slice(2, -1), expression), deep };
  const slice = /^(-?\d*):(-?\d*)(?::(-?\d+))?$/.exec(body);
  if (slice) {
    const step = slice[3] ? Number(slice[3]) : 1;
    if (step === 0) fail(expression);
    return { kind: 'slice', start: slice[1] ? Number(slice[1]) : undefined, end: slice[2] ? Number(slice[2]) : undefined, step, deep };
  }
  const parts = body.split(',').map((p) => p.trim());
  if (parts.every((p) => /^-?\d+$/.test(p))) return { kind: 'indexes', indexes: parts.map(Number), deep };
  if (parts.every((p) => /^'.*'$|^".*"$/s.test(p))) return { kind: 'names', names: parts.map((p) => p.slice(1, -1)), deep };
  return fail(expression);
}

function closingBracket(expression: string, from: number): number {
  let quote: string | undefined;
  for (let i = from; i < expression.length; i++) {
    const c = expression[i];
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === ']') return i;
  }
  return fail(expression);
}

function parseSegments(expression: string): Segment[] {
  const source = expression.trim();
  let text = source.startsWith('$') ? source.slice(1) : source ? `.${source}` : '';
  const segments: Segment[] = [];
  while (text) {
    const deep = text.startsWith('..');
    if (deep || text.startsWith('.')) {
      text = text.slice(deep ? 2 : 1);
      if (deep && text.startsWith('[')) {
        const end = closingBracket(text, 1);
        segments.push(parseBracket(text.slice(1, end), true, expression));
        text = text.slice(end + 1);
        continue;
      }
      const name = /^[^.[]+/.exec(text)?.[0] ?? fail(expression);
      segments.push(name === '*' ? { kind: 'wildcard', deep } : { kind: 'names', names: [name], deep });
      text = text.slice(name.length);
    } else if (text.startsWith('[')) {
      const end = closingBracket(text, 1);
      segments.push(parseBracket(text.slice(1, end), false, expression));
      text = text.slice(end + 1);
    } else {
      fail(expression);
    }
  }
  return segments;
}

function children(node: unknown): unknown[] {
  if (Array.isArray(node)) return node;
  if (isMap(node)) return Object.values(node);
  return [];
}

function descendants(node: unknown, out: unknown[] = []): unknown[] {
  out.push(node);
  for (const child of children(node)) descendants(child, out);
  return out;
}

function member(node: unknown, path: string[]): unknown {
  let current = node;
  for (const name of path) current = isMap(current) && Object.hasOwn(current, name) ? current[name] : undefined;
  return current;
}

function compare(value: unknown, op: string, literal: unknown): boolean {
  switch (op) {
    case '==':
      return value === literal;
    case '!=':
      return value !== literal;
    default: {
      if (typeof value !== typeof literal || (typeof value !== 'number' && typeof value !== 'string')) return false;
      const [a, b] = [value as number | string, literal as number | string];
      return op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : a >= b;
    }
  }
}

function select(node: unknown, segment: Segment): unknown[] {
  switch (segment.kind) {
    case 'names':
      return isMap(node) ? segment.names.filter((n) => Object.hasOwn(node, n)).map((n) => node[n]) : [];
    case 'indexes':
      if (!Array.isArray(node)) return [];
      return segment.indexes.map((i) => (i < 0 ? node.length + i : i)).filter((i) => i >= 0 && i < node.length).map((i) => node[i]);
    case 'wildcard':
      return children(node);
    case 'slice': {
      if (!Array.isArray(node)) return [];
      const len = node.length;
      const norm = (i: number) => (i < 0 ? Math.max(len + i, 0) : Math.min(i, len));
      const out: unknown[] = [];
      if (segment.step > 0) {
        for (let i = norm(segment.start ?? 0); i < norm(segment.end ?? len); i += segment.step) out.push(node[i]);
      } else {
        for (let i = segment.start === undefined ? len - 1 : norm(segment.start); i > (segment.end === undefined ? -1 : norm(segment.end)); i += segment.step) out.push(node[i]);
      }
      return out;
    }
    case 'filter': {
      const { path, op, literal } = segment.filter;
      return children(node).filter((child) => {
        const value = member(child, path);
        return op ? compare(value, op, literal) : value !== undefined;
      });
    }
  }
}

export function compileJsonPath(expression: string): JsonPath {
  const segments = parseSegments(expression);
  const definite = segments.every((s) => !s.deep && ((s.kind === 'names' && s.names.length === 1) || (s.kind === 'indexes' && s.indexes.length === 1)));
  return {
    definite,
    read: (root) => {
      let nodes: unknown[] = [root];
      for (const segment of segments) {
        nodes = nodes.flatMap((node) => (segment.deep ? descendants(node) : [node]).flatMap((n) => select(n, segment)));
      }
      return definite ? nodes[0] : markJsonList(nodes);
    },
  };
}

// Templates pass paths as strings at render time; the few distinct ones are parsed once.
const cache = new Map<string, JsonPath>();
const CACHE_SIZE = 1000;

export function jsonPath(expression: string): JsonPath {
  let compiled = cache.get(expression);
  if (!compiled) {
    compiled = compileJsonPath(expression);
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
    cache.set(expression, compiled);
  }
  return compiled;
}
