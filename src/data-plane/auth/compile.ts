// Compiles a deployment's authorizers once: identity sources, validation expressions, TTLs.
import type { DeploymentSnapshot } from '../../shared/worker-config.js';
import { compileCognitoAuthorizer, type CompiledCognitoAuthorizer } from './cognito-authorizer.js';
import { compileLambdaAuthorizer, type CompiledLambdaAuthorizer } from './lambda-authorizer.js';

export type CompiledAuthorizer = { type: 'TOKEN' | 'REQUEST'; lambda: CompiledLambdaAuthorizer } | { type: 'COGNITO_USER_POOLS'; cognito: CompiledCognitoAuthorizer };

/** By authorizer id. */
export type CompiledAuthorizers = Map<string, CompiledAuthorizer>;

export function compileAuthorizers(snapshot: DeploymentSnapshot): CompiledAuthorizers {
  const compiled: CompiledAuthorizers = new Map();
  for (const authorizer of snapshot.authorizers ?? []) {
    if (!authorizer.id) continue;
    if (authorizer.type === 'COGNITO_USER_POOLS') compiled.set(authorizer.id, { type: authorizer.type, cognito: compileCognitoAuthorizer(authorizer) });
    else compiled.set(authorizer.id, { type: authorizer.type === 'TOKEN' ? 'TOKEN' : 'REQUEST', lambda: compileLambdaAuthorizer(authorizer) });
  }
  return compiled;
}
