// `npm run test:reliability`: the fault, bad-input and security batteries. They start their own
// processes (control planes, workers, a throwaway PostgreSQL cluster), so they run one file at a
// time, without the in-process harness of test/run.ts. Extra arguments are passed to the test
// runner (e.g. one file to run alone).
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('.', import.meta.url).pathname;
const args = process.argv.slice(2);
const files = args.some((a) => a.endsWith('.ts'))
  ? []
  : readdirSync(root).filter((name) => name.endsWith('.test.ts')).sort().map((name) => relative(process.cwd(), join(root, name)));

const started = Date.now();
const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...args, ...files], { stdio: 'inherit' });
const code: number = await new Promise((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
console.log(`reliability batteries finished in ${Math.round((Date.now() - started) / 1000)} s`);
process.exit(code);
