// Derives openapi/apigateway.json (OpenAPI 3) from the AWS service model of API Gateway.
// Only structure is carried over (URIs, members, types, enums, status codes); no documentation text.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

type Member = { shape: string; location?: string; locationName?: string };
type Shape = {
  type: string;
  members?: Record<string, Member>;
  required?: string[];
  member?: { shape: string };
  key?: { shape: string };
  value?: { shape: string };
  enum?: string[];
  payload?: string;
  error?: { httpStatusCode: number };
  exception?: boolean;
};
type Operation = {
  name: string;
  http: { method: string; requestUri: string; responseCode?: number };
  input?: { shape: string };
  output?: { shape: string };
  errors?: { shape: string }[];
};

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const modelPath = process.argv[2] ?? resolve(root, '../shared/reference/aws-model/apigateway-2015-07-09.service-2.json');
const model = JSON.parse(readFileSync(modelPath, 'utf8')) as {
  metadata: { apiVersion: string; serviceFullName: string };
  operations: Record<string, Operation>;
  shapes: Record<string, Shape>;
};

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

function schemaFor(name: string, shape: Shape): Record<string, unknown> {
  switch (shape.type) {
    case 'structure': {
      const properties: Record<string, unknown> = {};
      const memberNames: Record<string, string> = {};
      const headers: Record<string, string> = {};
      for (const [memberName, member] of Object.entries(shape.members ?? {})) {
        if (member.location === 'header') headers[memberName] = member.locationName ?? memberName;
        if (member.location) continue; // bound to the URI, query string or headers, not the body
        const wireName = member.locationName ?? memberName;
        properties[wireName] = ref(member.shape);
        if (wireName !== memberName) memberNames[wireName] = memberName;
      }
      const required = (shape.required ?? []).filter((m) => !shape.members?.[m]?.location);
      return {
        type: 'object',
        properties,
        ...(required.length ? { required } : {}),
        ...(Object.keys(memberNames).length ? { 'x-aws-member-names': memberNames } : {}),
        ...(shape.payload ? { 'x-aws-payload': shape.payload } : {}),
        ...(Object.keys(headers).length ? { 'x-aws-headers': headers } : {}),
      };
    }
    case 'list':
      return { type: 'array', items: ref(shape.member!.shape) };
    case 'map':
      return { type: 'object', additionalProperties: ref(shape.value!.shape) };
    case 'string':
      return { type: 'string', ...(shape.enum ? { enum: shape.enum } : {}) };
    case 'integer':
    case 'long':
      return { type: 'integer', format: shape.type === 'long' ? 'int64' : 'int32' };
    case 'double':
      return { type: 'number', format: 'double' };
    case 'boolean':
      return { type: 'boolean' };
    case 'timestamp':
      return { type: 'number', format: 'epoch-seconds', 'x-aws-timestamp': true };
    case 'blob':
      return { type: 'string', format: 'binary' };
    default:
      throw new Error(`unsupported shape type ${shape.type} (${name})`);
  }
}

function parametersOf(shapeName: string) {
  const shape = model.shapes[shapeName]!;
  const params: unknown[] = [];
  for (const [memberName, member] of Object.entries(shape.members ?? {})) {
    if (!member.location) continue;
    const where = { uri: 'path', querystring: 'query', header: 'header', headers: 'header' }[member.location];
    if (!where) throw new Error(`unsupported location ${member.location}`);
    params.push({
      name: member.locationName ?? memberName,
      in: where,
      required: where === 'path' || (shape.required ?? []).includes(memberName),
      schema: ref(member.shape),
      'x-aws-member': memberName,
    });
  }
  return params;
}

