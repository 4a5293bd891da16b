// PLACEHOLDER — being written: the mssql driver.
import type { BoundParam, Driver, QueryResult } from './driver.js';
import type { InventoryErrorCode } from './errors.js';
import type { MssqlSettings } from './mssql-url.js';

export class MssqlDriver implements Driver {
  readonly dialect = 'mssql' as const;
  readonly description: string;
  constructor(settings: MssqlSettings) {
    this.description = `mssql://${settings.server}/${settings.database}`;
  }
  async query(_sql: string, _params: readonly BoundParam[]): Promise<QueryResult> {
    throw new Error('not yet');
  }
  classify(error: unknown): { code: InventoryErrorCode; message: string } {
    return { code: 'QUERY_FAILED', message: String(error) };
  }
  async close(): Promise<void> {}
}
