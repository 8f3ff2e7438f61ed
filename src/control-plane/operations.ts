// The handler of every operation Portico implements, by operation name. An operation missing
// here answers NotImplementedException; the README's operations table lists the same set.
import { accountHandlers } from './account/handlers.js';
import { apiKeyHandlers } from './api-keys/handlers.js';
import { authorizerHandlers } from './authorizers/handlers.js';
import { clientCertificateHandlers } from './client-certificates/handlers.js';
import { deploymentHandlers } from './deployments/handlers.js';
import { documentationHandlers } from './documentation/handlers.js';
import { domainNameHandlers } from './domain-names/handlers.js';
import { gatewayResponseHandlers } from './gateway-responses/handlers.js';
import { importExportHandlers } from './import-export/handlers.js';
import { integrationHandlers } from './integrations/handlers.js';
import { methodHandlers } from './methods/handlers.js';
import { modelHandlers } from './models/handlers.js';
import type { Handlers } from './protocol/operation.js';
import { requestValidatorHandlers } from './request-validators/handlers.js';
import { restApiHandlers } from './rest-apis/handlers.js';
import { sdkHandlers } from './sdks/handlers.js';
import { resourceHandlers } from './resources/handlers.js';
import { stageHandlers } from './stages/handlers.js';
import { tagHandlers } from './tags/handlers.js';
import { usagePlanHandlers } from './usage-plans/handlers.js';
import { vpcLinkHandlers } from './vpc-links/handlers.js';

export const handlers: Handlers = {
  ...authorizerHandlers,
  ...deploymentHandlers,
  ...gatewayResponseHandlers,
  ...integrationHandlers,
  ...methodHandlers,
  ...modelHandlers,
  ...requestValidatorHandlers,
  ...restApiHandlers,
  ...resourceHandlers,
  ...stageHandlers,
  ...tagHandlers,
  ...accountHandlers,
  ...apiKeyHandlers,
  ...usagePlanHandlers,
  ...clientCertificateHandlers,
  ...domainNameHandlers,
  ...vpcLinkHandlers,
  ...documentationHandlers,
  ...importExportHandlers,
  ...sdkHandlers,
};
