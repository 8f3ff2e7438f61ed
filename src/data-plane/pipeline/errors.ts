// Errors the pipeline raises, by API Gateway's gateway response type; the gateway-response step
// turns them into the (possibly customized) response of that type.
import type { GatewayResponseType } from '../../control-plane/protocol/shapes.js';

export class GatewayError extends Error {
  constructor(
    readonly type: GatewayResponseType,
    /** $context.error.message; the default templates render it as {"message": ...} */
    message: string,
    /** AWS answers some errors of a type with another status (e.g. 500 for configuration errors) */
    readonly statusCode?: number,
  ) {
    super(message);
  }
}
