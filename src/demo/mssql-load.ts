// `gatewatch demo --db mssql://…`: the demo estate loaded into a SQL Server database (the docker-compose
// CMDB), from the same demoRows stream as the SQLite file. Tables are created from ddl.ts and marked
// as the demo's (mssql-guard.ts: only marked tables are ever dropped), rows go in as parameterized
// multi-row INSERTs typed like the driver's parameters, and nothing is written to a database that
// looks like a real ITMS CMDB.
import mssql from 'mssql';
import type { ParamType } from '../inventory/datasets.js';
import type { BoundParam } from '../inventory/driver.js';
import { poolConfig, sqlTypeOf } from '../inventory/mssql.js';
import type { MssqlSettings } from '../inventory/mssql-settings.js';
import { quote } from '../inventory/sql-wrap.js';
import { TABLES, type ColumnType, type Table } from '../inventory/tables.js';
import { createTableSql } from './ddl.js';
import { DemoRefused, dropStatement, type ExistingObject, INSPECT_SQL, inspectParams, markStatement, readExisting, refusal } from './mssql-guard.js';
import { demoRows, type DemoOptions } from './rows.js';

/** SQL Server takes at most 2,100 parameters a statement; this leaves room to spare. */
export const MAX_PARAMS = 2000;
/** …and at most 1,000 rows in one VALUES list. */
export const MAX_ROWS = 1000;
/** Rows committed per transaction: the log stays small, a failure loses one batch. */
const ROWS_PER_TRANSACTION = 50_000;
/** Loading and indexing a large estate takes far longer than the 5 s a served query may. */
const LOAD_TIMEOUT_MS = 600_000;

const PARAM_TYPE: Record<ColumnType, ParamType> = { guid: 'guid', string: 'string', text: 'string', int: 'int', bigint: 'int', bool: 'bool', datetime: 'datetime' };

export interface Statement {
  sql: string;
  params: BoundParam[];
}

export { DemoRefused, INSPECT_SQL, refusal, type ExistingObject };

export const rowsPerInsert = (t: Table): number => Math.min(MAX_ROWS, Math.floor(MAX_PARAMS / t.columns.length));

/** One INSERT of `rows` (1 to rowsPerInsert(t)): every value a parameter @p0, @p1, … in row order. */
export function insertStatement(t: Table, rows: readonly Record<string, unknown>[]): Statement {
  if (rows.length < 1 || rows.length > rowsPerInsert(t)) throw new RangeError(`${t.name}: ${rows.length} rows in one INSERT (1 to ${rowsPerInsert(t)})`);
  const params: BoundParam[] = [];
  const tuples = rows.map((row) => {
    const names = t.columns.map((c) => {
      const name = `p${params.length}`;
      params.push({ name, type: PARAM_TYPE[c.type], value: (row[c.name] ?? null) as BoundParam['value'] });
      return `@${name}`;
    });
    return `(${names.join(', ')})`;
  });
  return { sql: `INSERT INTO ${quote(t.name)} (${t.columns.map((c) => quote(c.name)).join(', ')}) VALUES\n${tuples.join(',\n')}`, params };
}

