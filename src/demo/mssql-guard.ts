// What `gatewatch demo --db mssql://…` may touch. The demo's tables carry the names of real ITMS
// tables (vComputer, Inv_AeX_AC_*) and of the contract, so a name proves nothing: every table the
// loader creates is marked with an extended property, only marked tables are ever dropped (the DROP
// itself re-checks the mark), and a database holding an ITMS-named object without the mark is a
// real CMDB and is refused, empty or not.
import type { BoundParam } from '../inventory/driver.js';
import { quote } from '../inventory/sql-wrap.js';
import { TABLES } from '../inventory/tables.js';

/** The extended property on each table the loader created. */
export const DEMO_MARKER = 'gatewatch_demo';
const MARKER_VALUE = 'created by gatewatch demo; dropped and re-created by it';

const str = (name: string, value: string): BoundParam => ({ name, type: 'string', value });

/** Objects named like a contract or ITMS table, in any schema; `Rows` counts a table's rows, `Demo` its mark. */
export const INSPECT_SQL = `SELECT o.[name] AS [Name], RTRIM(o.[type]) AS [Type],
  CASE WHEN o.[schema_id] = SCHEMA_ID() THEN 1 ELSE 0 END AS [DefaultSchema],
  COALESCE((SELECT SUM(p.[rows]) FROM sys.partitions AS p WHERE p.[object_id] = o.[object_id] AND p.[index_id] IN (0, 1)), 0) AS [Rows],
  CASE WHEN EXISTS (SELECT 1 FROM sys.extended_properties AS ep
    WHERE ep.[class] = 1 AND ep.[major_id] = o.[object_id] AND ep.[minor_id] = 0 AND ep.[name] = @marker) THEN 1 ELSE 0 END AS [Demo]
FROM sys.objects AS o
WHERE o.[name] IN (${TABLES.map((_, i) => `@t${i}`).join(', ')})`;

export const inspectParams = (): BoundParam[] => [str('marker', DEMO_MARKER), ...TABLES.map((t, i) => str(`t${i}`, t.name))];

/** Marks a table just created in the default schema as the demo's. */
export const MARK_SQL = `DECLARE @schema SYSNAME = SCHEMA_NAME();
EXEC sys.sp_addextendedproperty @name = @marker, @value = @value, @level0type = N'SCHEMA', @level0name = @schema, @level1type = N'TABLE', @level1name = @table;`;

export function markStatement(table: string): { sql: string; params: BoundParam[] } {
  return { sql: MARK_SQL, params: [str('marker', DEMO_MARKER), str('value', MARKER_VALUE), str('table', table)] };
}

/**
 * Drops a demo table, and only if it still carries the mark: a table put in its place since the
 * inspection is left alone (and the CREATE that follows fails instead). A table name cannot be a
 * parameter in DDL: it is quoted from TABLES, never from input.
 */
export function dropStatement(table: string): { sql: string; params: BoundParam[] } {
  if (!TABLES.some((t) => t.name === table)) throw new Error(`not a demo table: ${table}`);
  const sql = `IF EXISTS (SELECT 1 FROM sys.extended_properties AS ep
  WHERE ep.[class] = 1 AND ep.[major_id] = OBJECT_ID(QUOTENAME(@table), N'U') AND ep.[minor_id] = 0 AND ep.[name] = @marker)
  DROP TABLE ${quote(table)};`;
  return { sql, params: [str('marker', DEMO_MARKER), str('table', table)] };
}

export interface ExistingObject {
  name: string;
  /** sys.objects type: U table, V view, SN synonym, … */
  type: string;
  defaultSchema: boolean;
  rows: number;
  /** Carries the demo's mark: created by `gatewatch demo`. */
  demo: boolean;
}

export function readExisting(rows: readonly Record<string, unknown>[]): ExistingObject[] {
  return rows.map((r) => ({ name: String(r.Name), type: String(r.Type), defaultSchema: Number(r.DefaultSchema) === 1, rows: Number(r.Rows), demo: Number(r.Demo) === 1 }));
}

export class DemoRefused extends Error {
  override readonly name = 'DemoRefused';
}

const OWN_DATABASE = 'give the demo a database of its own';

/** Why the demo must not be loaded into this database, or undefined when it may. */
export function refusal(existing: readonly ExistingObject[], database: string, replace: boolean): string | undefined {
  if (/^(master|model|msdb|tempdb)$/i.test(database)) {
    return `database ${database} is a SQL Server system database; ${OWN_DATABASE}`;
  }
  if (existing.some((o) => o.name === 'vComputer' && o.type === 'V')) {
    return `database ${database} has a vComputer view: it is a real ITMS CMDB, not a demo, and gatewatch demo never drops or writes its objects; ${OWN_DATABASE}`;
  }
  // From TABLES, so every ITMS table the datasets read counts, whoever added it.
  const itms = new Set(TABLES.filter((t) => t.source === 'itms').map((t) => t.name));
  const real = existing.find((o) => itms.has(o.name) && !o.demo);
  if (real) {
    const what = real.type === 'U' ? `table ${real.name}${real.rows ? '' : ' (empty)'}` : `${real.name} (sys.objects type ${real.type})`;
    return `database ${database} holds the ITMS ${what}, which gatewatch demo did not create: it is a real ITMS CMDB, not a demo, and gatewatch demo never drops or writes its objects; ${OWN_DATABASE}`;
  }
  const mine = existing.filter((o) => o.defaultSchema);
  const foreign = mine.find((o) => o.type !== 'U');
  if (foreign) return `database ${database}: ${foreign.name} is not a table (sys.objects type ${foreign.type}), so it is not a gatewatch demo table; ${OWN_DATABASE}`;
  const unmarked = mine.find((o) => !o.demo);
  if (unmarked) {
    return `database ${database}: table ${unmarked.name} was not created by gatewatch demo (it lacks the ${DEMO_MARKER} extended property), so the demo never drops it; ${OWN_DATABASE}`;
  }
  const filled = mine.filter((o) => o.rows > 0);
  if (filled.length && !replace) {
    const list = filled.map((o) => `${o.name} ${o.rows.toLocaleString('en')} rows`).join(', ');
    return `database ${database} already holds the demo tables with data (${list}); add --replace to drop and re-create them`;
  }
  return undefined;
}
