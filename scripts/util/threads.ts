/**
 * Work on a second thread. An entry is a module under scripts/ that answers each job posted to it
 * (`serve`): `runOnThread` starts a thread for one job, a `KeptThread` keeps one loaded for many
 * (a dev session's validator, loaded once). Run from the precompiled CLI, the entry is its bundle in dist/
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
 * Run `entry`'s job on a new thread and resolve with the value it posts; the thread ends then. A
 * job that throws, or a thread that dies, rejects.
 */
export async function runOnThread<T>(entry: ThreadEntry, job: unknown): Promise<T> {
  const thread = new KeptThread(entry);
  try {
    return await thread.run<T>(job);
  } finally {
    await thread.close();
  }
}

/**
 * One thread of `entry` that answers jobs in the order they are posted and stays loaded between
 * them, started by the first. While no job is waiting it does not keep the process alive. A
 * thread that dies rejects the jobs it had; the next job starts a new one.
 */
export class KeptThread {
  private worker?: Worker;
  private nextId = 0;
  /** The jobs posted and not yet answered: how each fails if the thread is lost. */
  private readonly waiting = new Map<number, (e: Error) => void>();

  constructor(readonly entry: ThreadEntry) {}

  run<T>(job: unknown): Promise<T> {
    const worker = (this.worker ??= this.start());
    const id = this.nextId++;
    worker.ref();
    return new Promise<T>((resolve, reject) => {
      const onAnswer = (answer: Answer<T>) => {
        if (answer.id !== id) return;
        worker.off('message', onAnswer);
        this.waiting.delete(id);
        if (this.waiting.size === 0) worker.unref();
        if (answer.reply.ok) resolve(answer.reply.value);
        else reject(Object.assign(new Error(answer.reply.error.message), answer.reply.error));
      };
      worker.on('message', onAnswer);
      this.waiting.set(id, reject);
      worker.postMessage({ id, job } satisfies PostedJob<unknown>);
    });
  }

  /** End the thread (jobs still waiting reject). */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.failAll(new Error(`the ${this.entry} thread was closed before it answered`));
    await worker?.terminate();
  }

  private start(): Worker {
    const worker = newWorker(this.entry);
    worker.on('error', e => this.lost(worker, e));
    worker.on('exit', code => this.lost(worker, new Error(`the ${this.entry} thread stopped (exit code ${code}) before it answered`)));
    return worker;
  }

  private lost(worker: Worker, e: Error): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    this.failAll(e);
  }

  private failAll(e: Error): void {
    for (const reject of this.waiting.values()) reject(e);
    this.waiting.clear();
  }
}

/** The kept threads of one owner (a run of the stages, a dev session), one per entry, closed together. */
export class KeptThreads {
  private readonly threads = new Map<ThreadEntry, KeptThread>();

  get(entry: ThreadEntry): KeptThread {
    let thread = this.threads.get(entry);
    if (!thread) this.threads.set(entry, (thread = new KeptThread(entry)));
    return thread;
  }

  async close(): Promise<void> {
    const all = [...this.threads.values()];
    this.threads.clear();
    await Promise.all(all.map(t => t.close()));
  }
}

interface PostedJob<J> {
  id: number;
  job: J;
}

interface Answer<T> {
  id: number;
  reply: ThreadReply<T>;
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

/**
 * For entries: answer each job posted to this thread with what `job` returns or throws, one at a
 * time in the order they came.
 */
export function serve<J, R>(port: MessagePort | null, job: (data: J) => R | Promise<R>): void {
  if (!port) throw new Error('not started as a thread');
  let queue = Promise.resolve();
  port.on('message', (posted: PostedJob<J>) => {
    queue = queue.then(() => answer(port, posted.id, async () => job(posted.job)));
  });
}

async function answer<T>(port: MessagePort, id: number, job: () => Promise<T>): Promise<void> {
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
  port.postMessage({ id, reply } satisfies Answer<T>);
}
