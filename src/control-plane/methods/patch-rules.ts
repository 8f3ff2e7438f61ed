// The patch paths UpdateMethod and UpdateMethodResponse accept, with AWS's errors for the rest.
import { badRequest, notFound } from '../protocol/errors.js';
import type { PatchErrors, PatchRule } from '../protocol/patch.js';
import type { Method, MethodResponse } from '../protocol/shapes.js';

const replaceString = (field: 'authorizationType' | 'authorizerId' | 'requestValidatorId' | 'operationName'): PatchRule<Method> => ({
  path: `/${field}`,
  ops: ['replace'],
  apply: (method, op) => {
    if (op.value === undefined || op.value === '') delete method[field];
    else method[field] = op.value;
  },
});

export const methodPatchRules: PatchRule<Method>[] = [
  replaceString('authorizationType'),
  replaceString('authorizerId'),
  replaceString('requestValidatorId'),
  replaceString('operationName'),
  // AWS reads anything but "true" as false here.
  { path: '/apiKeyRequired', ops: ['replace'], apply: (method, op) => void (method.apiKeyRequired = op.value === 'true') },
  { path: '/authorizationScopes', ops: ['add', 'remove'], apply: (method, op) => {
    const scopes = (method.authorizationScopes ?? []).filter((s) => s !== op.value);
    if (op.op === 'add' && op.value) scopes.push(op.value);
    if (scopes.length) method.authorizationScopes = scopes;
    else delete method.authorizationScopes;
  } },
  { path: '/requestParameters/*', ops: ['add', 'replace', 'remove'], apply: (method, op, [name]) => {
    const parameters = { ...method.requestParameters };
    if (op.op === 'remove') delete parameters[name!];
    else parameters[name!] = op.value === 'true';
    if (Object.keys(parameters).length) method.requestParameters = parameters;
    else delete method.requestParameters;
  } },
  { path: '/requestModels/*', ops: ['add', 'replace', 'remove'], apply: (method, op, [contentType]) => {
    const models = { ...method.requestModels };
    if (op.op === 'remove') delete models[contentType!];
    else if (op.value) models[contentType!] = op.value;
    if (Object.keys(models).length) method.requestModels = models;
    else delete method.requestModels;
  } },
];

export const methodPatchErrors: PatchErrors = {
  invalidPath: (op) => badRequest(`Invalid patch path ${op.path ?? 'null'}`),
  invalidOp: (_op, allowed) => badRequest(`Invalid patch operation specified. Must be one of: [${allowed.join(', ')}]`),
};

const responseHeader = /^method\.response\.header\.[^\s.][^\s]*$/;

export const methodResponsePatchRules: PatchRule<MethodResponse>[] = [
  { path: '/responseParameters/*', ops: ['add', 'replace', 'remove'], apply: (response, op, [name]) => {
    const parameters = { ...response.responseParameters };
    if (!responseHeader.test(name!) || (op.op !== 'add' && !(name! in parameters))) throw notFound('Invalid parameter name specified');
    if (op.op === 'remove') delete parameters[name!];
    else parameters[name!] = op.value === 'true';
    response.responseParameters = parameters;
  } },
  { path: '/responseModels/*', ops: ['add', 'replace', 'remove'], apply: (response, op, [contentType]) => {
    const models = { ...response.responseModels };
    if (op.op !== 'add' && !(contentType! in models)) throw notFound('Content-Type specified was not found');
    if (op.op === 'remove') delete models[contentType!];
    else models[contentType!] = op.value ?? '';
    response.responseModels = models;
  } },
];

export const methodResponsePatchErrors: PatchErrors = {
  invalidPath: (op) => badRequest(`Invalid patch path ${op.path ?? 'null'}`),
  invalidOp: (_op, allowed) => badRequest(`Invalid patch operation specified. Must be one of: [${allowed.join(', ')}]`),
};
