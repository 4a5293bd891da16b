// SqlInventory: the Inventory (inventory.ts) over one Driver. It binds parameters, wraps queries for
// paging and batch look-ups, maps result types, counts statements and turns driver errors into
// InventoryErrors.
import { DATASET_NAMES, type DatasetName, type KeyColumn, type OrderName, type ParamType, type Params, type Row } from './datasets.js';
import type { Bound, BoundParam, Dialect, Driver, Lane } from './driver.js';
import { InventoryError, isInventoryError } from './errors.js';
import type { DatasetStatus, Derivation, DerivedRow, Direction, Inventory, KeyValue, Page, PageRequest, Restriction } from './inventory.js';
import { laneOf } from './lanes.js';
import { CUTOFF_PARAMS } from './liveness.js';
import { mapRows } from './mapping.js';
import { DEFAULT_QUERIES_DIR, loadSql } from './sql-files.js';
import { bind, def, isGuid, keyChunks, kindOf, MAX_KEYS_PER_STATEMENT, merge, projection } from './sql-params.js';
import { countSql, derivedSql, inListSql, keysetSql, probeSql, quote, selectSql, semiJoinSql } from './sql-wrap.js';
import { QueueWait } from './queue-wait.js';
import { currentStatementScope, StatementStats } from './stats.js';

export { DEFAULT_QUERIES_DIR, isGuid, MAX_KEYS_PER_STATEMENT };

export class SqlInventory implements Inventory {
  readonly stats = new StatementStats();
  /** Each dataset's SQL text, or why it could not be read (that dataset alone is then unavailable). */
  private readonly sql = new Map<DatasetName, string | InventoryError>();

  constructor(
    private readonly driver: Driver,
    queriesDir = DEFAULT_QUERIES_DIR,
  ) {
    for (const name of DATASET_NAMES) this.sql.set(name, loadSql(queriesDir, name));
  }

  get dialect(): Dialect {
    return this.driver.dialect;
  }
  get description(): string {
    return this.driver.description;
  }

  async all<N extends DatasetName>(
    dataset: N,
    params: Params<N> = {},
    order?: { order: OrderName<N>; direction: Direction },
  ): Promise<Row<N>[]> {
    const orderBy = order && this.orderColumns(dataset, order.order).map((c) => `q.${quote(c.name)} ${order.direction === 'DESC' ? 'DESC' : 'ASC'}`);
    const lane = laneOf(dataset);
    // A light dataset's full read is a reference list: a few rows per gateway or relay.
    return this.run(dataset, selectSql(this.dialect, this.base(dataset), { orderBy }), bind(dataset, params), lane, false, lane === 'light' ? 'small' : undefined);
  }

  async page<N extends DatasetName>(dataset: N, params: Params<N>, p: PageRequest<N>): Promise<Page<Row<N>>> {
    const cols = this.orderColumns(dataset, p.order);
    const backward = p.last !== undefined && p.first === undefined;
    const size = backward ? p.last! : (p.first ?? 50);
    if (!Number.isInteger(size) || size < 0) throw new RangeError(`page size must be a whole number ≥ 0, got ${size}`);
    const asc = p.direction === 'ASC';
    const bound = bind(dataset, params);
    // With no filter the LIMIT ends the walk along the order's index; a filter may walk the whole table.
    const broad: Readonly<Record<string, unknown>> = def(dataset).broad ?? {};
    const unfiltered = !p.restrict && bound.every((b) => b.value === null || CUTOFF_PARAMS.has(b.name) || broad[b.name] === b.value);
    const where: string[] = [];
    const keyset = (values: readonly KeyValue[], op: '>' | '<', prefix: string) => {
      if (values.length !== cols.length) throw new RangeError(`cursor has ${values.length} keys, order needs ${cols.length}`);
      where.push(keysetSql(cols.map((c) => c.name), op, prefix));
      cols.forEach((c, i) => bound.push({ name: `${prefix}${i}`, type: c.kind, value: values[i]! }));
    };
    if (p.after) keyset(p.after, asc ? '>' : '<', '__after');
    if (p.before) keyset(p.before, asc ? '<' : '>', '__before');
    if (p.restrict) where.push(this.restriction(p.restrict, bound));
    const scanAsc = backward ? !asc : asc;
    const orderBy = cols.map((c) => `q.${quote(c.name)} ${scanAsc ? 'ASC' : 'DESC'}`);
    bound.push({ name: '__limit', type: 'int', value: size + 1 });
    const columns = p.columns && projection(dataset, [...cols.map((c) => c.name), ...p.columns]);
    const sql = selectSql(this.dialect, this.base(dataset), { where, orderBy, limitParam: '__limit', columns });
    // A page restricted by another dataset's condition (the verdict filter) scans the whole fleet: heavy.
    const rows = await this.run(dataset, sql, bound, p.restrict ? 'heavy' : 'light', columns !== undefined, unfiltered ? 'limit' : undefined);
    const more = rows.length > size;
    if (more) rows.length = size;
    if (backward) rows.reverse();
    return backward
      ? { rows, hasPreviousPage: more, hasNextPage: p.before !== undefined }
      : { rows, hasNextPage: more, hasPreviousPage: p.after !== undefined };
  }

