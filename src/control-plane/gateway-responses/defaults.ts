// The gateway response an API answers for each response type: its customization, else AWS's default
// as changed by a customized DEFAULT_4XX / DEFAULT_5XX. Shared by the management API and the worker.
import type { GatewayResponse, GatewayResponseType } from '../protocol/shapes.js';
import { defaultResponseTemplate, gatewayResponseDefaults } from '../../shared/gateway-response-types.js';

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
