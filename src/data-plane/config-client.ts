// Follows the control plane's config channel (long-poll with a cluster token), hands each new
// config to `apply`, and keeps the last good one on disk so a restart serves without the control plane.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import jwt from 'jsonwebtoken';
import { request } from 'undici';
import { logger } from '../logger.js';
import { CONFIG_FORMAT, type WorkerConfig } from '../shared/worker-config.js';

export type ConfigClientSettings = {
  controlPlaneUrl: string;
  clusterSecret: string;
  cacheDir: string;
  workerId: string;
  apply: (config: WorkerConfig) => void;
};

const POLL_WAIT_MS = 20_000;

export class ConfigClient {
  private version = -1;
  private stopped = false;
  private abort = new AbortController();
  private signed?: { value: string; at: number };

  constructor(private readonly settings: ConfigClientSettings) {}

  /** Serves the cached config first, if there is one, then follows the control plane. */
  start(): void {
    const cached = this.readCache();
    if (cached) this.accept(cached);
    void this.loop();
  }

  stop(): void {
    this.stopped = true;
    this.abort.abort();
  }

  get currentVersion(): number {
    return this.version;
  }

  /**
   * A cluster token for the control plane's worker endpoints (config channel, usage reports): valid
   * for 5 minutes, signed anew once a minute rather than on every call (signing costs a key import).
   */
  token(): string {
    const now = Date.now();
    if (!this.signed || now - this.signed.at > 60_000) {
      const value = jwt.sign({ sub: this.settings.workerId, role: 'worker' }, this.settings.clusterSecret, {
        algorithm: 'HS256',
        audience: 'portico-control-plane',
        expiresIn: '5m',
      });
      this.signed = { value, at: now };
    }
    return this.signed.value;
  }

  private async loop(): Promise<void> {
    let backoff = 250;
    while (!this.stopped) {
      try {
        const res = await request(`${this.settings.controlPlaneUrl}/_portico/config?after=${this.version}&waitMs=${POLL_WAIT_MS}`, {
          headers: { authorization: `Bearer ${this.token()}` },
          signal: this.abort.signal,
          headersTimeout: POLL_WAIT_MS + 10_000,
          bodyTimeout: 60_000,
        });
        if (res.statusCode === 200) {
          // The text as received is what the disk cache keeps: no second serialization of a large config.
          const text = await res.body.text();
          this.accept(JSON.parse(text) as WorkerConfig, text);
        } else {
          await res.body.dump();
          if (res.statusCode !== 204) throw new Error(`config channel answered ${res.statusCode}`);
        }
        backoff = 250;
      } catch (err) {
        if (this.stopped) return;
        logger.warn({ err: (err as Error).message, retryInMs: backoff }, 'control plane unreachable; serving the last config');
        await new Promise((r) => setTimeout(r, backoff));
        backoff = Math.min(backoff * 2, 5000);
      }
    }
  }

  /** `text`: the config as received, to keep on disk (absent when it was read from there). */
  private accept(config: WorkerConfig, text?: string): void {
    if (config.format !== CONFIG_FORMAT || config.version <= this.version) return;
    try {
      this.settings.apply(config);
    } catch (err) {
      logger.error({ err, version: config.version }, 'config failed to compile; keeping the previous one');
      return;
    }
    this.version = config.version;
    logger.info({ version: config.version, stages: config.stages.length }, 'config applied');
    if (text !== undefined) this.writeCache(text);
  }

  private cacheFile(): string {
    return join(this.settings.cacheDir, 'config.json');
  }

  private readCache(): WorkerConfig | undefined {
    try {
      return JSON.parse(readFileSync(this.cacheFile(), 'utf8')) as WorkerConfig;
    } catch {
      return undefined;
    }
  }

  /** Write then rename, so a crash mid-write never leaves a torn cache behind. */
  private writeCache(text: string): void {
    try {
      mkdirSync(this.settings.cacheDir, { recursive: true });
      const tmp = `${this.cacheFile()}.${process.pid}.tmp`;
      // Owner-only: the config carries the secrets of IAM credentials (see WorkerIdentities).
      writeFileSync(tmp, text, { mode: 0o600 });
      renameSync(tmp, this.cacheFile());
    } catch (err) {
      logger.warn({ err: (err as Error).message }, 'could not write the config cache');
    }
  }
}