  async count<N extends DatasetName>(dataset: N, params: Params<N> = {}, restrict?: Restriction): Promise<number> {
    const bound = bind(dataset, params);
    const sql = restrict ? countSql(selectSql(this.dialect, this.base(dataset), { where: [this.restriction(restrict, bound)] })) : countSql(this.base(dataset));
    const raw = await this.exec(dataset, sql, bound, 'heavy');
    return Number(raw.rows[0]?.[raw.columns.indexOf('Count')] ?? 0);
  }

  async derive<N extends DatasetName>(dataset: N, params: Params<N>, d: Derivation<N>): Promise<DerivedRow<N>[]> {
    const names = [...new Set(d.columns.map((c) => c.name))];
    // A batch of keys is a look-up (light lane); the whole dataset is an aggregate's work (heavy).
    const lane: Lane = d.keys ? 'light' : 'heavy';
    const one = async (where: string[], extra: BoundParam[]) => {
      const bound = merge(bind(dataset, params), [...d.params, ...extra]);
      const sql = derivedSql(this.base(dataset), { columns: d.columns, where: d.where ? [d.where, ...where] : where });
      const result = await this.exec(dataset, sql, bound, lane);
      const at = names.map((n) => result.columns.indexOf(n));
      const rows = mapRows(dataset, def(dataset).columns, result) as Row<N>[];
      return rows.map((row, i): DerivedRow<N> => ({ row, computed: Object.fromEntries(names.map((n, j) => [n, result.rows[i]![at[j]!] ?? null])) }));
    };
    if (!d.keys) return one([], []);
    const kind = kindOf(def(dataset).columns[d.keys.column]!);
    const out: DerivedRow<N>[] = [];
    for (const keys of keyChunks(kind, d.keys.values)) out.push(...(await one([inListSql(d.keys.column, keys.names)], keys.params)));
    return out;
  }

  async tally<N extends DatasetName>(dataset: N, params: Params<N>, d: Derivation<N> & { groupBy: readonly string[] }): Promise<Record<string, unknown>[]> {
    const bound = merge(bind(dataset, params), d.params);
    const sql = derivedSql(this.base(dataset), { columns: d.columns, where: d.where ? [d.where] : [], groupBy: d.groupBy });
    const { columns, rows } = await this.exec(dataset, sql, bound, 'heavy');
    return rows.map((r) => Object.fromEntries(columns.map((c, i) => [c, r[i]])));
  }

  async byKeys<N extends DatasetName>(
    dataset: N,
    column: KeyColumn<N>,
    keys: readonly string[],
    params: Params<N> = {},
  ): Promise<Row<N>[]> {
    const kind = kindOf(def(dataset).columns[column]!);
    const out: Row<N>[] = [];
    for (const chunk of keyChunks(kind, keys)) {
      const bound = bind(dataset, params);
      bound.push(...chunk.params);
      const sql = selectSql(this.dialect, this.base(dataset), { where: [inListSql(column, chunk.names)] });
      out.push(...(await this.run(dataset, sql, bound, 'light')));
    }
    return out;
  }

