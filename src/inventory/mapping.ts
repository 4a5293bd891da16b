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

/** SQLite keeps timestamps as text; one without a zone (e.g. CURRENT_TIMESTAMP) is UTC. */
export function toUtcDate(v: unknown): Date {
  if (v instanceof Date) return v;
  const s = String(v);
  const iso = /[zZ]|[+-]\d\d:?\d\d$/.test(s) ? s : `${s.replace(' ', 'T')}Z`;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) throw new TypeError(`not a timestamp: ${s}`);
  return d;
}

export function mapRow(dataset: string, columns: Record<string, ColumnSpec>, raw: Record<string, unknown>) {
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(columns)) {
    const value = mapValue(spec, raw[name]);
    if (value === null && !spec.endsWith('?')) {
      throw new InventoryError(
        'QUERY_FAILED',
        `dataset ${dataset}: column ${name} is NULL or missing, but the contract requires it (docs/inventory.md)`,
        dataset,
      );
    }
    out[name] = value;
  }
  return out;
}
