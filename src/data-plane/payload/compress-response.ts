// Response compression: with the API's minimumCompressionSize set, a response body at least that
// large is compressed in the coding the client prefers, unless it is already encoded.
import { firstValue, type InvocationContext, type MethodResult } from '../pipeline/context.js';
import { encodeBody, negotiateCoding } from './content-encoding.js';

/** The response as it is (not a promise) when it stays uncompressed. */
export function compressResponse(ctx: InvocationContext, response: MethodResult): MethodResult | Promise<MethodResult> {
  const minimum = ctx.stage?.deployment.snapshot.api.minimumCompressionSize;
  if (minimum === undefined || minimum === null || response.body.length < minimum) return response;
  if (response.headers['content-encoding']?.length) return response;
  const coding = negotiateCoding(firstValue(ctx.headers, 'accept-encoding'));
  if (!coding) return response;
  return encodeBody(response.body, coding).then((body) => ({ ...response, headers: { ...response.headers, 'content-encoding': [coding] }, body }));
}
