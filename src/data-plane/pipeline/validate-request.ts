// Request validation: a method with a request validator refuses a request that lacks a required
// parameter (400 BAD_REQUEST_PARAMETERS) or whose body does not match the model for its
// Content-Type (400 BAD_REQUEST_BODY), with the detail in $context.error.validationErrorString.
import { bodyErrors, missingParameters, modelFor } from '../validation/index.js';
import { validationErrorString } from '../validation/messages.js';
import { firstValue, type InvocationContext } from './context.js';
import { GatewayError } from './errors.js';

export function validateRequest(ctx: InvocationContext): void {
  const validation = ctx.method && ctx.stage?.deployment.requestValidation.get(ctx.method);
  if (!validation) return;
  if (validation.requiredParameters) {
    const missing = missingParameters(validation.requiredParameters, ctx);
    if (missing.length) {
      const message = `Missing required request parameters: [${missing.join(', ')}]`;
      ctx.validationErrorString = message;
      throw new GatewayError('BAD_REQUEST_PARAMETERS', message);
    }
  }
  const model = validation.models && modelFor(validation.models, firstValue(ctx.headers, 'content-type'));
  if (!model) return;
  // A model that does not compile fails its methods only, as a configuration error.
  if (!('validate' in model)) throw new GatewayError('API_CONFIGURATION_ERROR', 'Internal server error', 500);
  const errors = bodyErrors(model.validate, ctx.body);
  if (errors) {
    ctx.validationErrorString = validationErrorString(errors);
    throw new GatewayError('BAD_REQUEST_BODY', 'Invalid request body');
  }
}
