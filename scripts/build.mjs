// The build: compiles src/ and migrations/ (and the benchmark's baseline servers) with tsc into
// dist/, and copies the files the code loads at run time (the Lambda runner's bootstrap.mjs, the
// management API's OpenAPI document). Plain JavaScript, so it runs before anything is compiled.
//   node scripts/build.mjs            build (incremental), fail on type errors (`npm run build`)
//   node scripts/build.mjs --if-stale the same, but only when a source changed since the last build
//                                     (`npm start`'s prestart: a few milliseconds when dist is current)
// ensureBuilt() does the same for the benchmark and the tests that start the product as processes;
// it keeps going on type errors (tsc still emits), as those tests run under tsx anyway.
// A fingerprint of the sources (path, size, mtime) in dist/.build-stamp tells whether dist is current;
// a lock directory keeps concurrent builds (a test and a benchmark) from writing dist together.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const DIST = join(ROOT, 'dist');
const STAMP = join(DIST, '.build-stamp');
const LOCK = join(DIST, '.build-lock');
/** compiled by tsc (tsconfig.build.json includes the same) */
const SOURCE_DIRS = ['src', 'migrations'];
/** other files whose change makes dist stale */
const INPUT_FILES = ['tsconfig.json', 'tsconfig.build.json', 'package-lock.json', 'scripts/build.mjs', 'openapi/apigateway.json', 'scripts/bench/bare-server.ts', 'scripts/bench/minimal-proxy.ts', 'scripts/bench/body.ts'];
/** copied as they are: read at run time relative to the compiled code */
const COPIED_FILES = ['openapi/apigateway.json'];

function walk(dir, found = []) {
  for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, found);
    else found.push(path);
  }
  return found;
}

function fingerprint() {
  const hash = createHash('sha1');
  for (const path of [...SOURCE_DIRS.flatMap((d) => walk(d)), ...INPUT_FILES].sort()) {
    try {
      const s = statSync(join(ROOT, path));
      hash.update(`${path}\t${s.size}\t${s.mtimeMs}\n`);
    } catch {
      hash.update(`${path}\tmissing\n`);
    }
  }
  return hash.digest('hex');
}

function readStamp() {
  try {
    return JSON.parse(readFileSync(STAMP, 'utf8'));
  } catch {
    return undefined;
  }
}

/** dist is current: built from these very sources (and, when `clean`, without type errors) */
function current(print, clean) {
  const stamp = readStamp();
  return stamp !== undefined && stamp.fingerprint === print && (!clean || !stamp.typeErrors);
}

/** Copies a file unless the copy is already the same; writes beside it and renames, so a reader never sees half a file. */
function copy(from, to) {
  const source = readFileSync(from);
  if (existsSync(to) && readFileSync(to).equals(source)) return;
  mkdirSync(dirname(to), { recursive: true });
  const tmp = `${to}.${process.pid}.tmp`;
  copyFileSync(from, tmp);
  renameSync(tmp, to);
}

function copyAssets() {
  for (const dir of SOURCE_DIRS) {
    for (const path of walk(dir)) if (!path.endsWith('.ts')) copy(join(ROOT, path), join(DIST, path));
  }
  for (const path of COPIED_FILES) copy(join(ROOT, path), join(DIST, path));
}

function tscPath() {
  try {
    return createRequire(import.meta.url).resolve('typescript/bin/tsc');
  } catch {
    throw new Error('dist/ is missing or out of date and TypeScript (a dev dependency) is not installed: run `npm ci` with dev dependencies, then `npm run build`');
  }
}

/** Runs tsc; resolves with its exit code (0 clean, 2 type errors but output written, 1 nothing written). */
function tsc() {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [tscPath(), '-p', join(ROOT, 'tsconfig.build.json')], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.pipe(process.stderr, { end: false });
    child.on('error', reject);
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
};

async function lock() {
  mkdirSync(DIST, { recursive: true });
  for (;;) {
    try {
      mkdirSync(LOCK);
      writeFileSync(join(LOCK, 'pid'), String(process.pid));
      return;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
    }
    // Held by a build that died: taken over.
    const holder = Number(existsSync(join(LOCK, 'pid')) ? readFileSync(join(LOCK, 'pid'), 'utf8') : NaN);
    const age = Date.now() - (statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
    if ((holder && !alive(holder)) || (!holder && age > 10_000)) rmSync(LOCK, { recursive: true, force: true });
    else await sleep(200);
  }
}

/**
 * Builds dist/ unless it is current. `strict`: type errors fail (and a build that had them is not
 * current); otherwise they are printed and the emitted code is used. `force`: build even when current.
 * Resolves with the seconds the build took (0 when dist was current).
 */
export async function ensureBuilt({ strict = false, force = false } = {}) {
  if (!force && current(fingerprint(), strict)) return 0;
  await lock();
  try {
    const print = fingerprint();
    if (!force && current(print, strict)) return 0;
    const started = performance.now();
    process.stderr.write('building dist/ (tsc -p tsconfig.build.json)\n');
    const code = await tsc();
    if (code !== 0 && code !== 2) throw new Error(`tsc failed (exit code ${code}): dist/ not built`);
    copyAssets();
    writeFileSync(STAMP, `${JSON.stringify({ fingerprint: print, typeErrors: code !== 0, built: new Date().toISOString() })}\n`);
    const seconds = (performance.now() - started) / 1000;
    process.stderr.write(`built dist/ in ${seconds.toFixed(1)} s${code !== 0 ? ' (with type errors)' : ''}\n`);
    if (code !== 0 && strict) throw new Error('type errors (above): fix them, the build is strict');
    return seconds;
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

/** A file of dist/ for a path of the source tree: `src/main.ts` → `…/dist/src/main.js`. */
export function compiled(sourcePath) {
  return join(DIST, relative(ROOT, resolve(ROOT, sourcePath)).replace(/\.ts$/, '.js'));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    await ensureBuilt({ strict: true, force: !process.argv.includes('--if-stale') });
  } catch (err) {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
}
