// The patch paths UpdateMethod and UpdateMethodResponse accept, with AWS's errors for the rest.
import { ApiError, badRequest, notFound } from '../protocol/errors.js';
import type { PatchErrors, PatchOp, PatchRule } from '../protocol/patch.js';
import type { Method, MethodResponse, PatchOperation } from '../protocol/shapes.js';

const replaceString = (field: 'authorizationType' | 'authorizerId' | 'requestValidatorId' | 'operationName'): PatchRule<Method> => ({
  path: `/${field}`,
  ops: ['replace'],
  apply: (method, op) => {
    if (op.value === undefined || op.value === '') delete method[field];
    else method[field] = op.value;
  },
});

// AWS reads any value but "true" as false in these maps and flags.
const patchFlag = (op: PatchOperation) => op.value === 'true';
const patchModelName = (op: PatchOperation) => op.value ?? '';

/**
 * One entry of a map member (`/requestParameters/{name}`, `/responseModels/{contentType}`, ...):
 * add sets it, replace and remove need it to exist. A map left empty disappears from the resource.
 */
function mapEntryRule<T extends object>(field: keyof T & string, value: (op: PatchOperation) => unknown, missing: () => ApiError): PatchRule<T> {
  return {
    path: `/${field}/*`,
    ops: ['add', 'replace', 'remove'],
    apply: (target, op, [key]) => {
      const holder = target as Record<string, Record<string, unknown> | undefined>;
      const entries = { ...holder[field] };
      if (op.op !== 'add' && !(key! in entries)) throw missing();
      if (op.op === 'remove') delete entries[key!];
      else entries[key!] = value(op);
      if (Object.keys(entries).length) holder[field] = entries;
      else delete holder[field];
    },
  };
}

const parameterNotFound = () => notFound('Invalid parameter name specified');
const contentTypeNotFound = () => notFound('Content-Type specified was not found');

export const methodPatchRules: PatchRule<Method>[] = [
  replaceString('authorizationType'),
  replaceString('authorizerId'),
  replaceString('requestValidatorId'),
  replaceString('operationName'),
  { path: '/apiKeyRequired', ops: ['replace'], apply: (method, op) => void (method.apiKeyRequired = patchFlag(op)) },
  { path: '/authorizationScopes', ops: ['add', 'remove'], apply: (method, op) => {
    const scopes = (method.authorizationScopes ?? []).filter((s) => s !== op.value);
    if (op.op === 'add' && op.value) scopes.push(op.value);
    if (scopes.length) method.authorizationScopes = scopes;
    else delete method.authorizationScopes;
  } },
  mapEntryRule<Method>('requestParameters', patchFlag, parameterNotFound),
  mapEntryRule<Method>('requestModels', patchModelName, contentTypeNotFound),
];

export const methodResponsePatchRules: PatchRule<MethodResponse>[] = [
  mapEntryRule<MethodResponse>('responseParameters', patchFlag, parameterNotFound),
  mapEntryRule<MethodResponse>('responseModels', patchModelName, contentTypeNotFound),
];

/** Method and MethodResponse answer an unknown path with the path alone, a wrong op with the ops of that path. */
export const methodPatchErrors: PatchErrors = {
  invalidPath: (op) => badRequest(`Invalid patch path ${op.path ?? 'null'}`),
  invalidOp: (_op, allowed: PatchOp[]) => badRequest(`Invalid patch operation specified. Must be one of: [${allowed.join(', ')}]`),
};
