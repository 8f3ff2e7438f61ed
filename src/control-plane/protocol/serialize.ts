// Turns a handler's typed output into the REST-JSON wire form: member names to wire names
// (`items` → `item`), timestamps as epoch seconds, absent members omitted, payload members raw.
import { resolveSchema, type Schema } from './openapi.js';

export type WireResponse = { headers: Record<string, string>; body?: Buffer | string };

function toWire(schema: Schema, value: unknown): unknown {
  if (value === undefined || value === null) return undefined;
  const s = resolveSchema(schema);
  if (s['x-aws-timestamp']) {
    const ms = value instanceof Date ? value.getTime() : typeof value === 'string' ? Date.parse(value) : Number(value);
    return Math.floor(ms / 1000);
  }
  if (s.type === 'array') return (value as unknown[]).map((v) => toWire(s.items!, v));
  if (s.type === 'object' && s.additionalProperties) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as object)) {
      // A null entry is a listed key without a value: API Gateway shows an empty mapping template so.
      if (v === null) {
        out[k] = null;
        continue;
      }
      const wire = toWire(s.additionalProperties, v);
      if (wire !== undefined) out[k] = wire;
    }
    return out;
  }
  if (s.type === 'object') {
    const wireNames = Object.fromEntries(Object.entries(s['x-aws-member-names'] ?? {}).map(([w, m]) => [m, w]));
    const source = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [member, v] of Object.entries(source)) {
      const wire = wireNames[member] ?? member;
      const propertySchema = s.properties?.[wire];
      if (!propertySchema) continue;
      const w = toWire(propertySchema, v);
      if (w !== undefined) out[wire] = w;
    }
    return out;
  }
  return value;
}

/**
 * A header value HTTP can carry: header members may hold what a user wrote (an API's version names
 * the export's file), and a character outside printable ASCII would fail the whole response.
 */
const headerSafe = (value: string) => value.replace(/[^\x20-\x7e\t]/g, '_');

export function serializeOutput(schema: Schema | undefined, output: unknown): WireResponse {
  if (!schema || output === undefined || output === null) return { headers: {} };
  const s = resolveSchema(schema);
  const headers: Record<string, string> = {};
  const source = output as Record<string, unknown>;
  for (const [member, header] of Object.entries(s['x-aws-headers'] ?? {})) {
    if (source[member] !== undefined && source[member] !== null) headers[header] = headerSafe(String(source[member]));
  }
  const payload = s['x-aws-payload'];
  if (payload) {
    const body = source[payload];
    return { headers, body: body === undefined ? undefined : Buffer.isBuffer(body) ? body : String(body) };
  }
  headers['Content-Type'] = 'application/json';
  return { headers, body: JSON.stringify(toWire(s, output)) };
}
