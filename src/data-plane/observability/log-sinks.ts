// Where access log lines go: each stage's `destinationArn` maps, by PORTICO_ACCESS_LOG_DESTINATIONS,
// to a file or to stdout. Lines are buffered and written together once per turn of the event loop,
// never synchronously on the request path.
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { logger } from '../../logger.js';

/** destination ARN, log group name or `*` → a file path or `stdout` */
export type AccessLogDestinations = Record<string, string>;

/** Flushes what is buffered once this many characters are waiting, without waiting for the next turn. */
const FLUSH_AT = 64 * 1024;

export class LineSink {
  private buffer: string[] = [];
  private size = 0;
  private scheduled = false;
  private pending: Promise<void> = Promise.resolve();

  constructor(private readonly out: NodeJS.WritableStream | WriteStream) {}

  write(line: string): void {
    this.buffer.push(line);
    this.size += line.length;
    if (this.size >= FLUSH_AT) this.flushNow();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flushNow());
    }
  }

  private flushNow(): void {
    this.scheduled = false;
    if (this.buffer.length === 0) return;
    const chunk = this.buffer.join('\n') + '\n';
    this.buffer = [];
    this.size = 0;
    this.pending = new Promise((done) => {
      this.out.write(chunk, () => done());
    });
  }

  /** Writes what is buffered and resolves when the destination has it. */
  async flush(): Promise<void> {
    this.flushNow();
    await this.pending;
  }

  async close(): Promise<void> {
    await this.flush();
    if (this.out !== process.stdout && this.out !== process.stderr) await new Promise<void>((done) => this.out.end(() => done()));
  }
}

/** The log group name of a CloudWatch Logs ARN (`arn:aws:logs:{region}:{account}:log-group:{name}[:*]`). */
export function logGroupName(destinationArn: string): string | undefined {
  const match = /^arn:[^:]+:logs:[^:]*:[^:]*:log-group:([^:]+)(?::\*)?$/.exec(destinationArn);
  return match?.[1];
}

/** A destination ARN's target: its own entry, its log group's, the `*` entry, or undefined (the worker log). */
export function destinationOf(destinations: AccessLogDestinations, destinationArn: string): string | undefined {
  const group = logGroupName(destinationArn);
  return destinations[destinationArn] ?? destinations[destinationArn.replace(/:\*$/, '')] ?? (group === undefined ? undefined : destinations[group]) ?? destinations['*'];
}

/** One sink per target (several ARNs may share a file), opened on first use. */
export class SinkPool {
  private readonly sinks = new Map<string, LineSink>();

  sink(target: string): LineSink {
    let sink = this.sinks.get(target);
    if (!sink) {
      if (target === 'stdout') sink = new LineSink(process.stdout);
      else {
        const path = resolve(target);
        mkdirSync(dirname(path), { recursive: true });
        const stream = createWriteStream(path, { flags: 'a' });
        // A destination that cannot be written loses its lines, not the worker.
        stream.on('error', (err) => logger.error({ err: err.message, path }, 'access log destination failed'));
        sink = new LineSink(stream);
      }
      this.sinks.set(target, sink);
    }
    return sink;
  }

  async flush(): Promise<void> {
    await Promise.all([...this.sinks.values()].map((sink) => sink.flush()));
  }

  async close(): Promise<void> {
    await Promise.all([...this.sinks.values()].map((sink) => sink.close()));
    this.sinks.clear();
  }
}
