// A stage's canary release in UpdateStage: the `/canarySettings/...` patch paths (replace only, as
// AWS takes them; replacing a setting of a stage without a canary creates one), `remove
// /canarySettings`, and promotion: `copy` from `/canarySettings/deploymentId` to `/deploymentId` and
// from `/canarySettings/stageVariableOverrides` to `/variables` (merged over the stage's variables;
// the canary itself stays, as AWS leaves it).
import { badRequest } from '../protocol/errors.js';
import { patchBoolean, shownValue, type PatchRule } from '../protocol/patch.js';
import type { CanarySettings, PatchOperation } from '../protocol/shapes.js';
import type { StageData } from './entity.js';

/** The stage as UpdateStage patches it: its data, the deployment it points at and the canary's deployment to check. */
export type StageChange = {
  data: StageData;
  /** the stage's deployment before this update, what a canary created by a patch starts from */
  currentDeploymentId: string;
  deploymentId?: string;
  canaryDeploymentId?: string;
};

/** A traffic share AWS accepts: a number from 0.0 to 100.0. */
export function checkPercentTraffic(percentTraffic: number | undefined): void {
  if (percentTraffic === undefined) return;
  if (!Number.isFinite(percentTraffic) || percentTraffic < 0 || percentTraffic > 100) {
    throw badRequest(`Invalid percentTraffic: ${percentTraffic}. Must be between 0.0 and 100.0`);
  }
}

function percentTrafficOf(op: PatchOperation): number {
  const value = op.value === undefined || op.value.trim() === '' ? NaN : Number(op.value);
  if (!Number.isFinite(value) || value < 0 || value > 100) throw badRequest(`Invalid percentTraffic: ${shownValue(op)}. Must be between 0.0 and 100.0`);
  return value;
}

/** The stage's canary, created with AWS's defaults (the stage's deployment, no traffic) when it has none. */
function canaryFor(change: StageChange): CanarySettings {
  change.data.canarySettings ??= { deploymentId: change.deploymentId ?? change.currentDeploymentId, percentTraffic: 0, useStageCache: false };
  return change.data.canarySettings;
}

const COPY_PATHS = { '/deploymentId': '/canarySettings/deploymentId', '/variables': '/canarySettings/stageVariableOverrides' } as const;

export function invalidCopy(op: PatchOperation) {
  return badRequest(
    `Invalid copy operation with path: ${op.path ?? 'null'} and from ${op.from ?? 'null'}. Valid copy:path are [${Object.keys(COPY_PATHS).join(', ')}] and valid copy:from are [${Object.values(COPY_PATHS).join(', ')}]`,
  );
}

/** Promotion copies from the canary to the stage, and needs one. */
function promoted(change: StageChange, op: PatchOperation): CanarySettings {
  if (COPY_PATHS[op.path as keyof typeof COPY_PATHS] !== op.from) throw invalidCopy(op);
  const canary = change.data.canarySettings;
  if (!canary) throw badRequest('Promotion not available. Canary does not exist.');
  return canary;
}

/** `/deploymentId` (replace, or copy when promoting) and `/variables` (copy only). */
export const promotionRules: PatchRule<StageChange>[] = [
  { path: '/deploymentId', ops: ['replace', 'copy'], apply: (change, op) => {
    change.deploymentId = op.op === 'copy' ? promoted(change, op).deploymentId : (op.value ?? '');
  } },
  { path: '/variables', ops: ['copy'], apply: (change, op) => {
    const overrides = promoted(change, op).stageVariableOverrides ?? {};
    change.data.variables = { ...change.data.variables, ...overrides };
  } },
];

/** Must come before the method-setting rules, whose removal pattern also matches these paths. */
export const canaryRules: PatchRule<StageChange>[] = [
  { path: '/canarySettings', ops: ['remove'], apply: (change) => {
    delete change.data.canarySettings;
    delete change.canaryDeploymentId;
  } },
  { path: '/canarySettings/deploymentId', ops: ['replace'], apply: (change, op) => {
    canaryFor(change).deploymentId = op.value ?? '';
    change.canaryDeploymentId = op.value ?? '';
  } },
  { path: '/canarySettings/percentTraffic', ops: ['replace'], apply: (change, op) => {
    const percentTraffic = percentTrafficOf(op);
    canaryFor(change).percentTraffic = percentTraffic;
  } },
  { path: '/canarySettings/useStageCache', ops: ['replace'], apply: (change, op) => {
    const useStageCache = patchBoolean(op);
    canaryFor(change).useStageCache = useStageCache;
  } },
  { path: '/canarySettings/stageVariableOverrides/*', ops: ['replace', 'remove'], apply: (change, op, [name]) => {
    if (op.op === 'remove') {
      const canary = change.data.canarySettings;
      if (!canary?.stageVariableOverrides) return;
      const { [name!]: _removed, ...rest } = canary.stageVariableOverrides;
      if (Object.keys(rest).length) canary.stageVariableOverrides = rest;
      else delete canary.stageVariableOverrides;
      return;
    }
    const canary = canaryFor(change);
    canary.stageVariableOverrides = { ...canary.stageVariableOverrides, [name!]: op.value ?? '' };
  } },
];