  orderColumns<N extends DatasetName>(dataset: N, order: OrderName<N>): { name: string; kind: ParamType }[] {
    const names = (def(dataset).orders as Record<string, readonly string[]> | undefined)?.[order];
    if (!names) throw new Error(`dataset ${dataset} has no order ${order}`);
    return names.map((name) => ({ name, kind: kindOf(def(dataset).columns[name]!) }));
  }

  /** Runs the dataset for zero rows: throws unless every table and column it needs is there. */
  async probe(dataset: DatasetName): Promise<void> {
    const { columns } = await this.exec(dataset, probeSql(this.dialect, this.base(dataset)), bind(dataset, {}), 'light', 'empty');
    const missing = Object.keys(def(dataset).columns).filter((c) => !columns.includes(c));
    if (missing.length) {
      throw new InventoryError('DATASET_UNAVAILABLE', `dataset ${dataset}: result lacks column(s) ${missing.join(', ')}`, dataset);
    }
  }

  async check(): Promise<DatasetStatus[]> {
    const out: DatasetStatus[] = [];
    for (const dataset of DATASET_NAMES) {
      try {
        await this.probe(dataset);
        out.push({ dataset, available: true });
      } catch (e) {
        if (isInventoryError(e) && e.code === 'UNREACHABLE') throw e;
        out.push({ dataset, available: false, error: e instanceof Error ? e.message : String(e) });
      }
    }
    return out;
  }

  async ping(): Promise<void> {
    await this.exec('ping', 'SELECT 1 AS [ok]', [], 'light');
  }

  close(): Promise<void> {
    return this.driver.close();
  }

  private base(dataset: DatasetName): string {
    const sql = this.sql.get(dataset)!;
    if (sql instanceof InventoryError) throw sql;
    return sql;
  }

  /** The restriction's condition; its dataset's and condition's parameters join `bound`. */
  private restriction(r: Restriction, bound: BoundParam[]): string {
    const own = bind(r.dataset, r.params as Params<DatasetName>);
    const merged = merge(bound, [...own, ...r.conditionParams]);
    bound.splice(0, bound.length, ...merged);
    return semiJoinSql(r.column, this.base(r.dataset), r.key, r.condition);
  }

  private async run<N extends DatasetName>(dataset: N, sql: string, params: BoundParam[], lane: Lane, projected = false, bound?: Bound): Promise<Row<N>[]> {
    return mapRows(dataset, def(dataset).columns, await this.exec(dataset, sql, params, lane, bound), projected) as Row<N>[];
  }

  /** One statement, in the lane given, dropped if the request it serves is abandoned. */
  private async exec(dataset: string, sql: string, params: BoundParam[], lane: Lane, bound?: Bound) {
    this.stats.record(dataset);
    const result = await this.query(dataset, sql, params, lane, bound);
    // Outside query()'s catch: a request over its row budget is stopped with the budget's own error.
    this.stats.read(result.rows.length);
    return result;
  }

  private async query(dataset: string, sql: string, params: BoundParam[], lane: Lane, bound?: Bound) {
    try {
      const scope = currentStatementScope();
      // A request's waits share one bound; a background read (a budget of its own) waits within that budget.
      const wait = scope && scope.timeoutMs === undefined ? (scope.queueWait ??= new QueueWait()) : undefined;
      return await this.driver.query(sql, params, { lane, bound, signal: scope?.signal, timeoutMs: scope?.timeoutMs, wait });
    } catch (e) {
      if (isInventoryError(e)) throw e;
      const { code, message } = this.driver.classify(e);
      const where = dataset === 'ping' ? '' : `dataset ${dataset}: `;
      throw new InventoryError(code, `${where}${message}`, dataset === 'ping' ? undefined : dataset, { cause: e });
    }
  }
}