function bodyOf(shapeName: string) {
  const shape = model.shapes[shapeName]!;
  if (shape.payload) {
    const payloadShape = model.shapes[shape.members![shape.payload]!.shape]!;
    const mediaType = payloadShape.type === 'blob' ? 'application/octet-stream' : 'application/json';
    return { required: (shape.required ?? []).includes(shape.payload), content: { [mediaType]: { schema: ref(shape.members![shape.payload]!.shape) } } };
  }
  const hasBody = Object.values(shape.members ?? {}).some((m) => !m.location);
  return hasBody ? { required: true, content: { 'application/json': { schema: ref(shapeName) } } } : undefined;
}

const paths: Record<string, Record<string, unknown>> = {};
for (const [name, op] of Object.entries(model.operations)) {
  const status = String(op.http.responseCode ?? 200);
  const responses: Record<string, unknown> = {
    [status]: op.output
      ? {
          description: name,
          content: { 'application/json': { schema: ref(op.output.shape) } },
          'x-aws-shape': op.output.shape,
        }
      : { description: name },
  };
  for (const e of op.errors ?? []) {
    const code = String(model.shapes[e.shape]!.error?.httpStatusCode ?? 400);
    responses[code] ??= { description: e.shape, content: { 'application/json': { schema: ref('ErrorBody') } } };
  }
  const operation: Record<string, unknown> = {
    operationId: name,
    parameters: op.input ? parametersOf(op.input.shape) : [],
    responses,
    'x-aws-input': op.input?.shape,
    'x-aws-errors': (op.errors ?? []).map((e) => e.shape),
  };
  const body = op.input ? bodyOf(op.input.shape) : undefined;
  if (body) operation.requestBody = body;
  (paths[op.http.requestUri] ??= {})[op.http.method.toLowerCase()] = operation;
}

const schemas: Record<string, unknown> = {
  ErrorBody: { type: 'object', properties: { message: { type: 'string' } } },
};
for (const [name, shape] of Object.entries(model.shapes)) schemas[name] = schemaFor(name, shape);

const document = {
  openapi: '3.0.3',
  info: {
    title: 'Portico management API (Amazon API Gateway REST-JSON protocol)',
    version: model.metadata.apiVersion,
    'x-generated-from': 'apigateway-2015-07-09.service-2.json',
  },
  servers: [{ url: 'http://localhost:4567' }],
  security: [{ sigv4: [] }],
  paths,
  components: {
    securitySchemes: { sigv4: { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'awsSigv4' } },
    schemas,
  },
};

writeFileSync(join(root, 'openapi', 'apigateway.json'), JSON.stringify(document, null, 1) + '\n');
console.log(`openapi/apigateway.json: ${Object.keys(model.operations).length} operations, ${Object.keys(model.shapes).length} shapes`);

// The same shapes as TypeScript types, so that handlers take and return what the model says.
function tsType(shapeName: string): string {
  const shape = model.shapes[shapeName]!;
  switch (shape.type) {
    case 'structure':
      return shapeName;
    case 'list':
      return `Array<${tsType(shape.member!.shape)}>`;
    case 'map':
      return `Record<string, ${tsType(shape.value!.shape)}>`;
    case 'string':
      return shape.enum ? shape.enum.map((e) => `'${e}'`).join(' | ') : 'string';
    case 'integer':
    case 'long':
    case 'double':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'timestamp':
      return 'Date';
    case 'blob':
      return 'Buffer';
    default:
      throw new Error(shape.type);
  }
}
const lines = ['// Generated by scripts/generate-openapi.ts from the AWS service model. Do not edit.', ''];
for (const [name, shape] of Object.entries(model.shapes)) {
  if (shape.type === 'structure') {
    lines.push(`export interface ${name} {`);
    for (const [memberName, member] of Object.entries(shape.members ?? {})) {
      const optional = (shape.required ?? []).includes(memberName) ? '' : '?';
      lines.push(`  ${memberName}${optional}: ${tsType(member.shape)};`);
    }
    lines.push('}', '');
  } else if (shape.enum) {
    lines.push(`export type ${name} = ${tsType(name)};`, '');
  }
}
writeFileSync(join(root, 'src', 'control-plane', 'protocol', 'shapes.ts'), lines.join('\n'));
