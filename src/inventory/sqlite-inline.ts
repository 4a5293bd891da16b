// Statements SQLite can prove cheap run on the server's own thread: no round trip to a worker
// process, which measured ~0.5 ms of CPU per statement on each side (JSON both ways, two wake-ups),
// more than the statement itself. Proof is the statement's query plan, read once per text: only
// index seeks, or (for an unfiltered page) one index-ordered scan that its LIMIT stops, or (for a
// reference list) small tables. Anything else, and any statement that fails here, goes to a worker,
// where a runaway statement can still be stopped and a writer's lock waited for.
import type Database from 'better-sqlite3';
import type { Bound } from './driver.js';
import { ReadonlyFile } from './sqlite-file.js';

export interface PlanLine {
  id: number;
  parent: number;
  detail: string;
}

/** Work proportional to a table, whatever the LIMIT: sorting, materializing, building an index. */
const UNBOUNDED = /^(USE TEMP B-TREE|MATERIALIZE|CO-ROUTINE|COMPOUND|MULTI-INDEX OR|BLOOM FILTER|RECURSIVE)|AUTOMATIC/;
/** A table access; the part in brackets is the index constraint, when there is one. */
const ACCESS = /^(SCAN|SEARCH) (?!CONSTANT ROW)\S+(?:.*?\(([^)]*)\))?/;

/**
 * Whether a plan reads a bounded number of rows. A SEARCH whose index constraint starts with an
 * equality (`(Guid=?)`, `(_ResourceGuid=? AND Gateway<?)`) reads the rows of one key; a SCAN, or a
 * range from the first index column (`(Name>?)`), reads up to the whole table. Such a read is
 * allowed only as the first access of the outer query of an unfiltered page (`limit`, where the
 * LIMIT ends the index-ordered walk) or anywhere in a reference list (`small`).
 */
export function planIsBounded(lines: readonly PlanLine[], bound?: Bound): boolean {
  let first = true;
  for (const line of lines) {
    if (UNBOUNDED.test(line.detail)) return false;
    const access = ACCESS.exec(line.detail);
    if (!access) continue;
    const seek = access[1] === 'SEARCH' && /^[^<>=]+=\?/.test(access[2] ?? '');
    const driving = first && line.parent === 0;
    if (line.parent === 0) first = false;
    if (seek || bound === 'small' || (bound === 'limit' && driving)) continue;
    return false;
  }
  return true;
}

/**
 * A statement that took this long here anyway, three times (a filter its caller thought broad was
 * not; once may be a cold page cache), goes to a worker from then on: a few stalls, not one per request.
 */
const SLOW_MS = 20;
const SLOW_RUNS = 3;
/** How many statement texts keep their verdict; more texts are judged again (batch look-ups make one per key count). */
const VERDICTS = 1000;

export class InlineReader {
  /** Statements run here: tests and the benchmark count them with the workers'. */
  executed = 0;
  private readonly file: ReadonlyFile;
  private readonly verdicts = new Map<string, boolean>();
  private readonly slowRuns = new Map<string, number>();
  /** The file the verdicts were reached on: another file (a new demo) may lack an index. */
  private judged = 0;
  private closed = false;

  constructor(path: string) {
    // A writer's lock is never waited for on this thread: such a statement goes to a worker.
    this.file = new ReadonlyFile(path, 0);
  }

  /** The statement's result, or undefined when it is not provably cheap or failed here: run it in a worker. */
  run(sql: string, params: Record<string, unknown>, bound?: Bound): { columns: string[]; rows: unknown[][] } | undefined {
    if (this.closed) return undefined;
    try {
      const db = this.file.connection();
      if (!this.bounded(db, sql, params, bound)) return undefined;
      const { stmt, columns } = this.file.prepare(sql, db);
      const started = performance.now();
      const rows = stmt.all(params) as unknown[][];
      if (performance.now() - started > SLOW_MS) this.slow(sql, bound);
      this.executed++;
      return { columns, rows };
    } catch (e) {
      // The worker runs it again and reports the error (or waits out the lock) as it always has.
      this.file.failed(e as { code?: string });
      return undefined;
    }
  }

  private slow(sql: string, bound?: Bound): void {
    const key = this.key(sql, bound);
    const runs = (this.slowRuns.get(key) ?? 0) + 1;
    this.slowRuns.set(key, runs);
    if (runs >= SLOW_RUNS) this.verdicts.set(key, false);
  }

  private key(sql: string, bound?: Bound): string {
    return bound ? `${bound}\u0000${sql}` : sql;
  }

  close(): void {
    this.closed = true;
    this.file.reset();
  }

  private bounded(db: Database.Database, sql: string, params: Record<string, unknown>, bound?: Bound): boolean {
    if (this.judged !== this.file.inode) {
      this.verdicts.clear();
      this.judged = this.file.inode;
    }
    const key = this.key(sql, bound);
    let verdict = this.verdicts.get(key);
    if (verdict === undefined) {
      const lines = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as PlanLine[];
      verdict = planIsBounded(lines, bound);
      if (this.verdicts.size < VERDICTS) this.verdicts.set(key, verdict);
    }
    return verdict;
  }
}
