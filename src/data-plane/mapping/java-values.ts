// Template values as API Gateway's Java runtime shows them: JSON parsed into maps and JSON lists,
// Java's toString for output (`{a=1}` for maps, JSON for lists that came from JSON), Java's equals.

/** Objects that templates can call methods on but not see inside ($input, $util, map entries). */
export class HostObject {
  constructor(
    readonly properties: Readonly<Record<string, unknown>>,
    readonly methods: Readonly<Record<string, (...args: unknown[]) => unknown>>,
  ) {}
}

// Lists that came from a JSON document print as JSON, as json-smart's JSONArray does; lists a
// template builds print as Java's ArrayList does.
const jsonLists = new WeakSet<unknown[]>();

export function markJsonList<T extends unknown[]>(list: T): T {
  jsonLists.add(list);
  return list;
}

/** Parses JSON as API Gateway does for $input.path and $util.parseJson; throws on invalid JSON. */
export function parseJson(text: string): unknown {
  return JSON.parse(text, (_key, value: unknown) => (Array.isArray(value) ? markJsonList(value) : value));
}

export type JavaMap = Record<string, unknown>;

export function isMap(value: unknown): value is JavaMap {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function nested(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  return javaString(value);
}

/** What `$value` renders as; null and missing values render as nothing. */
export function javaString(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return jsonLists.has(value) ? JSON.stringify(value) : `[${value.map(nested).join(', ')}]`;
  if (value instanceof HostObject) {
    return 'key' in value.properties ? `${nested(value.properties.key)}=${nested(value.properties.value)}` : '';
  }
  if (isMap(value)) return `{${Object.entries(value).map(([k, v]) => `${k}=${nested(v)}`).join(', ')}}`;
  return '';
}

/** Java's equals for the values templates handle: by value for strings, numbers, lists and maps. */
export function javaEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || a === undefined || b === null || b === undefined) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => javaEquals(v, b[i]));
  if (isMap(a) && isMap(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && javaEquals(a[k], b[k]));
  }
  return false;
}

/** Sets a map entry without ever touching the prototype chain (`__proto__` is just a key). */
export function putEntry(map: JavaMap, key: string, value: unknown): void {
  Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
}
