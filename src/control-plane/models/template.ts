// GetModelTemplate's generator: a VTL mapping template that rebuilds a payload in the shape of a
// model, walking its JSON Schema (nested objects, arrays with #foreach, other models by $ref).

type Schema = Record<string, unknown>;

const canonicalRef = /^https:\/\/apigateway\.amazonaws\.com\/restapis\/[^/]+\/models\/([^/#]+)$/;
const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/;

const asSchema = (value: unknown): Schema => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Schema) : {});

function parse(text: string | undefined): Schema {
  try {
    return asSchema(JSON.parse(text ?? '{}'));
  } catch {
    return {};
  }
}

class TemplateWriter {
  private readonly lines: string[] = [];

  constructor(
    private readonly root: Schema,
    /** the API's model schemas by name, for references to other models */
    private readonly models: Map<string, string>,
  ) {}

  /** Follows $ref (to this API's models or the schema's own definitions); `seen` stops cycles. */
  private resolve(schema: Schema, seen: Set<string>): { schema: Schema; seen: Set<string> } | undefined {
    const ref = schema.$ref;
    if (typeof ref !== 'string') return { schema, seen };
    if (seen.has(ref)) return undefined;
    const next = new Set(seen).add(ref);
    const model = canonicalRef.exec(ref)?.[1];
    if (model !== undefined) return this.models.has(model) ? this.resolve(parse(this.models.get(model)), next) : undefined;
    const local = /^#\/definitions\/(.+)$/.exec(ref)?.[1];
    if (local !== undefined) return this.resolve(asSchema(asSchema(this.root.definitions)[local]), next);
    return undefined;
  }

  private static kind(schema: Schema): string {
    const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
    if (typeof type === 'string') return type;
    if (schema.properties) return 'object';
    if (schema.items) return 'array';
    return 'string';
  }

  private static member(reference: string, name: string): string {
    return identifier.test(name) ? `${reference}.${name}` : `${reference}.get('${name.replace(/'/g, "''")}')`;
  }

  /** The value of `reference` as the schema types it, opening objects and arrays. */
  private value(schema: Schema, reference: string, indent: string, depth: number, seen: Set<string>, prefix: string) {
    const resolved = this.resolve(schema, seen);
    // A cycle (or a reference to nothing) ends the walk with an empty object.
    if (!resolved) {
      this.lines.push(`${prefix}{}`);
      return;
    }
    const kind = TemplateWriter.kind(resolved.schema);
    if (kind === 'object') this.object(resolved.schema, reference, indent, depth, resolved.seen, prefix);
    else if (kind === 'array') this.array(resolved.schema, reference, indent, depth, resolved.seen, prefix);
    else if (kind === 'string') this.lines.push(`${prefix}"${reference}"`);
    else this.lines.push(`${prefix}${reference}`);
  }

  private object(schema: Schema, reference: string, indent: string, depth: number, seen: Set<string>, prefix: string) {
    const properties = Object.entries(asSchema(schema.properties));
    if (!properties.length) {
      this.lines.push(`${prefix}{}`);
      return;
    }
    this.lines.push(`${prefix}{`);
    properties.forEach(([name, property], i) => {
      this.value(asSchema(property), TemplateWriter.member(reference, name), `${indent}  `, depth, seen, `${indent}  "${name}" : `);
      if (i < properties.length - 1) this.lines[this.lines.length - 1] += ',';
    });
    this.lines.push(`${indent}}`);
  }

  private array(schema: Schema, reference: string, indent: string, depth: number, seen: Set<string>, prefix: string) {
    const element = depth === 0 ? '$elem' : `$elem${depth + 1}`;
    this.lines.push(`${prefix}[`);
    this.lines.push(`#foreach(${element} in ${reference})`);
    this.value(asSchema(Array.isArray(schema.items) ? schema.items[0] : schema.items), element, `${indent}  `, depth + 1, seen, `${indent}  `);
    this.lines[this.lines.length - 1] += '#if($foreach.hasNext),#end';
    this.lines.push('#end');
    this.lines.push(`${indent}]`);
  }

  write(): string {
    this.lines.push("#set($inputRoot = $input.path('$'))");
    this.value(this.root, '$inputRoot', '', 0, new Set(), '');
    return this.lines.join('\n');
  }
}

/** The mapping template for a model's schema; `models` holds the API's model schemas by name. */
export function modelTemplate(schema: string | undefined, models: Map<string, string>): string {
  return new TemplateWriter(parse(schema), models).write();
}
