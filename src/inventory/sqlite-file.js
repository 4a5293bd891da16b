// @ts-check
// The SQLite file as a reader holds it: opened read-only on first use, looked at before each
// statement (an open handle keeps reading a removed or replaced file's old data), prepared statements
// kept per text. Shared by the worker processes (sqlite-worker.js) and the server's own thread
// (sqlite-inline.ts). Plain JavaScript: a worker loads it without the TypeScript loader.
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';

const STATEMENT_CACHE = 200;
/**
 * SQLite's page cache, in KiB when negative (SQLite's own convention). better-sqlite3 builds SQLite
 * with 16 MB per connection; the OS caches the file anyway. 4 MB measured as fast for pages and
 * aggregates at 200,000 computers and for the fleet diagnosis at 1,000,000, and keeps the heavy
 * worker ~20 MB smaller.
 */
const PAGE_CACHE_KIB = -4000;

/**
 * Whether the file starts with a SQLite header: its magic string, a power-of-two page size and the
 * fixed payload fractions. These bytes never change in a good database, so a read racing a writer
 * cannot see them torn.
 * @param {string} path
 */
function sqliteHeader(path) {
  const h = Buffer.alloc(24);
  let fd;
  try {
    fd = openSync(path, 'r');
    if (readSync(fd, h, 0, h.length, 0) < h.length) return false;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  const pageSize = h.readUInt16BE(16);
  const pow2 = pageSize === 1 || (pageSize >= 512 && (pageSize & (pageSize - 1)) === 0);
  return h.toString('latin1', 0, 16) === 'SQLite format 3\0' && pow2 && h[21] === 64 && h[22] === 32 && h[23] === 32;
}

export class ReadonlyFile {
  /**
   * @param {string} path
   * @param {number} busyTimeoutMs how long a statement waits for a writer's lock
   */
  constructor(path, busyTimeoutMs) {
    this.path = path;
    this.busyTimeoutMs = busyTimeoutMs;
    /** @type {import('better-sqlite3').Database | undefined} */
    this.db = undefined;
    /** The open file's identity: its inode, and its birth time, since a freed inode is soon reused. */
    this.identity = '';
    /** The open file's size and modification time: when they move, its header is looked at again. */
    this.stamp = '';
    /** Counts the opens: what was learnt about one open file may not hold for the next. */
    this.generation = 0;
    /** @type {Map<string, { stmt: import('better-sqlite3').Statement; columns: string[] }>} */
    this.statements = new Map();
  }

  /** Forgets the handle and its statements; the next statement opens the file again. */
  reset() {
    this.statements.clear();
    try {
      this.db?.close();
    } catch {
      // already unusable; dropping it is all that is left to do
    }
    this.db = undefined;
  }

  /** The open database, reopened when the file was replaced; an error when it is gone. */
  connection() {
    const st = statSync(this.path, { throwIfNoEntry: false });
    if (!st) {
      this.reset();
      throw Object.assign(new Error(`unable to open database file: ${this.path} does not exist`), { code: 'SQLITE_CANTOPEN' });
    }
    const identity = `${st.ino}:${st.birthtimeMs}`;
    if (this.db && identity !== this.identity) this.reset();
    const stamp = `${st.size}:${st.mtimeMs}`;
    // A WAL reader trusts its page cache until the WAL changes: garbage written over the file in place
    // would go unnoticed, and cached rows served, for as long as no writer commits. SQLite's own
    // header check runs again once the handle is dropped.
    if (this.db && stamp !== this.stamp && !sqliteHeader(this.path)) this.reset();
    this.stamp = stamp;
    if (!this.db) {
      this.db = new Database(this.path, { readonly: true, fileMustExist: true, timeout: this.busyTimeoutMs });
      this.db.pragma(`cache_size = ${PAGE_CACHE_KIB}`);
      this.identity = identity;
      this.generation++;
    }
    return this.db;
  }

  /**
   * The statement for this text, rows as arrays (the caller maps them by column position).
   * @param {string} sql
   * @param {import('better-sqlite3').Database} open the connection, when the caller has it already
   */
  prepare(sql, open = this.connection()) {
    let entry = this.statements.get(sql);
    if (entry) {
      // Most recently used last: batch look-ups (a text per key count) must not push out the hot texts.
      this.statements.delete(sql);
    } else {
      const stmt = open.prepare(sql).raw(true);
      entry = { stmt, columns: stmt.columns().map((c) => c.name) };
      if (this.statements.size >= STATEMENT_CACHE) this.statements.delete(/** @type {string} */ (this.statements.keys().next().value));
    }
    this.statements.set(sql, entry);
    return entry;
  }

  /**
   * The schema's version: it changes when a table or index is created or dropped, and with it the plans.
   * @param {import('better-sqlite3').Database} open
   */
  schemaVersion(open) {
    return /** @type {[number]} */ (this.prepare('PRAGMA schema_version', open).stmt.get())[0];
  }

  /**
   * A failed statement: a file that cannot be read any more is opened afresh next time.
   * @param {{ code?: string }} error
   */
  failed(error) {
    if (/^SQLITE_(CANTOPEN|NOTADB|CORRUPT|IOERR)/.test(error.code ?? '')) this.reset();
  }
}
