// Writing documentation parts, shared by CreateDocumentationPart, ImportDocumentationParts and the
// documentation that ImportRestApi and PutRestApi bring along.
import type { EntityManager } from 'typeorm';
import { newId } from '../protocol/ids.js';
import type { DocumentationPart, DocumentationPartLocation } from '../protocol/shapes.js';
import { DocumentationPartEntity, type DocumentationPartRow } from './entity.js';
import { locationKey, normalizeLocation } from './location.js';

export async function partsOf(em: EntityManager, accountId: string, restApiId: string): Promise<DocumentationPartRow[]> {
  return em.getRepository(DocumentationPartEntity).find({ where: { restApiId, accountId }, order: { createdSeq: 'ASC' } });
}

export type NewPart = { location: DocumentationPartLocation; properties: string };

/**
 * Stores parts: in overwrite mode the API's other parts go; a part for a location that is already
 * documented replaces that part's properties and keeps its id. Returns the ids in the given order.
 */
export async function writeParts(em: EntityManager, accountId: string, restApiId: string, parts: NewPart[], mode: 'merge' | 'overwrite'): Promise<string[]> {
  const repo = em.getRepository(DocumentationPartEntity);
  if (mode === 'overwrite') await repo.delete({ restApiId, accountId });
  const ids: string[] = [];
  for (const part of parts) {
    const location = normalizeLocation(part.location);
    const key = locationKey(location);
    const existing = await repo.findOneBy({ restApiId, locationKey: key });
    if (existing) {
      existing.data = { ...existing.data, properties: part.properties };
      await repo.update({ id: existing.id }, { data: existing.data });
      ids.push(existing.id);
      continue;
    }
    const id = newId();
    const data: DocumentationPart = { id, location, properties: part.properties };
    await repo.insert({ id, accountId, restApiId, locationKey: key, data });
    ids.push(id);
  }
  return ids;
}
