// A method's effective stage settings for metrics and logging: its own methodSettings entry
// (`{resourcePath}/{httpMethod}`, the path without its leading slash) or else the stage's `*/*`.
import type { MethodSetting } from '../../control-plane/protocol/shapes.js';
import type { StageConfig } from '../../shared/worker-config.js';

export type ObservedSettings = {
  /** detailed CloudWatch metrics: Method and Resource dimensions */
  metricsEnabled: boolean;
  /** execution logging: what gets logged */
  loggingLevel: 'OFF' | 'ERROR' | 'INFO';
  /** execution logs carry request and response data */
  dataTraceEnabled: boolean;
};

function observedSettings(setting: MethodSetting | undefined): ObservedSettings {
  const level = setting?.loggingLevel === 'INFO' || setting?.loggingLevel === 'ERROR' ? setting.loggingLevel : 'OFF';
  return { metricsEnabled: setting?.metricsEnabled === true, loggingLevel: level, dataTraceEnabled: level !== 'OFF' && setting?.dataTraceEnabled === true };
}

/** The stage-wide settings (`*\/*`). */
export function stageSettings(stage: StageConfig): ObservedSettings {
  return observedSettings(stage.methodSettings?.['*/*']);
}

/** The settings of `httpMethod` on `resourcePath`: its own entry, else the stage-wide ones. */
export function methodSettings(stage: StageConfig, resourcePath: string, httpMethod: string): ObservedSettings {
  const own = stage.methodSettings?.[`${resourcePath.slice(1)}/${httpMethod}`];
  return own ? observedSettings(own) : stageSettings(stage);
}
