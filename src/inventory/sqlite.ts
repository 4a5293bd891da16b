// better-sqlite3 driver: the embedded demo inventory, or any SQLite file holding the contract tables.
// Statements run read-only in worker processes (sqlite-lane.ts), in two lanes with their own workers
// and queues: keyed look-ups and pages never wait behind aggregates. A light statement whose plan
// proves it cheap runs on the calling thread instead (sqlite-inline.ts), unless `inline` is false.
import { cancelled, type BoundParam, type Driver, type QueryOptions, type QueryResult } from './driver.js';
import { refusalCode, type InventoryErrorCode } from './errors.js';
import { InlineReader } from './sqlite-inline.js';
import { WorkerLane } from './sqlite-lane.js';
import { TurnPacer } from './turn-pace.js';

export interface SqliteOptions {
  path: string;
  /** How long one statement may run once a worker has it, including waiting for a writer's lock (ms). */
  timeoutMs?: number;
  /** How long a statement may wait for a free worker before it is answered BUSY (ms; default: timeoutMs). */
  queueTimeoutMs?: number;
  /** Worker processes for light statements (look-ups, pages). */
  workers?: number;
  /** Worker processes for heavy statements (aggregates, full scans). */
  heavyWorkers?: number;
  /** Run provably cheap light statements on the calling thread (default true; tests of the light workers turn it off). */
  inline?: boolean;
  /** How long such a statement may read on the calling thread before a worker takes it over (ms; default 10). */
  inlineBudgetMs?: number;
  /** When such statements wait for the event loop's next turn (turn-pace.ts; tests give one with a budget of 0). */
  pacer?: TurnPacer;
}

export class SqliteDriver implements Driver {
  readonly dialect = 'sqlite' as const;
  readonly description: string;
  readonly lanes: { light: WorkerLane; heavy: WorkerLane };
  readonly inline: InlineReader | undefined;
  readonly pacer: TurnPacer;
  private readonly timeoutMs: number;

  constructor(private readonly options: SqliteOptions) {
    this.description = `sqlite:${options.path}`;
    this.timeoutMs = options.timeoutMs ?? 5000;
    const common = {
      path: options.path,
      timeoutMs: this.timeoutMs,
      queueTimeoutMs: options.queueTimeoutMs ?? Math.max(1000, this.timeoutMs),
      // A writer's lock is waited for inside the statement's own time budget.
      busyTimeoutMs: Math.max(50, Math.floor(this.timeoutMs / 2)),
    };
    this.lanes = {
      // A light statement takes milliseconds: letting it finish is cheaper than forking a new worker.
      light: new WorkerLane({ ...common, name: 'light', workers: Math.max(1, options.workers ?? 1), heavy: false }),
      // One heavy worker: aggregates then use at most one core, and pages and look-ups keep the rest.
      heavy: new WorkerLane({ ...common, name: 'heavy', workers: Math.max(1, options.heavyWorkers ?? 1), heavy: true }),
    };
    this.inline = options.inline === false ? undefined : new InlineReader(options.path, options.inlineBudgetMs);
    this.pacer = options.pacer ?? new TurnPacer();
  }

  /** Statements executed so far: both lanes' workers and the calling thread. */
  get executed(): number {
    return this.lanes.light.executed + this.lanes.heavy.executed + (this.inline?.executed ?? 0);
  }

  query(sql: string, params: readonly BoundParam[], options: QueryOptions = {}): Promise<QueryResult> {
    const lane = options.lane ?? 'light';
    const named = toSqliteParams(params);
    if (lane === 'light' && this.inline) {
      // A worker's answer arrives in a later turn anyway; one on this thread waits for it when due.
      const turn = this.pacer.pause();
      if (turn) return turn.then(() => this.light(sql, named, options));
      return this.light(sql, named, options);
    }
    return this.lanes[lane].run(sql, named, options.signal, options.timeoutMs, options.wait);
  }

  /** A light statement: on this thread when its plan proves it cheap, else in a light worker. */
  private light(sql: string, named: Record<string, unknown>, options: QueryOptions): Promise<QueryResult> {
    if (options.signal?.aborted) return Promise.reject(cancelled());
    const result = this.inline?.run(sql, named, options.bound);
    if (result) return Promise.resolve(result);
    return this.lanes.light.run(sql, named, options.signal, options.timeoutMs, options.wait);
  }

  classify(error: unknown): { code: InventoryErrorCode; message: string } {
    const code = (error as { code?: string }).code ?? '';
    const message = error instanceof Error ? error.message : String(error);
    const refused = refusalCode(error);
    if (refused) return { code: refused, message };
    if (code === 'GATEWATCH_TIMEOUT') return { code: 'TIMEOUT', message };
    if (/no such (table|column)/.test(message)) return { code: 'DATASET_UNAVAILABLE', message };
    if (/^SQLITE_(CANTOPEN|NOTADB|CORRUPT|IOERR|READONLY_DBMOVED)/.test(code) || code === 'GATEWATCH_WORKER') {
      return { code: 'UNREACHABLE', message: `cannot read SQLite inventory ${this.options.path}: ${message}` };
    }
    if (/^SQLITE_(BUSY|LOCKED)/.test(code)) return { code: 'TIMEOUT', message: `SQLite inventory is locked by a writer: ${message}` };
    return { code: 'QUERY_FAILED', message };
  }

  async close(): Promise<void> {
    this.inline?.close();
    await Promise.all([this.lanes.light.close(), this.lanes.heavy.close()]);
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
