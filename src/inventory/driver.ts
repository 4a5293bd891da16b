// What a database driver gives the inventory: run one parameterized statement, say how its
// dialect limits rows, and classify its own errors. better-sqlite3 and mssql implement it.
import type { ParamType } from './datasets.js';
import type { InventoryErrorCode } from './errors.js';
import type { QueueWait } from './queue-wait.js';

export type Dialect = 'sqlite' | 'mssql';

export interface BoundParam {
  name: string;
  type: ParamType;
  value: string | number | boolean | Date | null;
}

/** Rows as arrays in `columns` order: no per-row object to build, copy or send between processes. */
export interface QueryResult {
  rows: unknown[][];
  columns: string[];
}

/**
 * `light`: keyed look-ups and pages, a few ms each. `heavy`: aggregates and full scans. A driver
 * keeps them apart so that heavy work can never hold up light work.
 */
export type Lane = 'light' | 'heavy';

/**
 * What bounds the rows a statement reads, when its caller knows more than SQL says. `limit`: a page
 * with no filter, whose LIMIT ends its walk along an index. `small`: a reference list (gateways,
 * relays), a few rows per appliance. `empty`: a zero-row probe, which SQLite ends at its LIMIT 0
 * before reading anything. A keyed look-up needs no word: its plan shows index seeks.
 */
export type Bound = 'limit' | 'small' | 'empty';

export interface QueryOptions {
  lane?: Lane;
  /** SQLite runs a statement whose plan is provably cheap on the calling thread (sqlite-inline.ts). */
  bound?: Bound;
  /** The client went away: drop the statement if it still waits, stop it if that is cheap. */
  signal?: AbortSignal;
  /**
   * This statement's own execution budget instead of the driver's statement timeout (ms): the
   * background metrics reads get a longer one than requests. SQLite's workers honour it (a statement
   * on the calling thread has a 10 ms budget instead, checked between rows: sqlite-inline.ts); SQL Server keeps its
   * pool's request timeout (set `requestTimeout=` for large aggregates there).
   */
  timeoutMs?: number;
  /** The request's waits so far (queue-wait.ts): together they may last the queue bound, not each. */
  wait?: QueueWait;
}

export interface Driver {
  readonly dialect: Dialect;
  /** A description safe to log: no password. */
  readonly description: string;
  /** Runs one statement; `columns` names the result columns even when no row came back. */
  query(sql: string, params: readonly BoundParam[], options?: QueryOptions): Promise<QueryResult>;
  /** Which InventoryError a driver error is, with a message safe to show. */
  classify(error: unknown): { code: InventoryErrorCode; message: string };
  close(): Promise<void>;
}

/** Why a statement was not run: a driver rejects with these codes and classifies them alike. */
export class StatementRefused extends Error {
  constructor(
    message: string,
    readonly code: 'GATEWATCH_BUSY' | 'GATEWATCH_CANCELLED',
  ) {
    super(message);
  }
}

export const cancelled = (running = false) =>
  new StatementRefused(running ? 'the client went away: its statement was stopped' : 'the client went away', 'GATEWATCH_CANCELLED');
