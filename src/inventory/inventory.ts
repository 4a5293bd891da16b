// The Inventory: named datasets over one Driver. GraphQL resolvers and collectors read through this
// interface and nothing else; SqlInventory (sql-inventory.ts) implements it over a Driver.
import type { DatasetName, KeyColumn, OrderName, ParamType, Params, Row } from './datasets.js';
import type { BoundParam, Dialect } from './driver.js';
import type { ComputedColumn } from './sql-wrap.js';
import type { StatementStats } from './stats.js';

export { DEFAULT_QUERIES_DIR, isGuid, MAX_KEYS_PER_STATEMENT, SqlInventory } from './sql-inventory.js';

export type Direction = 'ASC' | 'DESC';
export type KeyValue = string | number | Date;

export interface PageRequest<N extends DatasetName> {
  order: OrderName<N>;
  direction: Direction;
  first?: number;
  last?: number;
  /** Key values (the order's columns) of the row to start after / end before. */
  after?: readonly KeyValue[];
  before?: readonly KeyValue[];
  /** Only rows whose key another dataset selects under a generated condition (see Restriction). */
  restrict?: Restriction;
  /**
   * Only these columns (plus the order's and the dataset's keys), for a caller that knows what it
   * reads: unread correlated look-ups then cost nothing, and less crosses from the database.
   */
  columns?: readonly string[];
}

/**
 * Rows of a paged dataset restricted to the keys another dataset yields under a condition gatewatch
 * generates (the diagnosis verdict filter). Parameters shared by name must carry the same value.
 */
export interface Restriction {
  column: string;
  dataset: DatasetName;
  params: Record<string, BoundParam['value'] | undefined>;
  key: string;
  condition: string;
  conditionParams: readonly BoundParam[];
}

/** Computed columns over a dataset (see derivedSql), with the parameters their SQL uses. */
export interface Derivation<N extends DatasetName> {
  columns: readonly ComputedColumn[];
  params: readonly BoundParam[];
  where?: string;
  /** Only rows whose key column is one of these, chunked like byKeys. */
  keys?: { column: KeyColumn<N>; values: readonly string[] };
  /** Count rows per value of these computed columns instead of returning rows. */
  groupBy?: readonly string[];
}

export interface DerivedRow<N extends DatasetName> {
  row: Row<N>;
  computed: Record<string, unknown>;
}

export interface Page<R> {
  rows: R[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
}

export interface DatasetStatus {
  dataset: DatasetName;
  available: boolean;
  error?: string;
}

export interface Inventory {
  readonly dialect: Dialect;
  readonly description: string;
  readonly stats: StatementStats;
  /** Every row; ordered by one of the dataset's keyset orders when `order` is given. */
  all<N extends DatasetName>(dataset: N, params?: Params<N>, order?: { order: OrderName<N>; direction: Direction }): Promise<Row<N>[]>;
  page<N extends DatasetName>(dataset: N, params: Params<N>, page: PageRequest<N>): Promise<Page<Row<N>>>;
  count<N extends DatasetName>(dataset: N, params?: Params<N>, restrict?: Restriction): Promise<number>;
  /** The dataset's rows with computed columns (one statement per key chunk). */
  derive<N extends DatasetName>(dataset: N, params: Params<N>, d: Derivation<N>): Promise<DerivedRow<N>[]>;
  /** Counts per computed value: one statement. */
  tally<N extends DatasetName>(dataset: N, params: Params<N>, d: Derivation<N> & { groupBy: readonly string[] }): Promise<Record<string, unknown>[]>;
  /** Rows whose `column` is one of `keys`, in chunks under the parameter limit. */
  byKeys<N extends DatasetName>(dataset: N, column: KeyColumn<N>, keys: readonly string[], params?: Params<N>): Promise<Row<N>[]>;
  /** Column names and kinds of a keyset order, to build and check cursors. */
  orderColumns<N extends DatasetName>(dataset: N, order: OrderName<N>): { name: string; kind: ParamType }[];
  /** Throws unless the dataset can run: its tables and columns exist and it returns every column. */
  probe(dataset: DatasetName): Promise<void>;
  check(): Promise<DatasetStatus[]>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
