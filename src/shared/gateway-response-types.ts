// API Gateway's gateway response types: default status, and the x-amzn-ErrorType the worker sends.
import type { GatewayResponseType } from '../control-plane/protocol/shapes.js';

export type GatewayResponseDefault = { statusCode: string | undefined; errorType: string };

export const gatewayResponseDefaults: Record<GatewayResponseType, GatewayResponseDefault> = {
  ACCESS_DENIED: { statusCode: '403', errorType: 'AccessDeniedException' },
  API_CONFIGURATION_ERROR: { statusCode: '500', errorType: 'ApiConfigurationException' },
  AUTHORIZER_CONFIGURATION_ERROR: { statusCode: '500', errorType: 'AuthorizerConfigurationException' },
  AUTHORIZER_FAILURE: { statusCode: '500', errorType: 'AuthorizerFailureException' },
  BAD_REQUEST_PARAMETERS: { statusCode: '400', errorType: 'BadRequestException' },
  BAD_REQUEST_BODY: { statusCode: '400', errorType: 'BadRequestException' },
  DEFAULT_4XX: { statusCode: undefined, errorType: 'Default4xxException' },
  DEFAULT_5XX: { statusCode: undefined, errorType: 'Default5xxException' },
  EXPIRED_TOKEN: { statusCode: '403', errorType: 'ExpiredTokenException' },
  INTEGRATION_FAILURE: { statusCode: '504', errorType: 'IntegrationFailureException' },
  INTEGRATION_TIMEOUT: { statusCode: '504', errorType: 'IntegrationTimeoutException' },
  INVALID_API_KEY: { statusCode: '403', errorType: 'InvalidApiKeyException' },
  INVALID_SIGNATURE: { statusCode: '403', errorType: 'InvalidSignatureException' },
  MISSING_AUTHENTICATION_TOKEN: { statusCode: '403', errorType: 'MissingAuthenticationTokenException' },
  QUOTA_EXCEEDED: { statusCode: '429', errorType: 'LimitExceededException' },
  REQUEST_TOO_LARGE: { statusCode: '413', errorType: 'RequestTooLargeException' },
  RESOURCE_NOT_FOUND: { statusCode: '404', errorType: 'ResourceNotFoundException' },
  THROTTLED: { statusCode: '429', errorType: 'TooManyRequestsException' },
  UNAUTHORIZED: { statusCode: '401', errorType: 'UnauthorizedException' },
  UNSUPPORTED_MEDIA_TYPE: { statusCode: '415', errorType: 'UnsupportedMediaTypeException' },
  WAF_FILTERED: { statusCode: '403', errorType: 'WAFFilteredException' },
};

export const defaultResponseTemplate = '{"message":$context.error.messageString}';
