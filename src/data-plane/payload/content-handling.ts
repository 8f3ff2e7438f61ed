// contentHandling: how a payload crosses between text and binary on its way to the integration
// (Integration.contentHandling) and back (IntegrationResponse.contentHandling), as the Developer
// Guide's content type conversion tables describe. The integration request and integration
// response steps call these before applying mapping templates.
import { firstValue, type IntegrationResult, type InvocationContext } from '../pipeline/context.js';
import { GatewayError } from '../pipeline/errors.js';

// Checked in linear passes: one regular expression over a whole 10 MB payload would overflow the stack.
const NOT_BASE64 = /[^A-Za-z0-9+/]/;

function isBase64(compact: string): boolean {
  const digits = compact.replace(/={1,2}$/, '');
  if (NOT_BASE64.test(digits) || digits.length % 4 === 1) return false;
  return digits.length === compact.length || compact.length % 4 === 0;
}

/** Text assumed to be base64, decoded; API Gateway fails a payload that is not with a configuration error. */
export function base64Decode(text: Buffer): Buffer {
  const compact = text.toString('latin1').replace(/[\r\n\t ]/g, '');
  if (!isBase64(compact)) throw new GatewayError('API_CONFIGURATION_ERROR', 'Internal server error', 500);
  return Buffer.from(compact, 'base64');
}

const base64Encode = (body: Buffer): Buffer => Buffer.from(body.toString('base64'), 'latin1');

/** The integration request payload for a method request body that is (or is not) of a binary media type. */
export function convertRequestBody(body: Buffer, binary: boolean, contentHandling: string | undefined): Buffer {
  if (binary && contentHandling === 'CONVERT_TO_TEXT') return base64Encode(body);
  if (!binary && contentHandling === 'CONVERT_TO_BINARY') return base64Decode(body);
  return body;
}

/**
 * The method response payload for an integration response body: `binary` when its Content-Type is
 * one of binaryMediaTypes, `acceptsBinary` when the client's first Accept type is. Without
 * contentHandling the payload follows what the client accepts.
 */
export function convertResponseBody(body: Buffer, binary: boolean, acceptsBinary: boolean, contentHandling: string | undefined): Buffer {
  switch (contentHandling) {
    case 'CONVERT_TO_TEXT':
      return binary ? base64Encode(body) : body;
    case 'CONVERT_TO_BINARY':
      return binary ? body : base64Decode(body);
    default:
      if (binary && !acceptsBinary) return base64Encode(body);
      if (!binary && acceptsBinary) return base64Decode(body);
      return body;
  }
}

/** The method request body as the integration request (template or passthrough) receives it. */
export function integrationRequestPayload(ctx: InvocationContext): Buffer {
  const binaryMediaTypes = ctx.stage!.deployment.binaryMediaTypes;
  return convertRequestBody(ctx.body, binaryMediaTypes.isBinary(firstValue(ctx.headers, 'content-type')), ctx.integration?.contentHandling);
}

/** The integration's answer as the method response (template or passthrough) receives it. */
export function methodResponsePayload(ctx: InvocationContext, result: IntegrationResult, contentHandling: string | undefined): Buffer {
  const binaryMediaTypes = ctx.stage!.deployment.binaryMediaTypes;
  const binary = binaryMediaTypes.isBinary(firstValue(result.headers, 'content-type'));
  return convertResponseBody(result.body, binary, binaryMediaTypes.acceptsBinary(firstValue(ctx.headers, 'accept')), contentHandling);
}
