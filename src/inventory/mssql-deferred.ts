// SQL Server's driver, loaded on first use: mssql and tedious add ~33 MB to the process (measured),
// which a server on the SQLite demo never needs. It is the MssqlDriver once loaded.
import type { BoundParam, Driver, QueryOptions, QueryResult } from './driver.js';
import type { InventoryErrorCode } from './errors.js';
import type { MssqlDriver } from './mssql.js';
import type { MssqlSettings } from './mssql-settings.js';
import { describeMssqlTarget } from './mssql-url.js';

export class DeferredMssqlDriver implements Driver {
  readonly dialect = 'mssql' as const;
  readonly description: string;
  private driver: MssqlDriver | undefined;
  private loading: Promise<MssqlDriver> | undefined;

  constructor(private readonly settings: MssqlSettings) {
    this.description = describeMssqlTarget(settings);
  }

  async query(sql: string, params: readonly BoundParam[], options?: QueryOptions): Promise<QueryResult> {
    return (this.driver ?? (await this.load())).query(sql, params, options);
  }

  classify(error: unknown): { code: InventoryErrorCode; message: string } {
    // Nothing but the import itself can fail before the driver exists.
    return this.driver?.classify(error) ?? { code: 'UNREACHABLE', message: `cannot load the SQL Server driver: ${String(error)}` };
  }

  async close(): Promise<void> {
    const driver = await this.loading?.catch(() => undefined);
    await driver?.close();
  }

  private load(): Promise<MssqlDriver> {
    return (this.loading ??= import('./mssql.js').then(({ MssqlDriver }) => (this.driver = new MssqlDriver(this.settings))));
  }
}
