// Named datasets: the only way gatewatch reads the inventory. Each one's SQL is one file under
// queries/sql/ (the place a DBA adapts gatewatch to their CMDB); this file (with datasets-gateways.ts and
// datasets-agents.ts, which hold the declarations) declares what the SQL takes and returns, so both
// drivers bind and map it the same way. docs/inventory.md documents the columns.
import { AGENT_DATASETS } from './datasets-agents.js';
import { GATEWAY_DATASETS } from './datasets-gateways.js';
import type { DatasetDef } from './dataset-types.js';

export type { ColumnKind, ColumnSpec, DatasetDef, ParamType } from './dataset-types.js';

// This key order is DATASET_NAMES' order.
export const DATASETS = {
  ...GATEWAY_DATASETS,
  ...AGENT_DATASETS,
} as const satisfies Record<string, DatasetDef>;

export type DatasetName = keyof typeof DATASETS;
export const DATASET_NAMES = Object.keys(DATASETS) as DatasetName[];

type KindValue<K> = K extends 'int' ? number : K extends 'bool' ? boolean : K extends 'datetime' ? Date : string;
type ColumnValue<S> = S extends `${infer K}?` ? KindValue<K> | null : KindValue<S>;
type ParamValue<P> = P extends 'int' ? number : P extends 'bool' ? boolean : P extends 'datetime' ? Date : string;

/** The row type a dataset returns, derived from its column declarations. */
export type Row<N extends DatasetName> = {
  -readonly [C in keyof (typeof DATASETS)[N]['columns']]: ColumnValue<(typeof DATASETS)[N]['columns'][C]>;
};
/** A dataset's parameters; any left out are bound as NULL, which the SQL reads as "no filter". */
export type Params<N extends DatasetName> = {
  -readonly [P in keyof (typeof DATASETS)[N]['params']]?: ParamValue<(typeof DATASETS)[N]['params'][P]> | null;
};
export type KeyColumn<N extends DatasetName> = (typeof DATASETS)[N] extends { keys: readonly (infer K)[] }
  ? K & string
  : never;
export type OrderName<N extends DatasetName> = (typeof DATASETS)[N] extends { orders: infer O } ? keyof O & string : never;
