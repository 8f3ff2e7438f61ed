// A worker's usage-plan services: the limiter that holds throttles and quotas (in Redis when
// PORTICO_REDIS_URL is set) and the reporter that sends usage to the control plane.
import { Limiter, connectRedis } from './limiter.js';
import { UsageReporter, type UsageReporterSettings } from './reporter.js';

export type UsageServices = {
  limiter: Limiter;
  reporter: UsageReporter;
  /** sends the last usage and closes the Redis connection */
  close: () => Promise<void>;
};

export type UsageSettings = UsageReporterSettings & { redisUrl?: string };

export function createUsageServices(settings: UsageSettings): UsageServices {
  const redis = settings.redisUrl ? connectRedis(settings.redisUrl) : undefined;
  const reporter = new UsageReporter(settings);
  reporter.start();
  return {
    limiter: new Limiter(redis),
    reporter,
    close: async () => {
      await reporter.stop();
      redis?.disconnect();
    },
  };
}
