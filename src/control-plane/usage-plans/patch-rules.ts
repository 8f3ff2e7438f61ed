// The patch paths UpdateUsagePlan accepts, and its errors listing them in AWS's notation.
// API stages are added and removed through `/apiStages` with a value `{apiId}:{stage}`; method
// throttles live under `/apiStages/{apiId}:{stage}/throttle/{resourcePath}/{httpMethod}`, the
// resource path escaped (`~1pets`) or not.
import { badRequest } from '../protocol/errors.js';
import { patchInteger, type PatchErrors, type PatchOp, type PatchRule } from '../protocol/patch.js';
import type { ApiStage, PatchOperation, QuotaSettings, ThrottleSettings } from '../protocol/shapes.js';
import type { UsagePlanData } from './entity.js';
import { apiStageNotInPlan, methodThrottleKey, parseApiStage } from './limits.js';
import { apiStageId } from './lookup.js';

/** The plan as patched; its quota and throttles are checked whole once every op has applied. */
export type UsagePlanChange = { id: string; name: string; data: UsagePlanData };

const text = (value: string | undefined) => (value === undefined || value === '' ? undefined : value);

function patchNumber(op: PatchOperation): number {
  const n = Number(op.value);
  if (op.value === undefined || op.value.trim() === '' || !Number.isFinite(n)) throw badRequest(`Invalid number value: ${op.value ?? 'null'}`);
  return n;
}

const stageIn = (change: UsagePlanChange, id: string): ApiStage => {
  const stage = (change.data.apiStages ?? []).find((s) => apiStageId(s) === id);
  if (!stage) {
    const { apiId, stage: name } = parseApiStage(id);
    throw apiStageNotInPlan(change.id, apiId, name);
  }
  return stage;
};

function setThrottle(change: UsagePlanChange, field: keyof ThrottleSettings, value: number): void {
  change.data.throttle = { burstLimit: 0, rateLimit: 0, ...change.data.throttle, [field]: value };
}

function setQuota(change: UsagePlanChange, field: keyof QuotaSettings, value: QuotaSettings[keyof QuotaSettings]): void {
  change.data.quota = { offset: 0, ...change.data.quota, [field]: value };
}

function setMethodThrottle(change: UsagePlanChange, [stageId, resourcePath, httpMethod]: string[], field: keyof ThrottleSettings, value: number): void {
  const stage = stageIn(change, stageId!);
  const key = methodThrottleKey(resourcePath!, httpMethod!);
  stage.throttle = { ...stage.throttle, [key]: { burstLimit: 0, rateLimit: 0, ...stage.throttle?.[key], [field]: value } };
}

