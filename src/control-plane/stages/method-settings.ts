// UpdateStage's methodSettings patch rules: `/{resourcePath}/{httpMethod}/{setting}` (with `*/*` for
// every method) to set one value, and `/{resourcePath}/{httpMethod}` to remove a method's settings.
import { badRequest } from '../protocol/errors.js';
import { patchBoolean, patchInteger, shownValue, type PatchRule } from '../protocol/patch.js';
import type { MethodSetting, PatchOperation } from '../protocol/shapes.js';
import type { StageData } from './entity.js';

/** What a method's settings start from when nothing, not even `*\/*`, says otherwise (loggingLevel stays unset). */
const DEFAULT_METHOD_SETTING: Readonly<MethodSetting> = {
  metricsEnabled: false,
  dataTraceEnabled: false,
  throttlingBurstLimit: 5000,
  throttlingRateLimit: 10000.0,
  cachingEnabled: false,
  cacheTtlInSeconds: 300,
  cacheDataEncrypted: false,
  requireAuthorizationForCacheControl: true,
  unauthorizedCacheControlHeaderStrategy: 'SUCCEED_WITH_RESPONSE_HEADER',
};

const LOGGING_LEVELS = ['OFF', 'ERROR', 'INFO'];
const CACHE_CONTROL_STRATEGIES = ['FAIL_WITH_403', 'SUCCEED_WITH_RESPONSE_HEADER', 'SUCCEED_WITHOUT_RESPONSE_HEADER'] as const;
const MAX_CACHE_TTL = 3600;

/**
 * The methodSettings key of a patch path's resource path and method: `*\/*`, or the resource path
 * without its leading slash (patch paths may give it JSON-pointer escaped or as plain segments).
 */
export function methodSettingKey(resourcePath: string, httpMethod: string): string {
  return `${resourcePath.replace(/^\//, '')}/${httpMethod}`;
}

/** A method's settings, created on first use from the current `*\/*` settings (AWS copies them then, once). */
function settingFor(stage: StageData, key: string): MethodSetting {
  const settings = (stage.methodSettings ??= {});
  settings[key] ??= { ...(settings['*/*'] ?? DEFAULT_METHOD_SETTING) };
  return settings[key];
}

function integerIn(op: PatchOperation, min: number, max: number, message: string): number {
  const value = patchInteger(op, message);
  if (value < min || value > max) throw badRequest(message);
  return value;
}

function nonNegativeNumber(op: PatchOperation, message: string): number {
  const value = op.value === undefined || op.value.trim() === '' ? NaN : Number(op.value);
  if (!Number.isFinite(value) || value < 0) throw badRequest(message);
  return value;
}

function oneOf<T extends string>(op: PatchOperation, allowed: readonly T[], what: string): T {
  if (!allowed.includes(op.value as T)) throw badRequest(`Invalid ${what}: ${shownValue(op)}. Must be one of: [${allowed.join(', ')}]`);
  return op.value as T;
}

type SettingWriter = (setting: MethodSetting, op: PatchOperation) => void;

/** Each setting's patch-path suffix and how its string value is read; the list and order are AWS's. */
const settingWriters: [string, SettingWriter][] = [
  ['metrics/enabled', (s, op) => {
    s.metricsEnabled = patchBoolean(op);
  }],
  ['logging/dataTrace', (s, op) => {
    s.dataTraceEnabled = patchBoolean(op);
  }],
  ['logging/loglevel', (s, op) => {
    s.loggingLevel = oneOf(op, LOGGING_LEVELS, 'logging level');
  }],
  ['throttling/burstLimit', (s, op) => {
    s.throttlingBurstLimit = integerIn(op, 0, Number.MAX_SAFE_INTEGER, `Invalid burst limit: ${shownValue(op)}. Must be a non-negative integer`);
  }],
  ['throttling/rateLimit', (s, op) => {
    s.throttlingRateLimit = nonNegativeNumber(op, `Invalid rate limit: ${shownValue(op)}. Must be a non-negative number`);
  }],
  ['caching/ttlInSeconds', (s, op) => {
    s.cacheTtlInSeconds = integerIn(op, 0, MAX_CACHE_TTL, `Invalid cache ttl: ${shownValue(op)}. Must be between 0 and ${MAX_CACHE_TTL}`);
  }],
  ['caching/enabled', (s, op) => {
    s.cachingEnabled = patchBoolean(op);
  }],
  ['caching/dataEncrypted', (s, op) => {
    s.cacheDataEncrypted = patchBoolean(op);
  }],
  ['caching/requireAuthorizationForCacheControl', (s, op) => {
    s.requireAuthorizationForCacheControl = patchBoolean(op);
  }],
  ['caching/unauthorizedCacheControlHeaderStrategy', (s, op) => {
    s.unauthorizedCacheControlHeaderStrategy = oneOf(op, CACHE_CONTROL_STRATEGIES, 'unauthorized cache control header strategy');
  }],
];

function removeMethodSetting(stage: StageData, resourcePath: string, httpMethod: string): void {
  const key = methodSettingKey(resourcePath, httpMethod);
  if (!stage.methodSettings?.[key]) throw badRequest(`Cannot remove method setting ${key} because there is no method setting for this method `);
  delete stage.methodSettings[key];
}

/**
 * The resource path may span several segments (`/pets/{id}/GET/...`) or be one escaped segment
 * (`/~1pets~1{id}/GET/...`). AWS reads any other remove of two or more segments as the removal of
 * a method's settings, whatever the first segment (hence its message for `/accessLogSettings/x`),
 * so the removal rule goes after every other rule that takes `remove`.
 */
export const methodSettingRules: PatchRule<StageData>[] = [
  ...settingWriters.map(([suffix, write]): PatchRule<StageData> => ({
    path: `/**/*/${suffix}`,
    ops: ['add', 'replace'],
    apply: (stage, op, [resourcePath, httpMethod]) => write(settingFor(stage, methodSettingKey(resourcePath!, httpMethod!)), op),
  })),
  { path: '/**/*', ops: ['remove'], apply: (stage, _op, [resourcePath, httpMethod]) => removeMethodSetting(stage, resourcePath!, httpMethod!) },
];
