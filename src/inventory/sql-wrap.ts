// The only SQL gatewatch writes itself: wrappers around a dataset's query for paging, counting and
// batch look-ups. The dataset stays a derived table `q`, so its file never forks per dialect; only
// the row limit differs (TOP on SQL Server, LIMIT on SQLite). Identifiers come from the dataset
// declarations, never from a request; every value is a parameter.
import type { Dialect } from './driver.js';

const IDENT = /^[A-Za-z_][A-Za-z0-9_ ]*$/;

/** Brackets a column name of the dataset contract; refuses anything that is not a plain name. */
export function quote(name: string): string {
  if (!IDENT.test(name)) throw new Error(`not a contract identifier: ${JSON.stringify(name)}`);
  return `[${name}]`;
}

const derived = (base: string) => `FROM (\n${base}\n) AS q`;

export interface SelectOptions {
  where?: string[];
  orderBy?: string[];
  /** Name of the parameter holding the row limit. */
  limitParam?: string;
  /** Only these columns of the dataset (default: all of them). */
  columns?: readonly string[];
}

export function selectSql(dialect: Dialect, base: string, o: SelectOptions = {}): string {
  const where = o.where?.length ? `\nWHERE ${o.where.join(' AND ')}` : '';
  const order = o.orderBy?.length ? `\nORDER BY ${o.orderBy.join(', ')}` : '';
  const list = o.columns ? o.columns.map((c) => `q.${quote(c)}`).join(', ') : '*';
  if (!o.limitParam) return `SELECT ${list} ${derived(base)}${where}${order}`;
  if (dialect === 'mssql') return `SELECT TOP (@${o.limitParam}) ${list} ${derived(base)}${where}${order}`;
  return `SELECT ${list} ${derived(base)}${where}${order}\nLIMIT @${o.limitParam}`;
}

export function countSql(base: string): string {
  return `SELECT COUNT(*) AS [Count] ${derived(base)}`;
}

/** Zero rows, but every table and column the dataset names must exist for it to compile. */
export function probeSql(dialect: Dialect, base: string): string {
  return dialect === 'mssql' ? `SELECT TOP (0) * ${derived(base)}` : `SELECT * ${derived(base)}\nLIMIT 0`;
}

/**
 * Keyset condition "row comes after (or before) the cursor" for an order over several columns:
 * (c1 > @k0) OR (c1 = @k0 AND c2 > @k1) ... Written out, not as a row-value comparison, because
 * SQL Server has none.
 */
export function keysetSql(columns: readonly string[], op: '>' | '<', paramPrefix: string): string {
  const terms = columns.map((col, i) => {
    const eq = columns.slice(0, i).map((c, j) => `q.${quote(c)} = @${paramPrefix}${j}`);
    return `(${[...eq, `q.${quote(col)} ${op} @${paramPrefix}${i}`].join(' AND ')})`;
  });
  return `(${terms.join(' OR ')})`;
}

export function inListSql(column: string, paramNames: readonly string[]): string {
  return `q.${quote(column)} IN (${paramNames.map((p) => `@${p}`).join(', ')})`;
}

/** A LIKE pattern matching `text` anywhere, with LIKE's own characters escaped by '\'. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_[]/g, (c) => `\\${c}`)}%`;
}

/** A computed column over the derived table's columns; its SQL comes from gatewatch's own declarations. */
export interface ComputedColumn {
  name: string;
  sql: string;
}

/**
 * The dataset under computed columns (src/diagnosis's CASE expressions): every row with them, or,
 * with `groupBy`, the rows counted per value of those computed columns. The count wraps a second
 * derived table because SQL Server cannot GROUP BY a select-list alias.
 */
export function derivedSql(base: string, o: { columns: readonly ComputedColumn[]; where?: string[]; groupBy?: readonly string[] }): string {
  const computed = o.columns.map((c) => `${c.sql} AS ${quote(c.name)}`).join(',\n  ');
  const where = o.where?.length ? `\nWHERE ${o.where.join(' AND ')}` : '';
  if (!o.groupBy?.length) return `SELECT q.*,\n  ${computed}\n${derived(base)}${where}`;
  const by = o.groupBy.map((g) => `d.${quote(g)}`).join(', ');
  return `SELECT ${by}, COUNT(*) AS [Count] FROM (\nSELECT ${computed}\n${derived(base)}${where}\n) AS d\nGROUP BY ${by}`;
}

/** `q.[column] IN (SELECT f.[key] FROM (<other dataset>) AS f WHERE <condition over f>)`. */
export function semiJoinSql(column: string, base: string, key: string, condition: string): string {
  return `q.${quote(column)} IN (SELECT f.${quote(key)} FROM (\n${base}\n) AS f WHERE ${condition})`;
}
