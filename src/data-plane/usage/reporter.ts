// Reports usage to the control plane (`POST /_portico/usage`, cluster token): requests admitted per
// usage plan, API key and UTC day, summed in memory and sent in one batch about every second; a
// batch that fails is merged back and sent again; stop() sends what is left.
//
// The control plane adds a batch whole or not at all, so a batch refused (503) or never delivered
// (connection refused, reset before an answer) is retried without counting twice. Only a batch
// whose answer is lost after the control plane committed it could count twice.
import { request } from 'undici';
import { logger } from '../../logger.js';
import { utcDay } from '../../shared/quota.js';
import type { UsageReport, UsageReportBatch } from '../../shared/worker-config.js';

export type UsageReporterSettings = {
  controlPlaneUrl: string;
  /** a cluster token (the config channel's) */
  token: () => string;
  intervalMs?: number;
};

/** The control plane's limit on reports per batch. */
const MAX_BATCH = 10_000;
const TIMEOUT_MS = 10_000;

export class UsageReporter {
  private pending = new Map<string, UsageReport>();
  private timer?: NodeJS.Timeout;
  private sending?: Promise<void>;

  constructor(private readonly settings: UsageReporterSettings) {}

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.settings.intervalMs ?? 1000);
    this.timer.unref();
  }

  /** One admitted request of a key under a plan. */
  count(usagePlanId: string, keyId: string, day = utcDay()): void {
    this.add({ usagePlanId, keyId, day, count: 1 });
  }

  /** Sends what has been counted (one batch at a time). */
  flush(): Promise<void> {
    this.sending ??= this.send().finally(() => (this.sending = undefined));
    return this.sending;
  }

  /** Stops the timer and sends what is left, retrying a few times. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    for (let attempt = 0; attempt < 3; attempt++) {
      await this.flush();
      if (!this.pending.size) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    logger.warn({ reports: this.pending.size }, 'usage not reported: the control plane is unreachable');
  }

  private add(report: UsageReport): void {
    const id = `${report.usagePlanId} ${report.keyId} ${report.day}`;
    const seen = this.pending.get(id);
    if (seen) seen.count += report.count;
    else this.pending.set(id, { ...report });
  }

  private async send(): Promise<void> {
    while (this.pending.size) {
      const batch = [...this.pending.values()].slice(0, MAX_BATCH);
      for (const r of batch) this.pending.delete(`${r.usagePlanId} ${r.keyId} ${r.day}`);
      if (!(await this.post(batch))) {
        // Counted again with whatever arrived meanwhile, and sent on the next round.
        for (const r of batch) this.add(r);
        return;
      }
    }
  }

  /** True when the control plane took the batch (or refused it for good). */
  private async post(reports: UsageReport[]): Promise<boolean> {
    const body: UsageReportBatch = { reports };
    try {
      const res = await request(`${this.settings.controlPlaneUrl}/_portico/usage`, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.settings.token()}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        headersTimeout: TIMEOUT_MS,
        bodyTimeout: TIMEOUT_MS,
      });
      const answer = await res.body.text();
      if (res.statusCode === 200) return true;
      if (res.statusCode === 400) {
        // A batch the control plane can never take; sending it again would block every later one.
        logger.error({ status: res.statusCode, answer, reports: reports.length }, 'usage batch refused; dropped');
        return true;
      }
      logger.warn({ status: res.statusCode, reports: reports.length }, 'usage batch not recorded; will retry');
      return false;
    } catch (err) {
      logger.warn({ err: (err as Error).message, reports: reports.length }, 'control plane unreachable; usage will be retried');
      return false;
    }
  }
}
