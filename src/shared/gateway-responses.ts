// API Gateway's gateway responses, shared by the management API and the worker: each type's
// default status and x-amzn-ErrorType, and the response an API answers for a type — its
// customization, else AWS's default as changed by a customized DEFAULT_4XX / DEFAULT_5XX.
import type { GatewayResponse, GatewayResponseType } from '../control-plane/protocol/shapes.js';

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

export type GatewayResponseCustomizations = Partial<Record<GatewayResponseType, GatewayResponse>>;

/** Every response type, in the order GetGatewayResponses lists them. */
export const gatewayResponseTypes = (Object.keys(gatewayResponseDefaults) as GatewayResponseType[]).sort();

export const defaultResponseTemplates = (): Record<string, string> => ({ 'application/json': defaultResponseTemplate });

/** The response of a type as API Gateway ships it, before any customization. */
export function builtInGatewayResponse(type: GatewayResponseType): GatewayResponse {
  const statusCode = gatewayResponseDefaults[type].statusCode;
  return {
    responseType: type,
    ...(statusCode ? { statusCode } : {}),
    responseParameters: {},
    responseTemplates: defaultResponseTemplates(),
    defaultResponse: true,
  };
}

/** DEFAULT_4XX or DEFAULT_5XX, whichever covers a type by its built-in status code. */
function familyOf(type: GatewayResponseType): GatewayResponseType | undefined {
  const statusCode = gatewayResponseDefaults[type].statusCode;
  if (!statusCode) return undefined;
  return statusCode.startsWith('5') ? 'DEFAULT_5XX' : 'DEFAULT_4XX';
}

/**
 * What the API answers for `type`. A type the API has not customized takes the status code,
 * parameters and templates of its customized family default, yet still counts as a default response.
 */
export function effectiveGatewayResponse(type: GatewayResponseType, customizations: GatewayResponseCustomizations): GatewayResponse {
  const own = customizations[type];
  if (own) return { ...own, responseType: type, defaultResponse: false };
  const builtIn = builtInGatewayResponse(type);
  const family = familyOf(type);
  const inherited = family && customizations[family];
  if (!inherited) return builtIn;
  return {
    ...builtIn,
    ...(inherited.statusCode ? { statusCode: inherited.statusCode } : {}),
    responseParameters: { ...inherited.responseParameters },
    responseTemplates: { ...inherited.responseTemplates },
  };
}
