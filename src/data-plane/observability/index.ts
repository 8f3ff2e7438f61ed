// What a worker records about each request once its response is sent: API Gateway's metrics, the
// stage's access log line and the method's execution log. Everything per stage and method (bound
// metric series, effective settings, log destination) is resolved on a stage's first request and
// cached on the compiled stage, so recording a request is a few lookups and increments.
import type { Method } from '../../control-plane/protocol/shapes.js';
import type { CompiledStage } from '../compile/index.js';
import type { InvocationContext } from '../pipeline/context.js';
import { logExecution } from './execution-log.js';
import { destinationOf, SinkPool, type AccessLogDestinations, type LineSink } from './log-sinks.js';
import { methodSettings, stageSettings, type ObservedSettings } from './method-settings.js';
import { recordRequest, WorkerMetrics, type BoundMetrics } from './metrics.js';

export type ObservabilitySettings = {
  /** destination ARN (or log group name, or `*`) → file path or `stdout` (PORTICO_ACCESS_LOG_DESTINATIONS) */
  accessLogDestinations: AccessLogDestinations;
};

type Observed = { settings: ObservedSettings; metrics: BoundMetrics };

type StageObservation = {
  /** requests that matched no method, and methods without settings of their own */
  stage: Observed;
  methods: Map<Method, Observed>;
  /** writes the stage's access log line, when it has access logging */
  accessLog?: (line: string, ctx: InvocationContext) => void;
};

export class Observability {
  readonly metrics = new WorkerMetrics();
  private readonly stages = new WeakMap<CompiledStage, StageObservation>();
  private readonly sinks = new SinkPool();

  constructor(private readonly settings: ObservabilitySettings) {}

  /** Records a request whose response has been sent with `statusCode`. */
  record(ctx: InvocationContext, statusCode: number): void {
    const stage = ctx.stage;
    if (!stage) return;
    const latencyMs = ctx.startedPerf === undefined ? Date.now() - ctx.startedAt : performance.now() - ctx.startedPerf;
    const observation = this.stages.get(stage) ?? this.observe(stage);
    const observed = ctx.method ? (observation.methods.get(ctx.method) ?? this.observeMethod(stage, observation, ctx)) : observation.stage;
    recordRequest(observed.metrics, statusCode, latencyMs, ctx.integrationLatencyMs, ctx.cacheHit);
    if (observation.accessLog) observation.accessLog(stage.accessLog!(ctx, { status: statusCode, latencyMs }), ctx);
    if (observed.settings.loggingLevel !== 'OFF') logExecution(ctx, observed.settings, statusCode, latencyMs);
  }

  private observe(stage: CompiledStage): StageObservation {
    const observation: StageObservation = {
      stage: { settings: stageSettings(stage.config), metrics: this.metrics.bind(stage.deployment.snapshot.api.name, stage.config.stageName) },
      methods: new Map(),
      accessLog: this.accessLogWriter(stage),
    };
    this.stages.set(stage, observation);
    return observation;
  }

  private observeMethod(stage: CompiledStage, observation: StageObservation, ctx: InvocationContext): Observed {
    const resourcePath = ctx.resource!.path;
    const httpMethod = ctx.method!.httpMethod ?? ctx.httpMethod;
    const settings = methodSettings(stage.config, resourcePath, httpMethod);
    const metrics = settings.metricsEnabled
      ? this.metrics.bind(stage.deployment.snapshot.api.name, stage.config.stageName, { httpMethod, resourcePath })
      : observation.stage.metrics;
    const observed = { settings, metrics };
    observation.methods.set(ctx.method!, observed);
    return observed;
  }

  /**
   * A mapped destination gets the line as formatted; an unmapped one, the worker's stdout as a
   * JSON log entry carrying the line, so the worker's output stays one JSON object per line.
   */
  private accessLogWriter(stage: CompiledStage): StageObservation['accessLog'] {
    const destinationArn = stage.config.accessLogSettings?.destinationArn;
    if (!stage.accessLog || !destinationArn) return undefined;
    const target = destinationOf(this.settings.accessLogDestinations, destinationArn);
    if (target !== undefined) {
      const sink: LineSink = this.sinks.sink(target);
      return (line) => sink.write(line);
    }
    const stdout = this.sinks.sink('stdout');
    return (line, ctx) =>
      stdout.write(JSON.stringify({ level: 30, time: Date.now(), service: 'portico', log: 'access', destinationArn, requestId: ctx.requestId, msg: line }));
  }

  /** Writes out buffered access log lines. */
  flush(): Promise<void> {
    return this.sinks.flush();
  }

  close(): Promise<void> {
    return this.sinks.close();
  }
}

export type { AccessLogDestinations } from './log-sinks.js';
