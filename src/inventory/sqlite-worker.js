// @ts-check
// Runs the SQLite inventory's statements in a child process: better-sqlite3 is synchronous, so a slow
// aggregate or a file locked by a writer would otherwise stall every HTTP request (only statements whose plan proves
// them cheap run on the server's thread: sqlite-inline.ts). A process, not a
// worker thread, because a thread cannot be stopped while SQLite runs native code, and a process can
// be killed: that is how a statement past its timeout is stopped.
// (Plain JavaScript: the entry file must load without the TypeScript loader in tests.)
import { ReadonlyFile } from './sqlite-file.js';

/** @type {{ path: string; busyTimeoutMs: number }} */
const { path, busyTimeoutMs } = JSON.parse(process.argv[2] ?? '{}');
// Orphaned (the server died): nothing left to answer to.
process.on('disconnect', () => process.exit(0));
const file = new ReadonlyFile(path, busyTimeoutMs);
/** Statement texts by the number the parent gave them (at most 500): it sends each text once per worker. */
/** @type {Map<number, string>} */
const texts = new Map();

process.on('message', (/** @type {{ id?: number; sql?: string; params: Record<string, unknown> }} */ m) => {
  try {
    if (m.sql !== undefined && m.id !== undefined) texts.set(m.id, m.sql);
    const sql = m.sql ?? (m.id === undefined ? undefined : texts.get(m.id));
    if (sql === undefined) throw Object.assign(new Error(`statement ${m.id} was never sent`), { code: 'GATEWATCH_WORKER' });
    const { stmt, columns } = file.prepare(sql);
    reply({ columns, rows: stmt.all(m.params) });
  } catch (e) {
    const err = /** @type {{ message?: string; code?: string }} */ (e);
    file.failed(err);
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
  file.connection();
} catch {
  // reported with the first statement
}
reply({ ready: true });
