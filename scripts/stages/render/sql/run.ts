/**
 * Runs `{% sql %}` queries against the guide's tables on a thread of their own
 * (query-thread.mjs, SQLite by sql.js), one at a time, each within a time limit: a query that
 * runs longer (a recursive CTE that never ends) has its thread stopped, and the queries after it
 * get a new thread. All the queries of a build share a total time, and every answer is cut at a
 * number of rows and of characters, and SQLite's memory is capped. Nothing here is loaded unless a page has a sql tag.
 */
import { join } from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { TOOLCHAIN_FILES, toolchainRequire } from '../../../util/toolchain-files.ts';
import type { TableData } from './tables.ts';
import { isObjectLike } from '../guards.ts';

export interface SqlLimits {
  /** Milliseconds one query may run. */
  queryMs: number;
  /** Milliseconds all the queries of a build may run together. */
  totalMs: number;
  /** Milliseconds to load SQLite and the tables. */
  setupMs: number;
  maxRows: number;
  /** Characters of all the cells of one answer. */
  maxChars: number;
  /** Megabytes of SQLite memory a query may use beyond the tables. */
  heapMb: number;
}

export const SQL_LIMITS: SqlLimits = { queryMs: 2_000, totalMs: 10_000, setupMs: 30_000, maxRows: 10_000, maxChars: 2_000_000, heapMb: 256 };

export type QueryResult = { ok: true; columns: string[]; rows: (string | null)[][]; truncated: boolean } | { ok: false; error: string; stopped?: boolean };

const THREAD_FILE = join(TOOLCHAIN_FILES.scripts, 'stages', 'render', 'sql', 'query-thread.mjs');

/** Each query's answer, in order. */
export async function runQueries(tables: readonly TableData[], queries: readonly string[], limits: SqlLimits = SQL_LIMITS): Promise<QueryResult[]> {
  const results: QueryResult[] = [];
  const deadline = performance.now() + limits.totalMs;
  let session: Session | undefined;
  try {
    for (const [id, query] of queries.entries()) {
      const left = deadline - performance.now();
      if (left <= 0) {
        results.push({ ok: false, error: `not run: all the queries of a build may take ${limits.totalMs / 1000} s together, and that time is used up` });
        continue;
      }
      try {
        session ??= await Session.start(tables, limits);
      } catch (e) {
        results.push({ ok: false, error: `the SQL database could not be made: ${e instanceof Error ? e.message : String(e)}` });
        continue;
      }
      const ms = Math.min(limits.queryMs, left);
      const answer = await session.ask(id, query, ms, limits.setupMs);
      if (answer === undefined || session.dead) {
        await session.close();
        session = undefined;
      }
      results.push(
        answer ?? {
          ok: false,
          stopped: true,
          error:
            ms < limits.queryMs
              ? `stopped after ${Math.round(ms)} ms: the build's SQL time is used up`
              : `the query ran longer than ${limits.queryMs / 1000} s and was stopped`
        }
      );
    }
  } finally {
    await session?.close();
  }
  return results;
}

/** The thread has taken query `id` up: its time starts now. */
type Started = { id: number; started: true };
type Reply = { id: number; ok: true; columns: string[]; rows: (string | null)[][]; truncated: boolean } | { id: number; ok: false; error: string };

/** A message of the answers port: everything the thread posts there names its query by number. */
function isAnswer(message: unknown): message is Reply | Started {
  return isObjectLike(message) && typeof message.id === 'number';
}

/** One query thread with the tables loaded. */
class Session {
  dead = false;
  private constructor(
    private readonly worker: Worker,
    /** Answers come on this port, so one that arrived can be read when the timer fires first (a busy main thread). */
    private readonly answers: MessagePort
  ) {
    // A thread that fails between queries is only marked: the next question starts a new one.
    worker.on('error', () => (this.dead = true));
  }

  static start(tables: readonly TableData[], limits: SqlLimits): Promise<Session> {
    const { port1: answers, port2 } = new MessageChannel();
    const worker = new Worker(THREAD_FILE, {
      transferList: [port2],
      workerData: {
        answers: port2,
        sqlJs: toolchainRequire.resolve('sql.js'),
        wasm: toolchainRequire.resolve('sql.js/dist/sql-wasm.wasm'),
        tables,
        maxRows: limits.maxRows,
        maxChars: limits.maxChars,
        heapMb: limits.heapMb
      },
      resourceLimits: { maxOldGenerationSizeMb: 512 }
    });
    return new Promise<Session>((resolve, reject) => {
      const onMessage = (m: { ready: boolean; error?: string }) =>
        m.ready ? settle() && resolve(new Session(worker, answers)) : fail(m.error ?? 'the query thread did not start');
      const onError = (e: Error) => fail(e.message);
      const onExit = (code: number) => fail(`the query thread stopped (exit code ${code})`);
      const timer = setTimeout(() => fail(`loading took longer than ${limits.setupMs / 1000} s`), limits.setupMs);
      // Only this promise's own listeners are removed: the Worker keeps internal ones of its own.
      const settle = () => {
        clearTimeout(timer);
        worker.off('message', onMessage).off('error', onError).off('exit', onExit);
        return true;
      };
      const fail = (why: string) => {
        settle();
        answers.close();
        void worker.terminate();
        reject(new Error(why));
      };
      worker.once('message', onMessage).once('error', onError).once('exit', onExit);
    });
  }

  /**
   * The query's answer, or undefined when it ran longer than `ms` (the thread is then stopped).
   * The time counts from when the thread takes the query up (it says so first): a thread's first
   * message can wait a few hundred milliseconds after it is ready. Taking it up is bounded too.
   */
  ask(id: number, query: string, ms: number, pickUpMs: number): Promise<QueryResult | undefined> {
    return new Promise(resolve => {
      let timer: NodeJS.Timeout;
      const handle = (reply: Reply | Started): 'done' | 'started' | undefined => {
        if (reply.id !== id) return undefined;
        if ('started' in reply) {
          clearTimeout(timer);
          timer = setTimeout(expire, ms);
          return 'started';
        }
        const { id: _id, ...result } = reply;
        done(result);
        return 'done';
      };
      // What came while the main thread was busy counts: it is read before giving up.
      const expire = () => {
        let started = false;
        for (let waiting = receiveMessageOnPort(this.answers); waiting; waiting = receiveMessageOnPort(this.answers)) {
          const message: unknown = waiting.message;
          const seen = isAnswer(message) ? handle(message) : undefined;
          if (seen === 'done') return;
          if (seen === 'started') started = true;
        }
        if (started) return;
        this.dead = true;
        done(undefined);
      };
      const onError = (e: Error) => {
        this.dead = true;
        done({ ok: false, error: `the query thread failed: ${e.message}` });
      };
      const onExit = (code: number) => {
        this.dead = true;
        done({ ok: false, error: `the query thread stopped (exit code ${code})` });
      };
      const done = (result: QueryResult | undefined) => {
        clearTimeout(timer);
        this.answers.off('message', handle);
        this.worker.off('error', onError).off('exit', onExit);
        resolve(result);
      };
      timer = setTimeout(expire, pickUpMs);
      this.answers.on('message', handle);
      this.worker.on('error', onError).on('exit', onExit);
      this.worker.postMessage({ id, query });
    });
  }

  async close(): Promise<void> {
    this.dead = true;
    this.answers.close();
    await this.worker.terminate();
  }
}
