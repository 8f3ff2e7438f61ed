// The gateway errors authorization answers with, in AWS's words: 401 when the caller's identity is
// missing or rejected, 403 when a policy does not allow the method, 500 with a null message when the
// authorizer itself fails or answers what API Gateway cannot read.
import { GatewayError } from '../pipeline/errors.js';

export const unauthorized = () => new GatewayError('UNAUTHORIZED', 'Unauthorized');

export const authorizerConfigurationError = () => new GatewayError('AUTHORIZER_CONFIGURATION_ERROR', null, 500);

/** API Gateway's default body for an authorizer's denial spells its key `Message`. */
const denial = (message: string) => new GatewayError('ACCESS_DENIED', message, 403, { defaultBody: JSON.stringify({ Message: message }) });

export const explicitDeny = () => denial('User is not authorized to access this resource with an explicit deny');

export const implicitDeny = () => denial('User is not authorized to access this resource');
