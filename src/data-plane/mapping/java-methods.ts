// The Java methods templates call on values: String's, Number's, List's and Map's commonly used
// ones, and the methods of host objects. Nothing else is callable, so no JavaScript function or
// prototype is ever reachable from a template.
import { HostObject, isMap, javaEquals, javaString, putEntry, type JavaMap } from './java-values.js';

/** A template called a method wrongly (Java would throw); the render fails as AWS's does. */
export class TemplateMethodError extends Error {}

type Method<T> = (self: T, ...args: unknown[]) => unknown;

const str = (v: unknown): string => javaString(v);
const int = (v: unknown): number => {
  const n = Number(v);
  if (!Number.isInteger(n)) throw new TemplateMethodError(`not an integer: ${javaString(v)}`);
  return n;
};

// Java regular expressions are close enough to JavaScript's for what templates use; the few
// distinct patterns of a deployment are compiled once.
const regexCache = new Map<string, RegExp>();
function regex(pattern: unknown, flags = ''): RegExp {
  const key = `${flags}/${str(pattern)}`;
  let re = regexCache.get(key);
  if (!re) {
    try {
      re = new RegExp(str(pattern), flags);
    } catch {
      throw new TemplateMethodError(`invalid regular expression: ${str(pattern)}`);
    }
    if (regexCache.size >= 1000) regexCache.delete(regexCache.keys().next().value!);
    regexCache.set(key, re);
  }
  re.lastIndex = 0;
  return re;
}

/** Java's replacement syntax: `$n` is a group, `\x` is a literal x. */
function javaReplacement(replacement: string): (match: string, ...groups: unknown[]) => string {
  return (match, ...rest) => {
    const groups = rest.slice(0, rest.findIndex((r) => typeof r === 'number')) as (string | undefined)[];
    let out = '';
    for (let i = 0; i < replacement.length; i++) {
      const c = replacement[i]!;
      if (c === '\\' && i + 1 < replacement.length) out += replacement[++i];
      else if (c === '$' && /\d/.test(replacement[i + 1] ?? '')) {
        const n = Number(replacement[++i]);
        if (n > groups.length) throw new TemplateMethodError(`no group ${n}`);
        out += n === 0 ? match : (groups[n - 1] ?? '');
      } else out += c;
    }
    return out;
  };
}

function substring(s: string, begin: unknown, end?: unknown): string {
  const b = int(begin);
  const e = end === undefined ? s.length : int(end);
  if (b < 0 || e > s.length || b > e) throw new TemplateMethodError(`substring(${b}, ${e}) out of range`);
  return s.slice(b, e);
}

