// Statements SQLite can prove cheap run on the server's own thread: no round trip to a worker
// process, which measured ~0.5 ms of CPU per statement on each side (JSON both ways, two wake-ups),
// more than the statement itself. Proof is the statement's query plan, judged once per text and
// schema: only index seeks, or (for an unfiltered page) one index-ordered walk that its LIMIT stops,
// or (for a reference list) small tables. A seek can still match many rows, so rows are read one by
// one against a time budget; past it, and on any failure, the statement goes to a worker, where a
// runaway statement can be stopped and a writer's lock waited for.
import type Database from 'better-sqlite3';
import type { Bound } from './driver.js';
import { ReadonlyFile } from './sqlite-file.js';

export interface PlanLine {
  id: number;
  parent: number;
  detail: string;
}

/**
 * Plan lines that read nothing by themselves: a constant row, and the headers of subqueries run once
 * per row or once for one value. A list subquery that is not correlated is read whole before the
 * first row, where no budget can stop it: it is not here.
 */
const HEADER = /^((CORRELATED )?SCALAR SUBQUERY \d+|CORRELATED LIST SUBQUERY \d+|SCAN CONSTANT ROW)$/;
/** A whole table or index, in order. */
const SCAN = /^SCAN \S+( USING (COVERING )?INDEX \S+)?( LEFT-JOIN)?$/;
/** An index constraint; a seek when it starts with an equality (`Guid=?`, `_ResourceGuid=? AND Gateway<?`). */
const SEARCH = /^SEARCH \S+ USING (INTEGER PRIMARY KEY|PRIMARY KEY|(COVERING )?INDEX \S+) \((.+)\)( LEFT-JOIN)?$/;
const EQUALITY_FIRST = /^[^()<>=]+=\?/;

/**
 * Whether a plan reads a bounded number of rows. Only the line shapes known here pass; anything
 * else (a sort, a materialized subquery, an automatic index, an IN over a subquery...) is work
 * proportional to a table. A SCAN, or a range from an index's first column, reads up to the whole
 * table: allowed only as the first access of the outer query of an unfiltered page (`limit`, where
 * the LIMIT ends the walk) or anywhere in a reference list (`small`).
 */
export function planIsBounded(lines: readonly PlanLine[], bound?: Bound): boolean {
  let first = true;
  for (const line of lines) {
    if (HEADER.test(line.detail)) continue;
    const search = SEARCH.exec(line.detail);
    if (!search && !SCAN.test(line.detail)) return false;
    const seek = search !== null && EQUALITY_FIRST.test(search[3]!);
    const driving = first && line.parent === 0;
    if (line.parent === 0) first = false;
    if (seek || bound === 'small' || (bound === 'limit' && driving)) continue;
    return false;
  }
  return true;
}

/** Reading past this goes to a worker: it bounds how long one statement holds the server's thread. */
const BUDGET_MS = 10;
/** Statements past the budget this often (per text and page size) go straight to a worker. */
const STRIKES = 3;
/** Texts remembered, most recently used kept: batch look-ups make one text per key count. */
const REMEMBERED = 1000;

export class InlineReader {
  /** Statements answered here: tests and the benchmark count them with the workers'. */
  executed = 0;
  /** Statements given up past the time budget (and answered by a worker). */
  abandoned = 0;
  private readonly file: ReadonlyFile;
  private readonly verdicts = new Map<string, boolean>();
  private readonly strikes = new Map<string, number>();
  /** The file and schema the verdicts were reached on: another (a new demo, a dropped index) may plan otherwise. */
  private judged = '';
  private closed = false;

  constructor(path: string) {
    // A writer's lock is never waited for on this thread: such a statement goes to a worker.
    this.file = new ReadonlyFile(path, 0);
  }

  /** The statement's result, or undefined when it is not provably cheap, ran long or failed here: run it in a worker. */
  run(sql: string, params: Record<string, unknown>, bound?: Bound): { columns: string[]; rows: unknown[][] } | undefined {
    if (this.closed) return undefined;
    try {
      const db = this.current();
      const struck = `${params.__limit ?? ''}\u0000${sql}`;
      if (!this.bounded(db, sql, params, bound) || (this.strikes.get(struck) ?? 0) >= STRIKES) return undefined;
      const { stmt, columns } = this.file.prepare(sql, db);
      const rows: unknown[][] = [];
      const started = performance.now();
      for (const row of stmt.iterate(params) as IterableIterator<unknown[]>) {
        rows.push(row);
        // Leaving the loop resets the statement; the worker then reads it again, whole.
        if (performance.now() - started > BUDGET_MS) {
          this.abandoned++;
          return void remember(this.strikes, struck, (this.strikes.get(struck) ?? 0) + 1);
        }
      }
      this.executed++;
      return { columns, rows };
    } catch (e) {
      // The worker runs it again and reports the error (or waits out the lock) as it always has.
      this.file.failed(e as { code?: string });
      return undefined;
    }
  }

  close(): void {
    this.closed = true;
    this.file.reset();
  }

  /**
   * The connection, and verdicts that hold for it: a new file, or a schema changed in place (a dropped
   * index), is judged afresh. A connection plans EXPLAIN with the schema it last loaded, so after a
   * change in place it is opened again before anything is judged.
   */
  private current(): Database.Database {
    let db = this.file.connection();
    const version = (open: Database.Database) => `${this.file.generation}:${this.file.schemaVersion(open)}`;
    if (version(db) === this.judged) return db;
    if (this.judged && this.judged.startsWith(`${this.file.generation}:`)) {
      this.file.reset();
      db = this.file.connection();
    }
    this.verdicts.clear();
    this.strikes.clear();
    this.judged = version(db);
    return db;
  }

  private bounded(db: Database.Database, sql: string, params: Record<string, unknown>, bound?: Bound): boolean {
    const key = bound ? `${bound}\u0000${sql}` : sql;
    let verdict = this.verdicts.get(key);
    if (verdict === undefined) verdict = planIsBounded(db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as PlanLine[], bound);
    remember(this.verdicts, key, verdict);
    return verdict;
  }
}

/** Sets a key as the most recently used, forgetting the least recently used beyond REMEMBERED. */
function remember<V>(map: Map<string, V>, key: string, value: V): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > REMEMBERED) map.delete(map.keys().next().value!);
}
