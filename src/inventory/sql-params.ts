// What SqlInventory's statements (sql-inventory.ts) take from a dataset's declaration: every parameter
// bound (two SQL texts' merged into one statement), batch look-up keys in chunks under SQL Server's
// parameter limit, and the columns a projected page selects.
import { DATASETS, type ColumnSpec, type DatasetDef, type DatasetName, type ParamType, type Params } from './datasets.js';
import type { BoundParam } from './driver.js';

/** SQL Server accepts at most 2100 parameters per statement; a batch look-up stays well below. */
export const MAX_KEYS_PER_STATEMENT = 2000;

export const def = (name: DatasetName): DatasetDef => DATASETS[name];
export const kindOf = (spec: ColumnSpec): ParamType => spec.replace('?', '') as ParamType;

/** Every declared parameter is bound, NULL when not given: NULL means "no filter" in the SQL. */
export function bind<N extends DatasetName>(dataset: N, params: Params<N>): BoundParam[] {
  const given = params as Record<string, BoundParam['value'] | undefined>;
  for (const k of Object.keys(given)) {
    if (!(k in def(dataset).params)) throw new Error(`dataset ${dataset} has no parameter ${k}`);
  }
  return Object.entries(def(dataset).params).map(([name, type]) => ({ name, type, value: given[name] ?? null }));
}

/** Parameters of two SQL texts in one statement: one binding per name, and a name must mean one value. */
export function merge(a: readonly BoundParam[], b: readonly BoundParam[]): BoundParam[] {
  const out = new Map(a.map((p) => [p.name, p]));
  for (const p of b) {
    const prior = out.get(p.name);
    if (prior && !sameValue(prior.value, p.value)) throw new Error(`parameter @${p.name} bound to two different values in one statement`);
    if (!prior) out.set(p.name, p);
  }
  return [...out.values()];
}

const sameValue = (x: BoundParam['value'], y: BoundParam['value']) =>
  x instanceof Date && y instanceof Date ? x.getTime() === y.getTime() : x === y;

/** The distinct keys, one chunk per statement: their parameter names (__k0, __k1, …) and bindings. */
export function* keyChunks(kind: ParamType, keys: readonly string[]): Generator<{ names: string[]; params: BoundParam[] }> {
  // SQL Server rejects a whole statement over one malformed uniqueidentifier; such a key matches nothing.
  const unique = [...new Set(kind === 'guid' ? keys.filter(isGuid) : keys)];
  for (let i = 0; i < unique.length; i += MAX_KEYS_PER_STATEMENT) {
    const chunk = unique.slice(i, i + MAX_KEYS_PER_STATEMENT);
    const names = chunk.map((_, j) => `__k${j}`);
    yield { names, params: chunk.map((value, j) => ({ name: names[j]!, type: kind, value })) };
  }
}

/** The columns a projected page selects, in declaration order (one SQL text per set); keys always. */
export function projection(dataset: DatasetName, wanted: readonly string[]): string[] {
  const declared = def(dataset).columns;
  for (const c of wanted) if (!Object.hasOwn(declared, c)) throw new Error(`dataset ${dataset} has no column ${c}`);
  const keep = new Set([...wanted, ...(def(dataset).keys ?? [])]);
  return Object.keys(declared).filter((c) => keep.has(c));
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isGuid = (text: string): boolean => GUID.test(text);
