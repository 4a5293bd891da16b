// A Driver that passes statements through and keeps the ones sent while recording: the benchmarks
// replay them raw, next to the GraphQL request that ran them.
import type { BoundParam, Driver, QueryOptions } from '../src/inventory/driver.js';

export class RecordingDriver implements Driver {
  readonly dialect = 'sqlite' as const;
  readonly description: string;
  recording: { sql: string; params: readonly BoundParam[] }[] | undefined;
  constructor(private readonly inner: Driver) {
    this.description = inner.description;
  }
  query(sql: string, params: readonly BoundParam[], options?: QueryOptions) {
    this.recording?.push({ sql, params });
    return this.inner.query(sql, params, options);
  }
  classify(e: unknown) {
    return this.inner.classify(e);
  }
  close() {
    return this.inner.close();
  }
}
