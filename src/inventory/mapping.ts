// Result values arrive as each driver represents them: SQLite gives 0/1 and ISO text, SQL Server
// gives booleans, Date objects and bigint as strings. One mapping makes both match the contract.
import type { ColumnSpec } from './datasets.js';
import { InventoryError } from './errors.js';

export function mapValue(spec: ColumnSpec, v: unknown): unknown {
  return convert(spec.replace('?', ''), v);
}

function convert(kind: string, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  switch (kind) {
    case 'guid':
      return String(v).toUpperCase();
    case 'int':
      return typeof v === 'number' ? v : Number(v);
    case 'bool':
      return v === true || v === 1 || v === 1n || v === '1' || v === 'true';
    case 'datetime':
      return toUtcDate(v);
    default:
      return typeof v === 'string' ? v : String(v);
  }
}

const ISO_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,3})?Z$/;

/**
 * SQLite keeps timestamps as text, and compares them as text when paging and filtering: only one
 * spelling (ISO-8601 UTC, as Date.toISOString() writes it) sorts and compares correctly, so any
 * other is refused rather than silently mis-paged.
 */
export function toUtcDate(v: unknown): Date {
  if (v instanceof Date) return v;
  const s = String(v);
  const d = new Date(s);
  if (!ISO_UTC.test(s) || Number.isNaN(d.getTime())) {
    throw new TypeError(`holds ${JSON.stringify(s)}, but timestamps must be ISO-8601 UTC text like 2026-11-25T10:00:00.000Z`);
  }
  return d;
}

type Mapper = (row: readonly unknown[]) => Record<string, unknown>;
const mappers = new Map<string, Mapper>();

/**
 * Maps a result's rows (arrays in `result` column order) to contract rows in one pass: which
 * position holds which declared column, and how to convert it, is worked out once per dataset and
 * column list, not per row. A `projected` result holds only the columns its statement selected:
 * the others are left out of its rows rather than reported missing.
 */
export function mapRows(
  dataset: string,
  columns: Record<string, ColumnSpec>,
  result: { columns: readonly string[]; rows: readonly (readonly unknown[])[] },
  projected = false,
) {
  const key = `${dataset}\u0000${projected ? 'p' : ''}\u0000${result.columns.join('\u0000')}`;
  let mapper = mappers.get(key);
  if (!mapper) {
    mapper = compile(dataset, columns, result.columns, projected);
    if (mappers.size > 500) mappers.clear();
    mappers.set(key, mapper);
  }
  const out = new Array<Record<string, unknown>>(result.rows.length);
  for (let i = 0; i < out.length; i++) out[i] = mapper(result.rows[i]!);
  return out;
}

function compile(dataset: string, columns: Record<string, ColumnSpec>, names: readonly string[], projected: boolean): Mapper {
  const fields = Object.entries(columns)
    .map(([name, spec]) => ({ name, kind: spec.replace('?', ''), at: names.indexOf(name), required: !spec.endsWith('?') }))
    .filter((f) => !projected || f.at >= 0);
  return (row) => {
    const out: Record<string, unknown> = {};
    for (const f of fields) {
      const raw = f.at < 0 ? undefined : row[f.at];
      let value: unknown;
      try {
        value = convert(f.kind, raw);
      } catch (e) {
        throw violation(dataset, f.name, (e as Error).message);
      }
      if (value === null && f.required) throw violation(dataset, f.name, 'is NULL or missing, but the contract requires it');
      out[f.name] = value;
    }
    return out;
  };
}

const violation = (dataset: string, name: string, why: string) =>
  new InventoryError('CONTRACT_VIOLATION', `dataset ${dataset}: column ${name} ${why} (docs/inventory.md)`, dataset);

/** One row given as an object (column name -> value). */
export function mapRow(dataset: string, columns: Record<string, ColumnSpec>, raw: Record<string, unknown>) {
  return mapRows(dataset, columns, { columns: Object.keys(raw), rows: [Object.values(raw)] })[0]!;
}