// The order of the rules is the order AWS lists paths in its errors (known for `remove`).
export const usagePlanPatchRules: PatchRule<UsagePlanChange>[] = [
  { path: '/name', ops: ['replace'], apply: (change, op) => {
    if (!text(op.value)) throw badRequest('Usage Plan name must be non-empty');
    change.name = op.value!;
  } },
  { path: '/description', ops: ['replace'], apply: (change, op) => {
    const description = text(op.value);
    if (description === undefined) delete change.data.description;
    else change.data.description = description;
  } },
  { path: '/apiStages', ops: ['add', 'remove'], apply: (change, op) => {
    const { apiId, stage } = parseApiStage(op.value);
    const stages = change.data.apiStages ?? [];
    const id = apiStageId({ apiId, stage });
    if (op.op === 'remove') {
      stageIn(change, id);
      change.data.apiStages = stages.filter((s) => apiStageId(s) !== id);
    } else if (!stages.some((s) => apiStageId(s) === id)) change.data.apiStages = [...stages, { apiId, stage }];
  } },
  { path: '/quota', ops: ['remove'], apply: (change) => {
    delete change.data.quota;
  } },
  { path: '/throttle', ops: ['remove'], apply: (change) => {
    delete change.data.throttle;
  } },
  { path: '/productCode', ops: ['add', 'replace', 'remove'], apply: (change, op) => {
    const productCode = op.op === 'remove' ? undefined : text(op.value);
    if (productCode === undefined) delete change.data.productCode;
    else change.data.productCode = productCode;
  } },
  { path: '/apiStages/*/throttle/**/*/rateLimit', ops: ['add', 'replace'], apply: (change, op, params) => {
    setMethodThrottle(change, params, 'rateLimit', patchNumber(op));
  } },
  { path: '/apiStages/*/throttle/**/*/burstLimit', ops: ['add', 'replace'], apply: (change, op, params) => {
    setMethodThrottle(change, params, 'burstLimit', patchInteger(op, `Invalid burstLimit value: ${op.value ?? 'null'}`));
  } },
  { path: '/apiStages/*/throttle/**/*', ops: ['remove'], apply: (change, _op, [stageId, resourcePath, httpMethod]) => {
    const stage = stageIn(change, stageId!);
    const throttle = { ...stage.throttle };
    delete throttle[methodThrottleKey(resourcePath!, httpMethod!)];
    if (Object.keys(throttle).length) stage.throttle = throttle;
    else delete stage.throttle;
  } },
  { path: '/apiStages/*/throttle', ops: ['remove'], apply: (change, _op, [stageId]) => {
    delete stageIn(change, stageId!).throttle;
  } },
  { path: '/throttle/burstLimit', ops: ['add', 'replace'], apply: (change, op) => {
    setThrottle(change, 'burstLimit', patchInteger(op, `Invalid burstLimit value: ${op.value ?? 'null'}`));
  } },
  { path: '/throttle/rateLimit', ops: ['add', 'replace'], apply: (change, op) => {
    setThrottle(change, 'rateLimit', patchNumber(op));
  } },
  { path: '/quota/limit', ops: ['add', 'replace'], apply: (change, op) => {
    setQuota(change, 'limit', patchInteger(op, `Invalid quota limit value: ${op.value ?? 'null'}`));
  } },
  { path: '/quota/offset', ops: ['add', 'replace'], apply: (change, op) => {
    setQuota(change, 'offset', patchInteger(op, `Invalid quota offset value: ${op.value ?? 'null'}`));
  } },
  { path: '/quota/period', ops: ['add', 'replace'], apply: (change, op) => {
    if (op.value !== 'DAY' && op.value !== 'WEEK' && op.value !== 'MONTH') throw badRequest('Quota period must be one of: [DAY, WEEK, MONTH]');
    setQuota(change, 'period', op.value);
  } },
];

/** How AWS writes the wildcard paths in its lists. */
const shownAs: Record<string, string> = {
  '/apiStages/*/throttle/**/*/rateLimit': '/apiStages/<apidId:stageName>/throttle/<resourcePath>/<httpMethod>/rateLimit',
  '/apiStages/*/throttle/**/*/burstLimit': '/apiStages/<apidId:stageName>/throttle/<resourcePath>/<httpMethod>/burstLimit',
  '/apiStages/*/throttle/**/*': '/apiStages/<apidId:stageName>/throttle/<resourcePath>/<httpMethod>',
  '/apiStages/*/throttle': '/apiStages/<apidId:stageName>/throttle',
};

function pathsFor(op: string | undefined): string[] {
  return usagePlanPatchRules.filter((r) => r.ops.includes(op as PatchOp)).map((r) => shownAs[r.path] ?? r.path);
}

/** A path the op does not take (known or not) answers with the list of paths the op takes. */
function invalidPatch(op: PatchOperation) {
  const paths = pathsFor(op.op);
  if (!paths.length) return badRequest(`Invalid patch path  '${op.path}' specified for op '${op.op}'. Please choose supported operations`);
  return badRequest(`Invalid patch path  '${op.path}' specified for op '${op.op}'. Must be one of: [${paths.join(', ')}]`);
}

export const usagePlanPatchErrors: PatchErrors = { invalidPath: invalidPatch, invalidOp: invalidPatch };
