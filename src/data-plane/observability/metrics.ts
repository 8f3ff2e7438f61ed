// API Gateway's CloudWatch metrics as Prometheus metrics on a worker, under their own names in the
// `apigateway_` namespace (AWS/ApiGateway): Count, 4XXError, 5XXError, Latency, IntegrationLatency,
// CacheHitCount and CacheMissCount by ApiName and Stage, or by ApiName, Stage, Method and Resource
// for methods with detailed metrics (`metricsEnabled`). A request is counted in exactly one series,
// so `sum by (ApiName, Stage)` is the stage's figure either way.
//
// Recording a request only adds to plain numbers of its series (prom-client's labelled children
// hash their labels on every increment, which cost more than the rest of a MOCK request's metrics);
// prom-client formats them when /metrics is scraped, beside its process metrics.
import { collectDefaultMetrics, Gauge, Registry, type Metric } from 'prom-client';

/** milliseconds, from a MOCK answered in-process to API Gateway's 29 s integration timeout */
const LATENCY_BUCKETS_MS = [0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 29000];

type Labels = { ApiName: string; Stage: string; Method?: string; Resource?: string };

/** A histogram of one series: counts per bucket (not cumulative; the last one is +Inf), sum and count. */
export type HistogramSeries = { buckets: Float64Array; sum: number; count: number };

/** One series of every metric: what a request adds to. */
export type BoundMetrics = {
  labels: Labels;
  count: number;
  clientErrors: number;
  serverErrors: number;
  cacheHits: number;
  cacheMisses: number;
  latency: HistogramSeries;
  integrationLatency: HistogramSeries;
};

const newHistogram = (): HistogramSeries => ({ buckets: new Float64Array(LATENCY_BUCKETS_MS.length + 1), sum: 0, count: 0 });

function observe(histogram: HistogramSeries, value: number): void {
  let i = 0;
  while (i < LATENCY_BUCKETS_MS.length && value > LATENCY_BUCKETS_MS[i]!) i++;
  histogram.buckets[i]!++;
  histogram.sum += value;
  histogram.count++;
}

type Sample = { labels: Record<string, string | number>; value: number; metricName?: string };
type CounterField = 'count' | 'clientErrors' | 'serverErrors' | 'cacheHits' | 'cacheMisses';
type HistogramField = 'latency' | 'integrationLatency';

/** A metric read from the series at scrape time, in the shape prom-client's registry formats. */
class SeriesMetric {
  readonly aggregator = 'sum';

  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: 'counter' | 'histogram',
    private readonly samples: () => Sample[],
  ) {}

  async get() {
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values: this.samples() };
  }
}

export class WorkerMetrics {
  readonly registry = new Registry();
  private readonly series = new Map<string, BoundMetrics>();
  private inFlightCount = 0;
  /** the config version being served */
  readonly configVersion = new Gauge({ name: 'portico_worker_config_version', help: 'The config version the worker serves', registers: [this.registry] });
  /** requests in progress (for drains), read when scraped */
  readonly inFlight = { inc: () => void this.inFlightCount++, dec: () => void this.inFlightCount-- };

  constructor() {
    this.counter('apigateway_Count', 'Count: requests to the API stage (or method)', 'count');
    this.counter('apigateway_4XXError', '4XXError: requests answered with a 4XX status', 'clientErrors');
    this.counter('apigateway_5XXError', '5XXError: requests answered with a 5XX status', 'serverErrors');
    this.counter('apigateway_CacheHitCount', 'CacheHitCount: requests served from the stage cache', 'cacheHits');
    this.counter('apigateway_CacheMissCount', 'CacheMissCount: requests to a cached method served by the backend', 'cacheMisses');
    this.histogram('apigateway_Latency', 'Latency: milliseconds from receiving a request to sending its response', 'latency');
    this.histogram('apigateway_IntegrationLatency', 'IntegrationLatency: milliseconds from relaying a request to the backend to receiving its response', 'integrationLatency');
    const inFlight = this;
    new Gauge({
      name: 'portico_worker_in_flight_requests',
      help: 'Requests being answered',
      registers: [this.registry],
      collect() {
        this.set(inFlight.inFlightCount);
      },
    });
    collectDefaultMetrics({ register: this.registry });
  }

  private register(metric: SeriesMetric): void {
    this.registry.registerMetric(metric as unknown as Metric);
  }

  private counter(name: string, help: string, field: CounterField): void {
    this.register(new SeriesMetric(name, help, 'counter', () => [...this.series.values()].map((s) => ({ labels: s.labels, value: s[field] }))));
  }

  private histogram(name: string, help: string, field: HistogramField): void {
    this.register(
      new SeriesMetric(name, help, 'histogram', () =>
        [...this.series.values()].flatMap((s) => {
          const histogram = s[field];
          const samples: Sample[] = [];
          let cumulative = 0;
          for (let i = 0; i <= LATENCY_BUCKETS_MS.length; i++) {
            cumulative += histogram.buckets[i]!;
            samples.push({ metricName: `${name}_bucket`, labels: { ...s.labels, le: i < LATENCY_BUCKETS_MS.length ? LATENCY_BUCKETS_MS[i]! : '+Inf' }, value: cumulative });
          }
          samples.push({ metricName: `${name}_sum`, labels: s.labels, value: histogram.sum }, { metricName: `${name}_count`, labels: s.labels, value: histogram.count });
          return samples;
        }),
      ),
    );
  }

  /** The series of a stage (no Method and Resource) or of one method of it; the same labels share one series. */
  bind(apiName: string, stage: string, method?: { httpMethod: string; resourcePath: string }): BoundMetrics {
    const labels: Labels = method ? { ApiName: apiName, Stage: stage, Method: method.httpMethod, Resource: method.resourcePath } : { ApiName: apiName, Stage: stage };
    const key = JSON.stringify(labels);
    let series = this.series.get(key);
    if (!series) {
      // Every counter starts at 0, as CloudWatch reports them, so rates are defined from the first request.
      series = { labels, count: 0, clientErrors: 0, serverErrors: 0, cacheHits: 0, cacheMisses: 0, latency: newHistogram(), integrationLatency: newHistogram() };
      this.series.set(key, series);
    }
    return series;
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}

/** Adds one request to its series. */
export function recordRequest(metrics: BoundMetrics, statusCode: number, latencyMs: number, integrationLatencyMs: number | undefined, cacheHit: boolean | undefined): void {
  metrics.count++;
  if (statusCode >= 500) metrics.serverErrors++;
  else if (statusCode >= 400) metrics.clientErrors++;
  observe(metrics.latency, latencyMs);
  if (integrationLatencyMs !== undefined) observe(metrics.integrationLatency, integrationLatencyMs);
  if (cacheHit === true) metrics.cacheHits++;
  else if (cacheHit === false) metrics.cacheMisses++;
}
