// Tells long-polling workers when the config version moves: Postgres LISTEN/NOTIFY across
// control-plane replicas, plus a light version poll while anyone waits (the embedded database has
// a single connection and cannot hold a listener).
import pg from 'pg';
import type { Database } from '../../db/data-source.js';
import { logger } from '../../logger.js';
import { buildWorkerConfig } from './build.js';
import { CONFIG_CHANNEL } from './version.js';
import type { WorkerConfig, WorkerIdentities } from '../../shared/worker-config.js';

type Waiter = { after: number; resolve: (version: number) => void };

export class ConfigWatcher {
  private waiters = new Set<Waiter>();
  private latest = 0;
  private listener?: pg.Client;
  private timer?: NodeJS.Timeout;
  private cached?: Promise<WorkerConfig>;
  private cachedVersion = -1;

  constructor(
    private readonly db: Database,
    private readonly databaseUrl: string | undefined,
    /** fixed at start-up: the credentials AWS_IAM methods accept */
    private readonly identities?: WorkerIdentities,
  ) {}

  async start(): Promise<void> {
    this.latest = await this.readVersion();
    if (this.databaseUrl && !this.db.embedded) {
      this.listener = new pg.Client({ connectionString: this.databaseUrl });
      this.listener.on('notification', (msg) => this.advance(Number(msg.payload)));
      this.listener.on('error', (err) => logger.warn({ err: err.message }, 'config listener lost; relying on polling'));
      await this.listener.connect();
      await this.listener.query(`LISTEN ${CONFIG_CHANNEL}`);
    }
    this.timer = setInterval(() => void this.poll(), this.db.embedded ? 200 : 500);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    for (const w of this.waiters) w.resolve(this.latest);
    this.waiters.clear();
    await this.listener?.end().catch(() => undefined);
  }

  /** Resolves with the version as soon as it passes `after`, or after `timeoutMs` with the current one. */
  waitFor(after: number, timeoutMs: number): Promise<number> {
    if (this.latest > after) return Promise.resolve(this.latest);
    return new Promise((resolve) => {
      const waiter: Waiter = {
        after,
        resolve: (v) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(v);
        },
      };
      const timer = setTimeout(() => waiter.resolve(this.latest), timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** The config at the current version, built once per version however many workers ask. */
  async config(): Promise<WorkerConfig> {
    const version = await this.readVersion();
    this.advance(version);
    if (!this.cached || this.cachedVersion !== version) {
      this.cachedVersion = version;
      this.cached = buildWorkerConfig(this.db.dataSource, this.identities).catch((err) => {
        this.cachedVersion = -1;
        throw err;
      });
    }
    return this.cached;
  }

  private async poll(): Promise<void> {
    if (!this.waiters.size) return;
    try {
      this.advance(await this.readVersion());
    } catch (err) {
      logger.debug({ err: (err as Error).message }, 'config version poll failed');
    }
  }

  private advance(version: number): void {
    if (!(version > this.latest)) return;
    this.latest = version;
    for (const w of [...this.waiters]) if (version > w.after) w.resolve(version);
  }

  private async readVersion(): Promise<number> {
    const rows: { version: string }[] = await this.db.dataSource.query('SELECT version FROM config_state WHERE id = 1');
    return Number(rows[0]!.version);
  }
}
