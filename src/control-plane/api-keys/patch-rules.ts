// The patch paths UpdateApiKey accepts: replace of /description, /enabled, /name, /customerId (in the
// order AWS lists them), and add or remove of a legacy stage key on /stages.
import type { PatchRule } from '../protocol/patch.js';
import type { StageKey } from '../protocol/shapes.js';
import type { ApiKeyRow } from './entity.js';
import { checkDescription, checkName, parseStageKey } from './validate.js';

/** The key as patched, and the stage keys to add, checked against the stages once all ops apply. */
export type ApiKeyChange = { row: ApiKeyRow; addStageKeys: StageKey[] };

const text = (value: string | undefined) => (value === undefined || value === '' ? undefined : value);

export const apiKeyPatchRules: PatchRule<ApiKeyChange>[] = [
  { path: '/description', ops: ['replace'], apply: ({ row }, op) => {
    const description = text(op.value);
    if (description === undefined) delete row.data.description;
    else {
      checkDescription(description);
      row.data.description = description;
    }
  } },
  // Java's Boolean.parseBoolean: anything but "true" (any case) disables the key.
  { path: '/enabled', ops: ['replace'], apply: ({ row }, op) => {
    row.data.enabled = op.value?.toLowerCase() === 'true';
  } },
  { path: '/name', ops: ['replace'], apply: ({ row }, op) => {
    const name = text(op.value);
    if (name !== undefined) checkName(name);
    row.name = name ?? null;
  } },
  { path: '/customerId', ops: ['replace'], apply: ({ row }, op) => {
    row.customerId = text(op.value) ?? null;
  } },
  { path: '/stages', ops: ['add', 'remove'], apply: (change, op) => {
    const stageKey = parseStageKey(op.value);
    const id = `${stageKey.restApiId}/${stageKey.stageName}`;
    change.row.data.stageKeys = change.row.data.stageKeys.filter((k) => k !== id);
    change.addStageKeys = change.addStageKeys.filter((k) => `${k.restApiId}/${k.stageName}` !== id);
    if (op.op === 'add') change.addStageKeys.push(stageKey);
  } },
];
