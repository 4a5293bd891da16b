// better-sqlite3 driver: the embedded demo inventory, or any SQLite file holding the contract tables.
// Statements run in a worker thread (sqlite-worker.js), read-only; a statement past its timeout is
// stopped by terminating the worker, which the next statement starts again. A missing, replaced or
// locked file is an error per statement, never a crash.
import { Worker } from 'node:worker_threads';
import type { BoundParam, Driver, QueryResult } from './driver.js';
import type { InventoryErrorCode } from './errors.js';

export interface SqliteOptions {
  path: string;
  /** How long one statement may run, including waiting for a writer's lock (ms). */
  timeoutMs?: number;
}

interface Pending {
  resolve: (r: QueryResult) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

interface Reply {
  id: number;
  rows?: Record<string, unknown>[];
  columns?: string[];
  error?: { message: string; code: string };
}

class SqliteFailure extends Error {
  constructor(message: string, readonly code: string) {
    super(message);
  }
}

const WORKER = new URL('./sqlite-worker.js', import.meta.url);

export class SqliteDriver implements Driver {
  readonly dialect = 'sqlite' as const;
  readonly description: string;
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private readonly timeoutMs: number;

  constructor(private readonly options: SqliteOptions) {
    this.description = `sqlite:${options.path}`;
    this.timeoutMs = options.timeoutMs ?? 5000;
  }

  query(sql: string, params: readonly BoundParam[]): Promise<QueryResult> {
    const worker = this.spawn();
    const id = this.nextId++;
    return new Promise<QueryResult>((resolve, reject) => {
      const timer = setTimeout(
        () => this.restart(id, new SqliteFailure(`statement exceeded the ${this.timeoutMs} ms timeout`, 'GATEWATCH_TIMEOUT')),
        this.timeoutMs,
      );
      this.pending.set(id, { resolve, reject, timer });
      worker.ref();
      worker.postMessage({ id, sql, params: toSqliteParams(params) });
    });
  }

  classify(error: unknown): { code: InventoryErrorCode; message: string } {
    const code = (error as { code?: string }).code ?? '';
    const message = error instanceof Error ? error.message : String(error);
    if (code === 'GATEWATCH_TIMEOUT') return { code: 'TIMEOUT', message };
    if (/no such (table|column)/.test(message)) return { code: 'DATASET_UNAVAILABLE', message };
    if (/^SQLITE_(CANTOPEN|NOTADB|CORRUPT|IOERR|READONLY_DBMOVED)/.test(code) || code === 'GATEWATCH_WORKER') {
      return { code: 'UNREACHABLE', message: `cannot read SQLite inventory ${this.options.path}: ${message}` };
    }
    if (/^SQLITE_(BUSY|LOCKED)/.test(code)) return { code: 'TIMEOUT', message: `SQLite inventory is locked by a writer: ${message}` };
    return { code: 'QUERY_FAILED', message };
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.failAll(new SqliteFailure('inventory closed', 'GATEWATCH_WORKER'));
    await worker?.terminate();
  }

  private spawn(): Worker {
    if (this.worker) return this.worker;
    // A writer's lock is waited for inside the statement's own time budget.
    const busyTimeoutMs = Math.max(50, Math.floor(this.timeoutMs / 2));
    const worker = new Worker(WORKER, { workerData: { path: this.options.path, busyTimeoutMs } });
    worker.on('message', (reply: Reply) => {
      const p = this.pending.get(reply.id);
      if (!p) return;
      this.settle(reply.id);
      if (reply.error) p.reject(new SqliteFailure(reply.error.message, reply.error.code));
      else p.resolve({ rows: reply.rows ?? [], columns: reply.columns ?? [] });
    });
    worker.on('error', (e) => {
      if (this.worker === worker) this.worker = undefined;
      this.failAll(new SqliteFailure(`SQLite worker failed: ${e.message}`, 'GATEWATCH_WORKER'));
    });
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = undefined;
    });
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private settle(id: number): void {
    const p = this.pending.get(id);
    if (p) clearTimeout(p.timer);
    this.pending.delete(id);
    // An idle worker must not keep the process alive; a busy one must, or awaited queries would be lost.
    if (this.pending.size === 0) this.worker?.unref();
  }

  /** Stops a statement past its timeout: only terminating its thread stops SQLite mid-statement. */
  private restart(id: number, reason: Error): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.settle(id);
    p.reject(reason);
    const worker = this.worker;
    this.worker = undefined;
    this.failAll(new SqliteFailure('statement was queued behind one that exceeded its timeout', 'GATEWATCH_TIMEOUT'));
    void worker?.terminate();
  }

  private failAll(reason: Error): void {
    for (const [id, p] of [...this.pending]) {
      this.settle(id);
      p.reject(reason);
    }
  }
}

/** SQLite has no boolean or date type: 1/0 and ISO-8601 UTC text, as the demo stores them. */
export function toSqliteParams(params: readonly BoundParam[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of params) {
    const v = p.value;
    out[p.name] =
      typeof v === 'boolean' ? (v ? 1 : 0) : v instanceof Date ? v.toISOString() : p.type === 'guid' && typeof v === 'string' ? v.toUpperCase() : v;
  }
  return out;
}
