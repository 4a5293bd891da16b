// Result values arrive as each driver represents them: SQLite gives 0/1 and ISO text, SQL Server
// gives booleans, Date objects and bigint as strings. One mapping makes both match the contract.
import type { ColumnSpec } from './datasets.js';
import { InventoryError } from './errors.js';

export function mapValue(spec: ColumnSpec, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  switch (spec.replace('?', '')) {
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

export function mapRow(dataset: string, columns: Record<string, ColumnSpec>, raw: Record<string, unknown>) {
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(columns)) {
    const violation = (why: string) =>
      new InventoryError('CONTRACT_VIOLATION', `dataset ${dataset}: column ${name} ${why} (docs/inventory.md)`, dataset);
    let value: unknown;
    try {
      value = mapValue(spec, raw[name]);
    } catch (e) {
      throw violation((e as Error).message);
    }
    if (value === null && !spec.endsWith('?')) throw violation('is NULL or missing, but the contract requires it');
    out[name] = value;
  }
  return out;
}
