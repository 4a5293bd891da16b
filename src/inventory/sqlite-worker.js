// @ts-check
// Runs the SQLite inventory's statements off the main thread: better-sqlite3 is synchronous, so a slow
// aggregate or a file locked by a writer would otherwise stall every HTTP request, and a statement past
// its timeout could not be stopped. The main thread terminates this worker to stop one.
// (Plain JavaScript because a worker's entry file must load without the TypeScript loader in tests.)
import { statSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

/** @type {{ path: string; busyTimeoutMs: number }} */
const { path, busyTimeoutMs } = workerData;
/** @type {import('better-sqlite3').Database | undefined} */
let db;
let inode = 0;
/** @type {Map<string, import('better-sqlite3').Statement>} */
const statements = new Map();
const STATEMENT_CACHE = 200;

function reset() {
  statements.clear();
  try {
    db?.close();
  } catch {
    // already unusable; dropping it is all that is left to do
  }
  db = undefined;
}

/** The open database, reopened when the file was replaced; an error when it is gone. */
function connection() {
  // An open handle keeps reading a removed or replaced file's old data: look at the path each time.
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st) {
    reset();
    throw Object.assign(new Error(`unable to open database file: ${path} does not exist`), { code: 'SQLITE_CANTOPEN' });
  }
  if (db && st.ino !== inode) reset();
  if (!db) {
    db = new Database(path, { readonly: true, fileMustExist: true, timeout: busyTimeoutMs });
    inode = st.ino;
  }
  return db;
}

/** @param {string} sql */
function prepare(sql) {
  const open = connection();
  let stmt = statements.get(sql);
  if (!stmt) {
    stmt = open.prepare(sql);
    if (statements.size >= STATEMENT_CACHE) statements.delete(/** @type {string} */ (statements.keys().next().value));
    statements.set(sql, stmt);
  }
  return stmt;
}

parentPort?.on('message', (/** @type {{ id: number; sql: string; params: Record<string, unknown> }} */ m) => {
  try {
    const stmt = prepare(m.sql);
    const rows = stmt.all(m.params);
    parentPort?.postMessage({ id: m.id, rows, columns: stmt.columns().map((c) => c.name) });
  } catch (e) {
    const err = /** @type {{ message?: string; code?: string }} */ (e);
    if (/^SQLITE_(CANTOPEN|NOTADB|CORRUPT|IOERR)/.test(err.code ?? '')) reset();
    parentPort?.postMessage({ id: m.id, error: { message: err.message ?? String(e), code: err.code ?? '' } });
  }
});
