// better-sqlite3 driver: the embedded demo inventory, or any SQLite file holding the contract tables.
// Statements run read-only in a small pool of child processes (sqlite-worker.js), one statement per
// worker at a time, so a statement's timeout counts from when it starts, not from when it queued.
// A statement past its timeout is stopped by killing its worker; the others carry on.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BoundParam, Driver, QueryResult } from './driver.js';
import type { InventoryErrorCode } from './errors.js';

export interface SqliteOptions {
  path: string;
  /** How long one statement may run, including waiting for a writer's lock (ms). */
  timeoutMs?: number;
  /** Worker processes, i.e. statements that run at once. */
  workers?: number;
}

interface Job {
  sql: string;
  params: Record<string, unknown>;
  resolve: (r: QueryResult) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: ChildProcess;
  job?: Job;
  timer?: NodeJS.Timeout;
}

interface Reply {
  rows?: Record<string, unknown>[];
  columns?: string[];
  error?: { message: string; code: string };
}

class SqliteFailure extends Error {
  constructor(message: string, readonly code: string) {
    super(message);
  }
}

const WORKER = fileURLToPath(new URL('./sqlite-worker.js', import.meta.url));

export class SqliteDriver implements Driver {
  readonly dialect = 'sqlite' as const;
  readonly description: string;
  private readonly slots = new Set<Slot>();
  private readonly queue: Job[] = [];
  private readonly timeoutMs: number;
  private readonly size: number;

  constructor(private readonly options: SqliteOptions) {
    this.description = `sqlite:${options.path}`;
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.size = Math.max(1, options.workers ?? 2);
  }

  query(sql: string, params: readonly BoundParam[]): Promise<QueryResult> {
    return new Promise<QueryResult>((resolve, reject) => {
      this.queue.push({ sql, params: toSqliteParams(params), resolve, reject });
      this.dispatch();
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
    const closed = new SqliteFailure('inventory closed', 'GATEWATCH_WORKER');
    for (const job of this.queue.splice(0)) job.reject(closed);
    await Promise.all([...this.slots].map((slot) => this.retire(slot, closed)));
  }

  private dispatch(): void {
    while (this.queue.length) {
      const slot = [...this.slots].find((s) => !s.job) ?? (this.slots.size < this.size ? this.spawn() : undefined);
      if (!slot) return;
      const job = this.queue.shift()!;
      slot.job = job;
      slot.timer = setTimeout(() => {
        void this.retire(slot, new SqliteFailure(`statement exceeded the ${this.timeoutMs} ms timeout`, 'GATEWATCH_TIMEOUT'));
        this.dispatch();
      }, this.timeoutMs);
      // A busy worker keeps the process alive until its answer arrives; an idle one must not.
      hold(slot.worker, true);
      slot.worker.send({ sql: job.sql, params: job.params });
    }
  }

  private spawn(): Slot {
    // A writer's lock is waited for inside the statement's own time budget.
    const busyTimeoutMs = Math.max(50, Math.floor(this.timeoutMs / 2));
    const args = [JSON.stringify({ path: this.options.path, busyTimeoutMs })];
    // Plain JavaScript needs none of our loader flags; 'advanced' serialization carries bigint too.
    const slot: Slot = { worker: fork(WORKER, args, { execArgv: [], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }) };
    slot.worker.on('message', (reply: Reply) => {
      const job = this.finish(slot);
      if (reply.error) job?.reject(new SqliteFailure(reply.error.message, reply.error.code));
      else job?.resolve({ rows: reply.rows ?? [], columns: reply.columns ?? [] });
      this.dispatch();
    });
    slot.worker.on('error', (e) => {
      void this.retire(slot, new SqliteFailure(`SQLite worker failed: ${e.message}`, 'GATEWATCH_WORKER'));
      this.dispatch();
    });
    slot.worker.on('exit', () => {
      if (this.slots.delete(slot)) this.finish(slot)?.reject(new SqliteFailure('SQLite worker exited', 'GATEWATCH_WORKER'));
      this.dispatch();
    });
    hold(slot.worker, false);
    this.slots.add(slot);
    return slot;
  }

  /** The slot's job, now detached from it; the slot is idle again. */
  private finish(slot: Slot): Job | undefined {
    const job = slot.job;
    clearTimeout(slot.timer);
    slot.job = undefined;
    slot.timer = undefined;
    hold(slot.worker, false);
    return job;
  }

  /** Fails the slot's statement and kills its worker: only that stops SQLite mid-statement. */
  private async retire(slot: Slot, reason: Error): Promise<void> {
    if (!this.slots.delete(slot)) return;
    this.finish(slot)?.reject(reason);
    if (slot.worker.exitCode !== null || slot.worker.signalCode !== null) return;
    const exited = new Promise((resolve) => slot.worker.once('exit', resolve));
    hold(slot.worker, true); // until it has exited, or close() would return into an empty event loop
    slot.worker.kill('SIGKILL');
    await exited;
  }
}

/** Whether a worker process (and its IPC channel) keeps this process alive. */
function hold(worker: ChildProcess, busy: boolean): void {
  const channel = worker.channel as { ref(): void; unref(): void } | null | undefined;
  if (busy) {
    worker.ref();
    channel?.ref();
  } else {
    worker.unref();
    channel?.unref();
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
