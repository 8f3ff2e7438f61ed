// The API's binaryMediaTypes, compiled once per deployment: whether a Content-Type (request body,
// integration response) or the first media type of Accept (method response) is binary.
import { mediaTypeOf } from '../mapping/media-types.js';

export type BinaryMediaTypes = {
  /** whether a body of this Content-Type is binary */
  isBinary: (contentType: string | undefined) => boolean;
  /** whether the client asks for binary: API Gateway honours only the first media type of Accept */
  acceptsBinary: (accept: string | undefined) => boolean;
};

export function compileBinaryMediaTypes(binaryMediaTypes: string[] | undefined): BinaryMediaTypes {
  const exact = new Set<string>();
  const prefixes: string[] = [];
  let any = false;
  for (const entry of binaryMediaTypes ?? []) {
    const type = mediaTypeOf(entry);
    if (type === '*/*') any = true;
    else if (type.endsWith('/*')) prefixes.push(type.slice(0, -1));
    else if (type) exact.add(type);
  }
  const none = !any && exact.size === 0 && prefixes.length === 0;
  const isBinary = (contentType: string | undefined): boolean => {
    if (none || contentType === undefined) return false;
    const type = mediaTypeOf(contentType);
    return any || exact.has(type) || prefixes.some((prefix) => type.startsWith(prefix));
  };
  return {
    isBinary,
    acceptsBinary: (accept) => isBinary(accept?.split(',')[0]),
  };
}