/** Java's split drops trailing empty strings. */
function split(s: string, pattern: unknown, limit?: unknown): string[] {
  const n = limit === undefined ? 0 : int(limit);
  let parts = s.split(regex(pattern));
  if (n > 0 && parts.length > n) {
    const re = regex(pattern, 'g');
    let cut = 0;
    for (let i = 0; i < n - 1; i++) {
      const m = re.exec(s);
      if (!m) break;
      cut = m.index + m[0].length;
    }
    parts = [...parts.slice(0, n - 1), s.slice(cut)];
  }
  if (n === 0) while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

const stringMethods: Record<string, Method<string>> = {
  length: (s) => s.length,
  isEmpty: (s) => s.length === 0,
  isBlank: (s) => s.trim().length === 0,
  charAt: (s, i) => {
    const n = int(i);
    if (n < 0 || n >= s.length) throw new TemplateMethodError(`charAt(${n}) out of range`);
    return s.charAt(n);
  },
  substring: (s, b, e) => substring(s, b, e),
  indexOf: (s, x, from) => s.indexOf(str(x), from === undefined ? 0 : int(from)),
  lastIndexOf: (s, x, from) => (from === undefined ? s.lastIndexOf(str(x)) : s.lastIndexOf(str(x), int(from))),
  contains: (s, x) => s.includes(str(x)),
  startsWith: (s, x, offset) => s.startsWith(str(x), offset === undefined ? 0 : int(offset)),
  endsWith: (s, x) => s.endsWith(str(x)),
  equals: (s, x) => typeof x === 'string' && s === x,
  equalsIgnoreCase: (s, x) => typeof x === 'string' && s.toLowerCase() === x.toLowerCase(),
  compareTo: (s, x) => (s < str(x) ? -1 : s > str(x) ? 1 : 0),
  toLowerCase: (s) => s.toLowerCase(),
  toUpperCase: (s) => s.toUpperCase(),
  trim: (s) => s.trim(),
  strip: (s) => s.trim(),
  concat: (s, x) => s + str(x),
  replace: (s, a, b) => s.split(str(a)).join(str(b)),
  replaceAll: (s, re, r) => s.replace(regex(re, 'g'), javaReplacement(str(r))),
  replaceFirst: (s, re, r) => s.replace(regex(re), javaReplacement(str(r))),
  matches: (s, re) => regex(`^(?:${str(re)})$`).test(s),
  split: (s, re, limit) => split(s, re, limit),
  toString: (s: string) => s,
  hashCode: (s) => {
    let h = 0;
    for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
    return h;
  },
};

const numberMethods: Record<string, Method<number>> = {
  intValue: (n) => Math.trunc(n) | 0,
  longValue: (n) => Math.trunc(n),
  doubleValue: (n) => n,
  floatValue: (n) => n,
  toString: (n: number) => String(n),
  equals: (n, x) => n === x,
  compareTo: (n, x) => Math.sign(n - Number(x)),
};

const booleanMethods: Record<string, Method<boolean>> = {
  booleanValue: (b) => b,
  toString: (b: boolean) => String(b),
  equals: (b, x) => b === x,
};

function listIndex(list: unknown[], i: unknown): number {
  const n = int(i);
  if (n < 0 || n >= list.length) throw new TemplateMethodError(`index ${n} out of range`);
  return n;
}

const listMethods: Record<string, Method<unknown[]>> = {
  size: (l) => l.length,
  isEmpty: (l) => l.length === 0,
  get: (l, i) => l[listIndex(l, i)],
  contains: (l, x) => l.some((v) => javaEquals(v, x)),
  indexOf: (l, x) => l.findIndex((v) => javaEquals(v, x)),
  add: (l, a, b) => {
    if (b === undefined) l.push(a);
    else l.splice(int(a), 0, b);
    return true;
  },
  addAll: (l, x) => {
    if (Array.isArray(x)) l.push(...x);
    return Array.isArray(x);
  },
  set: (l, i, x) => l.splice(listIndex(l, i), 1, x)[0],
  remove: (l, x) => (typeof x === 'number' ? l.splice(listIndex(l, x), 1)[0] : (() => {
    const i = l.findIndex((v) => javaEquals(v, x));
    if (i >= 0) l.splice(i, 1);
    return i >= 0;
  })()),
  subList: (l, a, b) => {
    const [from, to] = [int(a), int(b)];
    if (from < 0 || to > l.length || from > to) throw new TemplateMethodError(`subList(${from}, ${to}) out of range`);
    return l.slice(from, to);
  },
  clear: (l) => {
    l.length = 0;
  },
  toString: (l: unknown[]) => javaString(l),
  equals: (l, x) => javaEquals(l, x),
};

const entry = (key: string, value: unknown) => new HostObject({ key, value }, { getKey: () => key, getValue: () => value });

const mapMethods: Record<string, Method<JavaMap>> = {
  size: (m) => Object.keys(m).length,
  isEmpty: (m) => Object.keys(m).length === 0,
  get: (m, k) => (Object.hasOwn(m, str(k)) ? m[str(k)] : undefined),
  getOrDefault: (m, k, d) => (Object.hasOwn(m, str(k)) ? m[str(k)] : d),
  containsKey: (m, k) => Object.hasOwn(m, str(k)),
  containsValue: (m, x) => Object.values(m).some((v) => javaEquals(v, x)),
  keySet: (m) => Object.keys(m),
  values: (m) => Object.values(m),
  entrySet: (m) => Object.entries(m).map(([k, v]) => entry(k, v)),
  put: (m, k, v) => {
    const previous = Object.hasOwn(m, str(k)) ? m[str(k)] : undefined;
    putEntry(m, str(k), v);
    return previous;
  },
  putAll: (m, x) => {
    if (isMap(x)) for (const [k, v] of Object.entries(x)) putEntry(m, k, v);
  },
  remove: (m, k) => {
    const previous = Object.hasOwn(m, str(k)) ? m[str(k)] : undefined;
    delete m[str(k)];
    return previous;
  },
  clear: (m) => {
    for (const k of Object.keys(m)) delete m[k];
  },
  toString: (m: JavaMap) => javaString(m),
  equals: (m, x) => javaEquals(m, x),
};

function lookup<T>(table: Record<string, Method<T>>, name: string): Method<T> | undefined {
  return Object.hasOwn(table, name) ? table[name] : undefined;
}

/** `$target.name(args)`: the Java method of that name, or nothing (renders empty) when there is none. */
export function callMethod(target: unknown, name: string, args: unknown[]): unknown {
  if (target instanceof HostObject) {
    const method = Object.hasOwn(target.methods, name) ? target.methods[name] : undefined;
    return method?.(...args);
  }
  let method: Method<never> | undefined;
  if (typeof target === 'string') method = lookup(stringMethods, name);
  else if (typeof target === 'number') method = lookup(numberMethods, name);
  else if (typeof target === 'boolean') method = lookup(booleanMethods, name);
  else if (Array.isArray(target)) method = lookup(listMethods, name);
  else if (isMap(target)) method = lookup(mapMethods, name);
  return method?.(target as never, ...args);
}

/** `$target.name` / `$target[key]`: a map entry, a list item, a host property; never anything inherited. */
export function readMember(target: unknown, key: unknown): unknown {
  if (target instanceof HostObject) return typeof key === 'string' && Object.hasOwn(target.properties, key) ? target.properties[key] : undefined;
  if (Array.isArray(target)) return typeof key === 'number' && Number.isInteger(key) ? target[key] : undefined;
  if (isMap(target)) {
    const k = javaString(key);
    return Object.hasOwn(target, k) ? target[k] : undefined;
  }
  return undefined;
}
