// Errors the pipeline raises, by API Gateway's gateway response type; the gateway-response step
// turns them into the (possibly customized) response of that type.
import type { GatewayResponseType } from '../../control-plane/protocol/shapes.js';

export type GatewayErrorOptions = {
  /** the body AWS answers when the API has not customized the type (nor its family), if not the default template's */
  defaultBody?: string;
  /** the x-amzn-ErrorType AWS sends, when not the type's own (e.g. UnrecognizedClientException) */
  errorType?: string;
};

export class GatewayError extends Error {
  /** $context.error.message: AWS leaves it null for some errors (authorizer failures answer {"message": null}) */
  readonly errorMessage: string | null;

  constructor(
    readonly type: GatewayResponseType,
    /** $context.error.message; the default templates render it as {"message": ...} */
    message: string | null,
    /** AWS answers some errors of a type with another status (e.g. 500 for configuration errors) */
    readonly statusCode?: number,
    readonly options: GatewayErrorOptions = {},
  ) {
    super(message ?? 'null');
    this.errorMessage = message;
  }
}
