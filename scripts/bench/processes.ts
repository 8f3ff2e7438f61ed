// Benchmark processes: servers pinned to core 1 (when taskset exists), the load generator on core 0.
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';

const TASKSET = '/usr/bin/taskset';
export const pinned = existsSync(TASKSET);
/** clock ticks per second of /proc's CPU times (USER_HZ, 100 on Linux) */
const CLOCK_TICKS = 100;

/** Moves this process (the load generator) to core 0. */
export function pinSelf(): void {
  if (pinned) execFileSync(TASKSET, ['-cp', '0', String(process.pid)], { stdio: 'ignore' });
}

/**
 * Forks an entry on core 1, the servers' (`core` 0: beside the load generator, for the control
 * plane); compiled JavaScript from dist/ as users run it, a .ts entry under tsx. Resolves with the
 * port it reports over IPC (when it does).
 */
export function startPinned(entry: string, env: Record<string, string>, nodeOptions: string[] = [], core: 0 | 1 = 1): { child: ChildProcess; ready: Promise<number> } {
  const execArgv = [...(entry.endsWith('.ts') ? ['--import', 'tsx'] : []), ...nodeOptions];
  const child = fork(entry, [], { execArgv, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  if (pinned && child.pid) execFileSync(TASKSET, ['-acp', String(core), String(child.pid)], { stdio: 'ignore' });
  const ready = new Promise<number>((resolve, reject) => {
    child.once('message', (m) => resolve((m as { port: number }).port));
    child.once('exit', (code) => reject(new Error(`${entry} exited with ${code}`)));
  });
  // A process that never reports a port (the worker) exits without anyone waiting on it.
  ready.catch(() => undefined);
  return { child, ready };
}

export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** The CPU time (µs) a process and its descendants (a worker's function environments) have used so far, from /proc. */
export function cpuMicros(pid: number): number {
  let total = 0;
  const visit = (p: number) => {
    try {
      // Fields after the command's closing parenthesis: utime and stime are the 12th and 13th.
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += (Number(fields[11]) + Number(fields[12])) * (1e6 / CLOCK_TICKS);
      for (const task of readdirSync(`/proc/${p}/task`)) {
        for (const child of readFileSync(`/proc/${p}/task/${task}/children`, 'utf8').split(' ').filter(Boolean)) visit(Number(child));
      }
    } catch {
      // gone, or no /proc: counts nothing
    }
  };
  visit(pid);
  return total;
}
