// The thread `{% sql %}` queries run on (run.ts starts it): it loads sql.js (SQLite in
// WebAssembly), builds the guide's tables in memory, makes the database read-only, then answers
// one query at a time (asked on the parent port, answered on the `answers` port) with its column names and rows, cut at the row and size limits. The main
// thread stops this thread when a query runs too long: nothing here needs to watch the clock.
// Plain JavaScript, so the same file runs from the sources and from an installed package.
import { createRequire } from 'node:module';
import { TextDecoder } from 'node:util';
import { parentPort, workerData } from 'node:worker_threads';

const { sqlJs, wasm, tables, maxRows, maxChars, heapMb, answers } = workerData;
const load = createRequire(sqlJs);

async function open() {
  const initSqlJs = load(sqlJs);
  const SQL = await initSqlJs({ locateFile: () => wasm });
  const db = new SQL.Database();
  db.run('BEGIN');
  for (const table of tables) {
    db.run(table.create);
    if (!table.rows.length) continue;
    const insert = db.prepare(`INSERT INTO ${table.name} (${table.columns.join(', ')}) VALUES (${table.columns.map(() => '?').join(', ')})`);
    for (const row of table.rows) insert.run(row);
    insert.free();
  }
  db.run('COMMIT');
  // No query may change the tables another query reads.
  db.run('PRAGMA query_only = 1');
  // A query may use heapMb of memory beyond the tables themselves: past that SQLite answers
  // "out of memory" (a string or a sort that grows without end) instead of growing the process.
  // Sorts and temporary tables stay in SQLite's memory (not in files of the WebAssembly file system), under that cap.
  db.run('PRAGMA temp_store = MEMORY');
  const pages = db.exec('PRAGMA page_count')[0].values[0][0];
  const pageSize = db.exec('PRAGMA page_size')[0].values[0][0];
  db.run(`PRAGMA hard_heap_limit = ${Math.round(2 * pages * pageSize + heapMb * 1024 * 1024)}`);
  // One small query before the first real one, so its time limit is not spent compiling SQLite's query code.
  run(db, 'SELECT Key, Name FROM Metadata ORDER BY Key LIMIT 1');
  return db;
}

/** A cell as text, as the IG Publisher reads every value: NULL stays null; blobs are UTF-8 text. */
function cell(value) {
  if (value === null || value === undefined) return null;
  if (value instanceof Uint8Array) return new TextDecoder().decode(value);
  return String(value);
}

function run(db, query) {
  const statement = db.prepare(query);
  try {
    const columns = statement.getColumnNames();
    const rows = [];
    let chars = 0;
    let truncated = false;
    while (statement.step()) {
      if (rows.length >= maxRows) {
        truncated = true;
        break;
      }
      const row = statement.get().map(cell);
      chars += row.reduce((n, v) => n + (v === null ? 0 : v.length), 0);
      if (chars > maxChars) {
        truncated = true;
        break;
      }
      rows.push(row);
    }
    return { ok: true, columns, rows, truncated };
  } finally {
    statement.free();
  }
}

open().then(
  db => {
    parentPort.on('message', job => {
      // The query's time limit starts now, on the main thread.
      answers.postMessage({ id: job.id, started: true });
      let reply;
      try {
        reply = { id: job.id, ...run(db, job.query) };
      } catch (e) {
        reply = { id: job.id, ok: false, error: e instanceof Error ? e.message : String(e) };
      }
      answers.postMessage(reply);
    });
    parentPort.postMessage({ ready: true });
  },
  e => parentPort.postMessage({ ready: false, error: e instanceof Error ? e.message : String(e) })
);
