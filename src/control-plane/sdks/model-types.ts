// TypeScript types for an API's models (JSON Schema draft 4), for the TypeScript SDK.

type Schema = Record<string, unknown>;

const canonicalRef = /^https:\/\/apigateway\.amazonaws\.com\/restapis\/[^/]+\/models\/([^/#]+)$/;
const identifier = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export const typeName = (model: string) => (/^[A-Za-z_$]/.test(model) ? model : `_${model}`).replace(/[^A-Za-z0-9_$]/g, '_');

const asSchema = (value: unknown): Schema => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Schema) : {});

function typeOf(schema: Schema, root: Schema, models: Set<string>, indent: string, depth: number): string {
  if (depth > 20) return 'unknown';
  const ref = schema.$ref;
  if (typeof ref === 'string') {
    const model = canonicalRef.exec(ref)?.[1];
    if (model !== undefined) return models.has(model) ? typeName(model) : 'unknown';
    const local = /^#\/definitions\/(.+)$/.exec(ref)?.[1];
    return local !== undefined ? typeOf(asSchema(asSchema(root.definitions)[local]), root, models, indent, depth + 1) : 'unknown';
  }
  if (Array.isArray(schema.enum) && schema.enum.length) return schema.enum.map((v) => JSON.stringify(v)).join(' | ');
  const types = (Array.isArray(schema.type) ? schema.type : [schema.type ?? (schema.properties ? 'object' : schema.items ? 'array' : undefined)]) as unknown[];
  const parts = types.map((type) => {
    switch (type) {
      case 'string':
        return 'string';
      case 'integer':
      case 'number':
        return 'number';
      case 'boolean':
        return 'boolean';
      case 'null':
        return 'null';
      case 'array': {
        const item = typeOf(asSchema(Array.isArray(schema.items) ? schema.items[0] : schema.items), root, models, indent, depth + 1);
        return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(item) ? `${item}[]` : `Array<${item}>`;
      }
      case 'object': {
        const properties = Object.entries(asSchema(schema.properties));
        if (!properties.length) return 'Record<string, unknown>';
        const required = new Set(Array.isArray(schema.required) ? schema.required : []);
        const members = properties.map(([name, property]) => {
          const key = identifier.test(name) ? name : JSON.stringify(name);
          return `${indent}  ${key}${required.has(name) ? '' : '?'}: ${typeOf(asSchema(property), root, models, `${indent}  `, depth + 1)};`;
        });
        return `{\n${members.join('\n')}\n${indent}}`;
      }
      default:
        return 'unknown';
    }
  });
  return [...new Set(parts)].join(' | ');
}

/** `export type {Model} = ...;` for each model. */
export function modelTypes(models: { name: string; schema: string }[]): string {
  const names = new Set(models.map((m) => m.name));
  return models
    .map(({ name, schema }) => {
      let parsed: Schema = {};
      try {
        parsed = asSchema(JSON.parse(schema));
      } catch {
        // A schema that is not JSON types as unknown.
      }
      return `export type ${typeName(name)} = ${typeOf(parsed, parsed, names, '', 0)};\n`;
    })
    .join('\n');
}
