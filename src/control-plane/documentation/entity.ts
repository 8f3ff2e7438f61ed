// The DocumentationPart and DocumentationVersion rows.
import { EntitySchema } from 'typeorm';
import type { DocumentationPart } from '../protocol/shapes.js';

export type DocumentationPartRow = {
  id: string;
  accountId: string;
  restApiId: string;
  /** the location with its defaults filled in, as one comparable string */
  locationKey: string;
  /** insertion order, which GetDocumentationParts lists by */
  createdSeq?: string;
  data: DocumentationPart;
};

export const DocumentationPartEntity = new EntitySchema<DocumentationPartRow>({
  name: 'DocumentationPart',
  tableName: 'documentation_parts',
  columns: {
    id: { type: 'varchar', primary: true },
    accountId: { type: 'char', name: 'account_id' },
    restApiId: { type: 'varchar', name: 'rest_api_id' },
    locationKey: { type: 'text', name: 'location_key' },
    createdSeq: { type: 'bigint', name: 'created_seq', insert: false, update: false, nullable: true },
    data: { type: 'jsonb' },
  },
});

export type DocumentationVersionRow = {
  restApiId: string;
  version: string;
  accountId: string;
  createdDate: Date;
  description: string | null;
  parts: DocumentationPart[];
};

export const DocumentationVersionEntity = new EntitySchema<DocumentationVersionRow>({
  name: 'DocumentationVersion',
  tableName: 'documentation_versions',
  columns: {
    restApiId: { type: 'varchar', primary: true, name: 'rest_api_id' },
    version: { type: 'text', primary: true },
    accountId: { type: 'char', name: 'account_id' },
    createdDate: { type: 'timestamptz', name: 'created_date' },
    description: { type: 'text', nullable: true },
    parts: { type: 'jsonb' },
  },
});
