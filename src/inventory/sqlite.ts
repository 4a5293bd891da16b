// better-sqlite3 driver: the embedded demo inventory, or any SQLite file holding the contract tables.
// Opened read-only and lazily, so a missing or locked file is an error per query, retried on the next
// one, never a crash.
import Database from 'better-sqlite3';
import type { BoundParam, Driver, QueryResult } from './driver.js';
import type { InventoryErrorCode } from './errors.js';

const STATEMENT_CACHE = 200;

export interface SqliteOptions {
  path: string;
  /** How long a statement waits for a writer's lock before failing (ms). */
  busyTimeoutMs?: number;
}

export class SqliteDriver implements Driver {
  readonly dialect = 'sqlite' as const;
  readonly description: string;
  private db: Database.Database | undefined;
  private readonly statements = new Map<string, Database.Statement>();

  constructor(private readonly options: SqliteOptions) {
    this.description = `sqlite:${options.path}`;
  }

  async query(sql: string, params: readonly BoundParam[]): Promise<QueryResult> {
    const stmt = this.prepare(sql);
    const rows = stmt.all(toSqliteParams(params)) as Record<string, unknown>[];
    return { rows, columns: stmt.columns().map((c) => c.name) };
  }

  classify(error: unknown): { code: InventoryErrorCode; message: string } {
    const code = (error as { code?: string }).code ?? '';
    const message = error instanceof Error ? error.message : String(error);
    if (/no such (table|column)/.test(message)) return { code: 'DATASET_UNAVAILABLE', message };
    if (/^SQLITE_(CANTOPEN|NOTADB|CORRUPT|IOERR|READONLY_DBMOVED)/.test(code) || /unable to open|directory does not exist/.test(message)) {
      this.reset();
      return { code: 'UNREACHABLE', message: `cannot read SQLite inventory ${this.options.path}: ${message}` };
    }
    if (/^SQLITE_(BUSY|LOCKED)/.test(code)) return { code: 'TIMEOUT', message: `SQLite inventory is locked: ${message}` };
    return { code: 'QUERY_FAILED', message };
  }

  async close(): Promise<void> {
    this.reset();
  }

  private prepare(sql: string): Database.Statement {
    let stmt = this.statements.get(sql);
    if (stmt) return stmt;
    stmt = this.open().prepare(sql);
    if (this.statements.size >= STATEMENT_CACHE) this.statements.delete(this.statements.keys().next().value!);
    this.statements.set(sql, stmt);
    return stmt;
  }

  private open(): Database.Database {
    if (!this.db) {
      this.db = new Database(this.options.path, { readonly: true, fileMustExist: true, timeout: this.options.busyTimeoutMs ?? 2000 });
    }
    return this.db;
  }

  private reset(): void {
    this.statements.clear();
    try {
      this.db?.close();
    } catch {
      // already unusable; dropping it is all that is left to do
    }
    this.db = undefined;
  }
}

/** SQLite has no boolean or date type: 1/0 and ISO-8601 UTC text, as the demo stores them. */
export function toSqliteParams(params: readonly BoundParam[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of params) {
    const v = p.value;
    out[p.name] = typeof v === 'boolean' ? (v ? 1 : 0) : v instanceof Date ? v.toISOString() : p.type === 'guid' && typeof v === 'string' ? v.toUpperCase() : v;
  }
  return out;
}
