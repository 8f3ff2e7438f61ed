// Loads the OpenAPI description of the management API (openapi/apigateway.json) into
// operation specs that routing, parsing, validation and serialization all read from.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export type Schema = {
  $ref?: string;
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  format?: string;
  enum?: string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  additionalProperties?: Schema;
  'x-aws-member-names'?: Record<string, string>;
  'x-aws-payload'?: string;
  'x-aws-timestamp'?: boolean;
  'x-aws-headers'?: Record<string, string>;
};

export type ParameterSpec = {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  member: string;
  schema: Schema;
};

export type OperationSpec = {
  name: string;
  method: string;
  uri: string;
  /** literal segments, or `{name}` placeholders */
  segments: string[];
  /** query literals that select this operation, e.g. mode=import */
  queryLiterals: Record<string, string>;
  parameters: ParameterSpec[];
  /** JSON body schema (input structure), or payload member for raw bodies */
  body?: { schema: Schema; payloadMember?: string; raw: boolean };
  status: number;
  output?: Schema;
};

type Document = {
  paths: Record<string, Record<string, RawOperation>>;
  components: { schemas: Record<string, Schema> };
};
type RawOperation = {
  operationId: string;
  parameters: (Omit<ParameterSpec, 'member'> & { 'x-aws-member': string })[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
  'x-aws-input'?: string;
};

export const openApiPath = resolve(dirname(fileURLToPath(import.meta.url)), '../../../openapi/apigateway.json');
export const openApiDocument: Document = JSON.parse(readFileSync(openApiPath, 'utf8'));

const schemas = openApiDocument.components.schemas;

export function resolveSchema(schema: Schema): Schema {
  let current = schema;
  while (current.$ref) current = schemas[current.$ref.slice('#/components/schemas/'.length)]!;
  return current;
}

export function schemaNamed(name: string): Schema {
  const schema = schemas[name];
  if (!schema) throw new Error(`no schema ${name}`);
  return schema;
}

function toSpec(uri: string, method: string, raw: RawOperation): OperationSpec {
  const [path, query] = uri.split('?');
  const queryLiterals: Record<string, string> = {};
  for (const pair of (query ?? '').split('&').filter(Boolean)) {
    const [k, v] = pair.split('=');
    queryLiterals[k!] = v ?? '';
  }
  const successStatus = Object.keys(raw.responses).map(Number).find((s) => s < 300) ?? 200;
  const success = raw.responses[String(successStatus)];
  let body: OperationSpec['body'];
  if (raw.requestBody) {
    const [mediaType, content] = Object.entries(raw.requestBody.content)[0]!;
    const inputSchema = raw['x-aws-input'] ? schemaNamed(raw['x-aws-input']) : undefined;
    const payloadMember = inputSchema?.['x-aws-payload'];
    body = payloadMember
      ? { schema: content.schema, payloadMember, raw: mediaType === 'application/octet-stream' }
      : { schema: content.schema, raw: false };
  }
  return {
    name: raw.operationId,
    method: method.toUpperCase(),
    uri,
    segments: path!.split('/').filter(Boolean),
    queryLiterals,
    parameters: raw.parameters.map((p) => ({ name: p.name, in: p.in, required: p.required, member: p['x-aws-member'], schema: p.schema })),
    body,
    status: successStatus,
    output: success?.content?.['application/json']?.schema,
  };
}

export const operations: OperationSpec[] = Object.entries(openApiDocument.paths).flatMap(([uri, methods]) =>
  Object.entries(methods).map(([method, raw]) => toSpec(uri, method, raw)),
);
