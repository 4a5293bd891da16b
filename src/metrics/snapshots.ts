// What the GraphQL schema may read from the exporter's background refresh: a dataset's rows as last
// read, with the time they were read. Implemented by the Refresher; one per server, shared with
// /metrics, so N pollers cost the CMDB what one does.
import type { DatasetName } from '../inventory/datasets.js';

export interface Fresh<R> {
  rows: readonly R[];
  /** When the rows were read. */
  asOf: Date;
}

export interface Snapshots {
  /**
   * The dataset's rows from the latest background read, or undefined: no collector reads it, it has
   * not been read yet, its latest read failed, or the rows are older than the freshness limit.
   */
  read(dataset: DatasetName): Fresh<unknown> | undefined;
}
