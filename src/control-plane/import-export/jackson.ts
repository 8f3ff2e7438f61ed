// JSON text in the layout API Gateway stores model schemas in (Jackson's default pretty printer):
// two-space indented objects with " : ", arrays on one line.
export function prettyJson(value: unknown, depth = 0): string {
  const pad = (n: number) => '  '.repeat(n);
  if (Array.isArray(value)) return value.length ? `[ ${value.map((v) => prettyJson(v, depth)).join(', ')} ]` : '[ ]';
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (!entries.length) return '{ }';
    return `{\n${entries.map(([k, v]) => `${pad(depth + 1)}${JSON.stringify(k)} : ${prettyJson(v, depth + 1)}`).join(',\n')}\n${pad(depth)}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