/** What the loader needs from a connection; the tests record it, SQL Server runs it (poolExecutor). */
export interface Executor {
  query(sql: string, params?: readonly BoundParam[]): Promise<Record<string, unknown>[]>;
  begin(): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

export async function inspect(exec: Executor): Promise<ExistingObject[]> {
  return readExisting(await exec.query(INSPECT_SQL, inspectParams()));
}

export interface LoadOptions extends DemoOptions {
  database: string;
  replace?: boolean;
  /** Leave tables that already hold data as they are (a compose `up` that runs the loader again). */
  ifEmpty?: boolean;
}

/** Checks the target, re-creates the contract tables and fills them; returns rows written per table. */
export async function loadDemo(exec: Executor, opts: LoadOptions): Promise<Record<string, number> | undefined> {
  const existing = await inspect(exec);
  const filled = existing.some((o) => o.defaultSchema && o.type === 'U' && o.rows > 0);
  const why = refusal(existing, opts.database, (opts.replace ?? false) || (opts.ifEmpty ?? false));
  if (why) throw new DemoRefused(why);
  if (opts.ifEmpty && filled) return undefined;
  for (const o of existing.filter((x) => x.defaultSchema && x.type === 'U' && x.demo)) {
    const { sql, params } = dropStatement(o.name);
    await exec.query(sql, params);
  }
  const isIndex = (sql: string) => sql.startsWith('CREATE INDEX');
  const indexes: string[] = [];
  for (const t of TABLES) {
    const [create, ...rest] = createTableSql('mssql', t);
    indexes.push(...rest.filter(isIndex));
    // One transaction: a table is never left without its mark, which would make it foreign.
    const mark = markStatement(t.name);
    await exec.begin();
    try {
      await exec.query(create!);
      await exec.query(mark.sql, mark.params);
      await exec.commit();
    } catch (e) {
      await exec.rollback();
      throw e;
    }
  }

  const counts: Record<string, number> = Object.fromEntries(TABLES.map((t) => [t.name, 0]));
  const pending = new Map(TABLES.map((t) => [t.name, { table: t, per: rowsPerInsert(t), rows: [] as Record<string, unknown>[] }]));
  let uncommitted = 0;
  const flush = async (p: { table: Table; rows: Record<string, unknown>[] }) => {
    if (!p.rows.length) return;
    const { sql, params } = insertStatement(p.table, p.rows);
    await exec.query(sql, params);
    counts[p.table.name]! += p.rows.length;
    uncommitted += p.rows.length;
    p.rows = [];
  };
  await exec.begin();
  try {
    for (const { table, row } of demoRows(opts)) {
      const p = pending.get(table);
      if (!p) throw new Error(`demoRows yielded a row of unknown table ${table}`);
      p.rows.push(row);
      if (p.rows.length < p.per) continue;
      await flush(p);
      if (uncommitted >= ROWS_PER_TRANSACTION) {
        await exec.commit();
        await exec.begin();
        uncommitted = 0;
      }
    }
    for (const p of pending.values()) await flush(p);
    await exec.commit();
  } catch (e) {
    await exec.rollback();
    throw e;
  }
  // Indexes after the rows, as on SQLite; statistics follow from them.
  for (const sql of indexes) await exec.query(sql);
  return counts;
}

/** An Executor over one pooled connection; a transaction, while open, carries every statement. */
export function poolExecutor(pool: mssql.ConnectionPool): Executor {
  let tx: mssql.Transaction | undefined;
  return {
    async query(sql, params = []) {
      const request = tx ? new mssql.Request(tx) : pool.request();
      for (const p of params) request.input(p.name, sqlTypeOf(p), p.value);
      return (await request.query<Record<string, unknown>>(sql)).recordset ?? [];
    },
    async begin() {
      tx = new mssql.Transaction(pool);
      await tx.begin();
    },
    async commit() {
      await tx?.commit();
      tx = undefined;
    },
    async rollback() {
      const open = tx;
      tx = undefined;
      // A failed statement may already have ended the transaction on the server.
      await open?.rollback().catch(() => {});
    },
  };
}

/** CREATE DATABASE takes no parameter: the name goes in through QUOTENAME, never as text. */
export const CREATE_DATABASE_SQL = `IF DB_ID(@name) IS NULL
BEGIN
  DECLARE @ddl NVARCHAR(400) = N'CREATE DATABASE ' + QUOTENAME(@name);
  EXEC (@ddl);
END;
SELECT CASE WHEN DB_ID(@name) IS NULL THEN 0 ELSE 1 END AS [Exists];`;

/** Creates `settings.database` from master when it is missing. */
export async function ensureDatabase(settings: MssqlSettings): Promise<void> {
  return withPool({ ...settings, database: 'master' }, async (exec) => {
    const [row] = await exec.query(CREATE_DATABASE_SQL, [{ name: 'name', type: 'string', value: settings.database }]);
    if (Number(row?.Exists) !== 1) throw new DemoRefused(`could not create database ${settings.database} (at most 128 characters)`);
  });
}

/** Runs `work` over one connection to the database the settings name, closed afterwards. */
export async function withPool<T>(settings: MssqlSettings, work: (exec: Executor) => Promise<T>): Promise<T> {
  const config = poolConfig({ ...settings, poolMax: 1, requestTimeoutMs: Math.max(settings.requestTimeoutMs, LOAD_TIMEOUT_MS) });
  const pool = new mssql.ConnectionPool(config);
  pool.on('error', () => {});
  await pool.connect();
  try {
    return await work(poolExecutor(pool));
  } finally {
    await pool.close();
  }
}
