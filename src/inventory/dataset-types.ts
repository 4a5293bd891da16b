// The shape every dataset declaration takes: parameter and result-column types, keys, keyset orders.
// Kept apart so the declarations (datasets-*.ts) can import it without a cycle through datasets.ts.

export type ParamType = 'bool' | 'int' | 'string' | 'datetime' | 'guid';
/** Result column types; a trailing '?' marks a nullable column. */
export type ColumnKind = 'string' | 'guid' | 'int' | 'bool' | 'datetime';
export type ColumnSpec = ColumnKind | `${ColumnKind}?`;

export interface DatasetDef {
  file: string;
  about: string;
  params: Record<string, ParamType>;
  columns: Record<string, ColumnSpec>;
  /** Columns a batch look-up may match on (dataloader keys). */
  keys?: readonly string[];
  /** Keyset orders: order name -> columns, unique together, none nullable. */
  orders?: Record<string, readonly string[]>;
  /**
   * Filter values that keep nearly every row, so a page under them still ends its index walk after
   * about LIMIT rows (sql-inventory.ts: such a page may run on the server's thread).
   */
  broad?: Readonly<Record<string, boolean | number | string>>;
}
