// What a database driver gives the inventory: run one parameterized statement, say how its
// dialect limits rows, and classify its own errors. better-sqlite3 and mssql implement it.
import type { ParamType } from './datasets.js';
import type { InventoryErrorCode } from './errors.js';

export type Dialect = 'sqlite' | 'mssql';

export interface BoundParam {
  name: string;
  type: ParamType;
  value: string | number | boolean | Date | null;
}

export interface QueryResult {
  rows: Record<string, unknown>[];
  columns: string[];
}

export interface Driver {
  readonly dialect: Dialect;
  /** A description safe to log: no password. */
  readonly description: string;
  /** Runs one statement; `columns` names the result columns even when no row came back. */
  query(sql: string, params: readonly BoundParam[]): Promise<QueryResult>;
  /** Which InventoryError a driver error is, with a message safe to show. */
  classify(error: unknown): { code: InventoryErrorCode; message: string };
  close(): Promise<void>;
}
