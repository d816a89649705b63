/**
 * Work on a second thread. An entry is a module under scripts/ that does the one job posted to
 * it and posts one message back (`serve`). Run from the precompiled CLI, the entry is its bundle in dist/
 * (bin/bundle.mjs builds one per entry in `THREAD_ENTRIES`); run from the sources (tsx, vitest),
 * the thread loads the TypeScript through tsx, as bin/vm-ig.js does.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, type MessagePort } from 'node:worker_threads';
import { BUNDLE_DIR, TOOLCHAIN_ROOT, toolchainRequire } from './toolchain-files.ts';
import { errorCode, errorMessage } from './errors.ts';

/** Entry name -> source file under scripts/; dist/{name}.js is its bundle. */
export const THREAD_ENTRIES = { 'validate-thread': 'stages/validate/thread.ts' } as const;
export type ThreadEntry = keyof typeof THREAD_ENTRIES;

/** A job's answer: the value, or the error it threw (its errno fields kept, for I/O diagnostics). */
export type ThreadReply<T> = { ok: true; value: T } | { ok: false; error: { message: string; stack?: string; code?: string; syscall?: string; path?: string } };

/**
 * Run `entry`'s job on a new thread and resolve with the value it posts. The young generation
 * gets the same room as the main thread's (util/runtime.ts). A job that throws, or a thread that
 * dies, rejects.
 */
export function runOnThread<T>(entry: ThreadEntry, job: unknown): Promise<T> {
  const worker = newWorker(entry);
  return new Promise<T>((resolve, reject) => {
    worker.once('message', (reply: ThreadReply<T>) => {
      void worker.terminate();
      if (reply.ok) resolve(reply.value);
      else reject(Object.assign(new Error(reply.error.message), reply.error));
    });
    worker.once('error', reject);
    worker.once('exit', code => reject(new Error(`the ${entry} thread stopped (exit code ${code}) before it answered`)));
    worker.postMessage(job);
  });
}

function newWorker(entry: ThreadEntry): Worker {
  const resourceLimits = { maxYoungGenerationSizeMb: 192 };
  if (BUNDLE_DIR) return new Worker(join(BUNDLE_DIR, `${entry}.js`), { resourceLimits });
  // From the sources: register tsx in the thread, then load the entry's TypeScript.
  const tsx = pathToFileURL(tsxEsmApi()).href;
  const file = pathToFileURL(join(TOOLCHAIN_ROOT, 'scripts', THREAD_ENTRIES[entry])).href;
  const boot = `import(${JSON.stringify(tsx)}).then(m => { m.register(); return import(${JSON.stringify(file)}); });`;
  return new Worker(boot, { eval: true, resourceLimits });
}

/** tsx's ES module API (its `register`), by its package's exports: the CommonJS one cannot register hooks in a thread. */
function tsxEsmApi(): string {
  const manifest = toolchainRequire.resolve('tsx/package.json');
  const json: unknown = JSON.parse(readFileSync(manifest, 'utf8'));
  const api = memberAt(json, ['exports', './esm/api', 'import', 'default']);
  if (typeof api !== 'string') throw new Error(`${manifest} names no ES module API (exports['./esm/api'].import.default)`);
  return join(dirname(manifest), api);
}

/** The member of parsed JSON at `path` (object keys), or undefined when one is missing. */
function memberAt(json: unknown, path: readonly string[]): unknown {
  let at = json;
  for (const key of path) at = typeof at === 'object' && at !== null ? Object.entries(at).find(([k]) => k === key)?.[1] : undefined;
  return at;
}

/** For entries: answer the one job posted to this thread with what `job` returns or throws. */
export function serve<J, R>(port: MessagePort | null, job: (data: J) => R | Promise<R>): void {
  if (!port) throw new Error('not started as a thread');
  port.once('message', (posted: J) => void answer(port, async () => job(posted)));
}

async function answer<T>(port: MessagePort, job: () => Promise<T>): Promise<void> {
  let reply: ThreadReply<T>;
  try {
    reply = { ok: true, value: await job() };
  } catch (e) {
    const err: object = typeof e === 'object' && e !== null ? e : {};
    const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
    reply = {
      ok: false,
      error: {
        message: errorMessage(e),
        stack: 'stack' in err ? text(err.stack) : undefined,
        code: errorCode(e),
        syscall: 'syscall' in err ? text(err.syscall) : undefined,
        path: 'path' in err ? text(err.path) : undefined
      }
    };
  }
  port.postMessage(reply);
}
