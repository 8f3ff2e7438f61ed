// API Gateway's CloudWatch metrics as Prometheus metrics on a worker, under their own names in the
// `apigateway_` namespace (AWS/ApiGateway): Count, 4XXError, 5XXError, Latency, IntegrationLatency,
// CacheHitCount and CacheMissCount by ApiName and Stage, or by ApiName, Stage, Method and Resource
// for methods with detailed metrics (`metricsEnabled`). A request is counted in exactly one series,
// so `sum by (ApiName, Stage)` is the stage's figure either way.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

const API_LABELS = ['ApiName', 'Stage', 'Method', 'Resource'] as const;
/** milliseconds, from a MOCK answered in-process to API Gateway's 29 s integration timeout */
const LATENCY_BUCKETS_MS = [0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 29000];

type CounterChild = { inc: (value?: number) => void };
type HistogramChild = { observe: (value: number) => void };

/** One series of each metric, bound to its labels once: recording a request allocates nothing. */
export type BoundMetrics = {
  count: CounterChild;
  clientErrors: CounterChild;
  serverErrors: CounterChild;
  latency: HistogramChild;
  integrationLatency: HistogramChild;
  cacheHits: CounterChild;
  cacheMisses: CounterChild;
};

export class WorkerMetrics {
  readonly registry = new Registry();
  private readonly count = this.counter('apigateway_Count', 'Count: requests to the API stage (or method)');
  private readonly clientErrors = this.counter('apigateway_4XXError', '4XXError: requests answered with a 4XX status');
  private readonly serverErrors = this.counter('apigateway_5XXError', '5XXError: requests answered with a 5XX status');
  private readonly cacheHits = this.counter('apigateway_CacheHitCount', 'CacheHitCount: requests served from the stage cache');
  private readonly cacheMisses = this.counter('apigateway_CacheMissCount', 'CacheMissCount: requests to a cached method served by the backend');
  private readonly latency = new Histogram({
    name: 'apigateway_Latency',
    help: 'Latency: milliseconds from receiving a request to sending its response',
    labelNames: API_LABELS,
    buckets: LATENCY_BUCKETS_MS,
    registers: [this.registry],
  });
  private readonly integrationLatency = new Histogram({
    name: 'apigateway_IntegrationLatency',
    help: 'IntegrationLatency: milliseconds from relaying a request to the backend to receiving its response',
    labelNames: API_LABELS,
    buckets: LATENCY_BUCKETS_MS,
    registers: [this.registry],
  });
  /** the config version being served, and requests in progress (for drains) */
  readonly configVersion = new Gauge({ name: 'portico_worker_config_version', help: 'The config version the worker serves', registers: [this.registry] });
  readonly inFlight = new Gauge({ name: 'portico_worker_in_flight_requests', help: 'Requests being answered', registers: [this.registry] });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  private counter(name: string, help: string): Counter<(typeof API_LABELS)[number]> {
    return new Counter({ name, help, labelNames: API_LABELS, registers: [this.registry] });
  }

  /** The series of a stage (no Method and Resource) or of one method of it. */
  bind(apiName: string, stage: string, method?: { httpMethod: string; resourcePath: string }): BoundMetrics {
    const labels = method ? { ApiName: apiName, Stage: stage, Method: method.httpMethod, Resource: method.resourcePath } : { ApiName: apiName, Stage: stage };
    // The error counters start at 0, as CloudWatch reports them, so rates are defined from the first request.
    this.clientErrors.labels(labels).inc(0);
    this.serverErrors.labels(labels).inc(0);
    return {
      count: this.count.labels(labels),
      clientErrors: this.clientErrors.labels(labels),
      serverErrors: this.serverErrors.labels(labels),
      latency: this.latency.labels(labels),
      integrationLatency: this.integrationLatency.labels(labels),
      cacheHits: this.cacheHits.labels(labels),
      cacheMisses: this.cacheMisses.labels(labels),
    };
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}

/** Adds one request to its series. */
export function recordRequest(metrics: BoundMetrics, statusCode: number, latencyMs: number, integrationLatencyMs: number | undefined, cacheHit: boolean | undefined): void {
  metrics.count.inc();
  if (statusCode >= 500) metrics.serverErrors.inc();
  else if (statusCode >= 400) metrics.clientErrors.inc();
  metrics.latency.observe(latencyMs);
  if (integrationLatencyMs !== undefined) metrics.integrationLatency.observe(integrationLatencyMs);
  if (cacheHit === true) metrics.cacheHits.inc();
  else if (cacheHit === false) metrics.cacheMisses.inc();
}
