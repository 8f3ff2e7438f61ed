// The documentation parts an OpenAPI document carries in x-amazon-apigateway-documentation.
import { isObject, type Json } from '../import-export/document.js';
import type { DocumentationPartLocation } from '../protocol/shapes.js';
import { locationTypes } from './location.js';
import type { NewPart } from './store.js';

export function documentationPartsOf(doc: Json): { parts: NewPart[]; warnings: string[] } {
  const extension = doc['x-amazon-apigateway-documentation'];
  const parts: NewPart[] = [];
  const warnings: string[] = [];
  if (!isObject(extension) || !Array.isArray(extension.documentationParts)) return { parts, warnings };
  extension.documentationParts.forEach((raw: unknown, i: number) => {
    const location = isObject(raw) && isObject(raw.location) ? raw.location : undefined;
    if (!location || !locationTypes.includes(location.type as DocumentationPartLocation['type'])) {
      warnings.push(`Invalid documentation part at index ${i}: missing or unknown location type`);
      return;
    }
    const properties = isObject(raw) && isObject(raw.properties) ? raw.properties : {};
    const text = (key: string) => (location[key] === undefined || location[key] === null ? undefined : String(location[key]));
    parts.push({
      location: { type: location.type as DocumentationPartLocation['type'], path: text('path'), method: text('method'), statusCode: text('statusCode'), name: text('name') },
      properties: JSON.stringify(properties),
    });
  });
  return { parts, warnings };
}
