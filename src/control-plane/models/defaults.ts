// The Empty and Error models API Gateway adds to every new REST API, byte for byte as it returns them.
import type { EntityManager } from 'typeorm';
import { newId } from '../protocol/ids.js';
import type { Model } from '../protocol/shapes.js';
import { ModelEntity } from './entity.js';

const defaultModels: Omit<Model, 'id'>[] = [
  {
    name: 'Empty',
    description: 'This is a default empty schema model',
    contentType: 'application/json',
    schema: '{\n  "$schema": "http://json-schema.org/draft-04/schema#",\n  "title" : "Empty Schema",\n  "type" : "object"\n}',
  },
  {
    name: 'Error',
    description: 'This is a default error schema model',
    contentType: 'application/json',
    schema:
      '{\n  "$schema" : "http://json-schema.org/draft-04/schema#",\n  "title" : "Error Schema",\n  "type" : "object",\n  "properties" : {\n    "message" : { "type" : "string" }\n  }\n}',
  },
];

export async function createDefaultModels(em: EntityManager, accountId: string, restApiId: string): Promise<void> {
  for (const model of defaultModels) {
    const id = newId(6);
    await em.getRepository(ModelEntity).insert({ id, accountId, restApiId, name: model.name!, data: { id, ...model } });
  }
}
