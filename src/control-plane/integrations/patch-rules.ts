// The patch paths UpdateIntegration and UpdateIntegrationResponse accept, and the errors AWS gives
// for the others. Values are checked as a whole after patching, as PutIntegration checks them.
import { badRequest, notFound } from '../protocol/errors.js';
import { patchBoolean, patchInteger, type PatchErrors, type PatchOp, type PatchRule } from '../protocol/patch.js';
import type { Integration, IntegrationResponse, PatchOperation } from '../protocol/shapes.js';
import { TIMEOUT_MESSAGE } from './validate.js';

type StringMap = Record<string, string>;

/** Errors in the wording API Gateway uses for a method's sub-resources. */
export const subResourcePatchErrors: PatchErrors = {
  invalidPath: (op) => badRequest(`Invalid patch path ${op.path ?? null}`),
  invalidOp: (_op, allowed: PatchOp[]) => badRequest(`Invalid patch operation specified. Must be one of: [${allowed.join(', ')}]`),
};

const invalidParameterName = () => notFound('Invalid parameter name specified');
const contentTypeNotFound = () => notFound('Content-Type specified was not found');

/** Sets a member, or drops it when the patch carries no value. */
function setOrDrop<T extends object>(target: T, member: keyof T, value: unknown) {
  if (value === undefined || value === '') delete target[member];
  else target[member] = value as T[keyof T];
}

/** add/replace/remove of one entry of a string map such as requestParameters or responseTemplates. */
function mapEntryRule<T extends object>(member: keyof T & string, missing: () => Error): PatchRule<T> {
  return {
    path: `/${member}/*`,
    ops: ['add', 'replace', 'remove'],
    apply: (target, op, [key]) => {
      const map = { ...((target[member] as StringMap | undefined) ?? {}) };
      if (op.op !== 'add' && !(key! in map)) throw missing();
      if (op.op === 'remove') delete map[key!];
      else if (!op.value) throw badRequest(`Invalid null or empty value in ${member}`);
      else map[key!] = op.value;
      setOrDrop(target, member, Object.keys(map).length ? map : undefined);
    },
  };
}

function replaceRule<T extends object>(member: keyof T & string, read: (op: PatchOperation) => unknown = (op) => op.value): PatchRule<T> {
  return { path: `/${member}`, ops: ['replace'], apply: (target, op) => setOrDrop(target, member, read(op)) };
}

export const integrationPatchRules: PatchRule<Integration>[] = [
  replaceRule('uri'),
  { path: '/httpMethod', ops: ['replace'], apply: (integration, op) => { integration.httpMethod = op.value ?? ''; } },
  replaceRule('credentials'),
  replaceRule('passthroughBehavior'),
  replaceRule('contentHandling'),
  replaceRule('timeoutInMillis', (op) => patchInteger(op, TIMEOUT_MESSAGE)),
  replaceRule('connectionType'),
  replaceRule('connectionId'),
  replaceRule('cacheNamespace'),
  {
    path: '/cacheKeyParameters/*',
    ops: ['add', 'remove'],
    apply: (integration, op, [parameter]) => {
      const rest = (integration.cacheKeyParameters ?? []).filter((p) => p !== parameter);
      integration.cacheKeyParameters = op.op === 'add' ? [...rest, parameter!] : rest;
    },
  },
  mapEntryRule('requestParameters', invalidParameterName),
  mapEntryRule('requestTemplates', contentTypeNotFound),
  {
    path: '/tlsConfig/insecureSkipVerification',
    ops: ['replace'],
    apply: (integration, op) => { integration.tlsConfig = { ...integration.tlsConfig, insecureSkipVerification: patchBoolean(op) }; },
  },
];

export const integrationResponsePatchRules: PatchRule<IntegrationResponse>[] = [
  // An empty selection pattern is a pattern of its own (the default response), so only a missing value drops it.
  { path: '/selectionPattern', ops: ['replace'], apply: (response, op) => {
    if (op.value === undefined) delete response.selectionPattern;
    else response.selectionPattern = op.value;
  } },
  replaceRule('contentHandling'),
  mapEntryRule('responseParameters', invalidParameterName),
  mapEntryRule('responseTemplates', contentTypeNotFound),
];
