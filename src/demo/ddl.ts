// CREATE TABLE statements for the contract tables (src/inventory/tables.ts), in SQLite's and SQL
// Server's dialects: the demo inventory and the docker-compose CMDB are built from the same list.
import type { Dialect } from '../inventory/driver.js';
import { quote } from '../inventory/sql-wrap.js';
import { TABLES, type Column, type ColumnType, type Table } from '../inventory/tables.js';

const SQLITE_TYPES: Record<ColumnType, string> = {
  guid: 'TEXT',
  string: 'TEXT',
  text: 'TEXT',
  int: 'INTEGER',
  bigint: 'INTEGER',
  bool: 'INTEGER',
  datetime: 'TEXT', // ISO-8601 UTC, e.g. 2026-11-25T10:00:00.000Z
};

const MSSQL_TYPES: Record<ColumnType, string> = {
  guid: 'UNIQUEIDENTIFIER',
  string: 'NVARCHAR(256)',
  text: 'NVARCHAR(MAX)',
  int: 'INT',
  bigint: 'BIGINT',
  bool: 'BIT',
  datetime: 'DATETIME2(3)', // UTC
};

function columnSql(dialect: Dialect, c: Column): string {
  const type = (dialect === 'mssql' ? MSSQL_TYPES : SQLITE_TYPES)[c.type];
  return `${quote(c.name)} ${type}${dialect === 'sqlite' && c.type === 'string' ? ' COLLATE NOCASE' : ''} ${c.nullable ? 'NULL' : 'NOT NULL'}`;
}

export function createTableSql(dialect: Dialect, t: Table): string[] {
  const cols = t.columns.map((c) => `  ${columnSql(dialect, c)}`);
  if (t.primaryKey) cols.push(`  PRIMARY KEY (${t.primaryKey.map(quote).join(', ')})`);
  // SQLite: a WITHOUT ROWID table is stored in its primary key, so a join on a GUID is one B-tree
  // search instead of two (index, then row). vComputer stays a rowid table: paging scans its name
  // index, and with a rowid the planner filters on the (IsManaged, Name, Guid) index alone.
  const suffix = dialect === 'sqlite' && t.primaryKey && t.name !== 'vComputer' ? ' WITHOUT ROWID' : '';
  const out = [`CREATE TABLE ${quote(t.name)} (\n${cols.join(',\n')}\n)${suffix}`];
  for (const [i, idx] of (t.indexes ?? []).entries()) {
    out.push(`CREATE INDEX ${quote(`IX_${t.name}_${i + 1}`)} ON ${quote(t.name)} (${idx.map(quote).join(', ')})`);
  }
  return out;
}

export function schemaSql(dialect: Dialect): string[] {
  return TABLES.flatMap((t) => createTableSql(dialect, t));
}

/**
 * Drops every contract table, whoever made it: for setting up a throwaway test database only. The
 * loader drops nothing but the tables it marked (mssql-guard.ts). Both dialects accept this form.
 */
export function dropSql(): string[] {
  return TABLES.map((t) => `DROP TABLE IF EXISTS ${quote(t.name)}`);
}
