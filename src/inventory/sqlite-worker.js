// @ts-check
// Runs the SQLite inventory's statements in a child process: better-sqlite3 is synchronous, so a slow
// aggregate or a file locked by a writer would otherwise stall every HTTP request. A process, not a
// worker thread, because a thread cannot be stopped while SQLite runs native code, and a process can
// be killed: that is how a statement past its timeout is stopped.
// (Plain JavaScript: the entry file must load without the TypeScript loader in tests.)
import { statSync } from 'node:fs';
import Database from 'better-sqlite3';

/** @type {{ path: string; busyTimeoutMs: number }} */
const { path, busyTimeoutMs } = JSON.parse(process.argv[2] ?? '{}');
// Orphaned (the server died): nothing left to answer to.
process.on('disconnect', () => process.exit(0));
/** @type {import('better-sqlite3').Database | undefined} */
let db;
let inode = 0;
/** @type {Map<string, { stmt: import('better-sqlite3').Statement; columns: string[] }>} */
const statements = new Map();
/** Statement texts by the number the parent gave them (at most 500): it sends each text once per worker. */
/** @type {Map<number, string>} */
const texts = new Map();
const STATEMENT_CACHE = 200;
/** SQLite's page cache, in KiB when negative (SQLite's own convention). */
const PAGE_CACHE_KIB = -4000;

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
    // better-sqlite3 builds SQLite with a 16 MB page cache per connection. The OS caches the file
    // anyway: 4 MB measured as fast for pages and aggregates at 200,000 computers and for the fleet
    // diagnosis at 1,000,000, and keeps the heavy worker ~20 MB smaller.
    db.pragma(`cache_size = ${PAGE_CACHE_KIB}`);
    inode = st.ino;
  }
  return db;
}

/** @param {string} sql */
function prepare(sql) {
  const open = connection();
  let entry = statements.get(sql);
  if (!entry) {
    // Rows as arrays: the parent maps them by column position, and arrays are cheaper to send.
    const stmt = open.prepare(sql).raw(true);
    entry = { stmt, columns: stmt.columns().map((c) => c.name) };
    if (statements.size >= STATEMENT_CACHE) statements.delete(/** @type {string} */ (statements.keys().next().value));
    statements.set(sql, entry);
  }
  return entry;
}

process.on('message', (/** @type {{ id?: number; sql?: string; params: Record<string, unknown> }} */ m) => {
  try {
    if (m.sql !== undefined && m.id !== undefined) texts.set(m.id, m.sql);
    const sql = m.sql ?? (m.id === undefined ? undefined : texts.get(m.id));
    if (sql === undefined) throw Object.assign(new Error(`statement ${m.id} was never sent`), { code: 'GATEWATCH_WORKER' });
    const { stmt, columns } = prepare(sql);
    reply({ columns, rows: stmt.all(m.params) });
  } catch (e) {
    const err = /** @type {{ message?: string; code?: string }} */ (e);
    if (/^SQLITE_(CANTOPEN|NOTADB|CORRUPT|IOERR)/.test(err.code ?? '')) reset();
    reply({ error: { message: err.message ?? String(e), code: err.code ?? '' } });
  }
});

/**
 * Answers the server; when it is gone (it shut down while this statement ran) there is no one to
 * answer, and the worker leaves quietly instead of dying on an unhandled channel error.
 * @param {unknown} message
 */
function reply(message) {
  if (!process.connected) process.exit(0);
  process.send?.(message, undefined, {}, (error) => {
    if (error) process.exit(0);
  });
}

// Warm: SQLite is loaded (and the file opened, if it is there) before the parent times a statement.
try {
  connection();
} catch {
  // reported with the first statement
}
reply({ ready: true });
