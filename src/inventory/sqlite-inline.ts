// Statements SQLite can prove cheap run on the server's own thread: no round trip to a worker
// process, which measured ~0.5 ms of CPU per statement on each side (JSON both ways, two wake-ups),
// more than the statement itself. Proof is the statement's query plan, judged once per text and
// schema: only index seeks, or (for an unfiltered page) one index-ordered walk that its LIMIT stops,
// or (for a reference list) small tables. A seek can still match many rows, so rows are read one by
// one against a time budget, checked between rows; past it, and on any failure, the statement goes to
// a worker, where a runaway statement can be stopped and a writer's lock waited for. What the plan
// cannot show is how far a walk goes between two rows (a filter value declared broad that is not):
// such a step holds the thread until it ends, and benches its text (at once when over 100 ms).
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
  if (bound === 'empty') return true;
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

/** Reading past this goes to a worker: checked between rows, it bounds how long a statement holds the server's thread, unless one step is slow. */
const BUDGET_MS = 10;
/**
 * One step alone longer than this many budgets (100 ms) benches its text at once: a walk the budget
 * cannot cut short. A shorter long step is one strike like any other, since a GC pause or the OS can
 * stretch a step past 10 ms: with 100 mixed clients, one such pause sent a page to a cold worker for
 * 100 calls and their p99 went from ~250 ms to 1.5-3.9 s.
 */
const LONG_STEP = 10;
/** Statements past the budget this often in a row (per text and page size) go straight to a worker... */
const STRIKES = 3;
/** ...for this many calls, then one is tried here again (twice as many after each failed try, at most MAX_WAIT). */
const RETRY_AFTER = 100;
const MAX_WAIT = 10_000;
/** Texts remembered, most recently used kept: batch look-ups make one text per key count. */
const REMEMBERED = 1000;

interface Memo {
  /** The plan's verdict per Bound hint ('' for none). */
  verdicts: Map<Bound | '', boolean>;
  /** Runs past the budget, per page size (`__limit`). */
  strikes: Map<unknown, Strikes>;
}

interface Strikes {
  count: number;
  /** Calls sent to a worker since the last try here, and how many to send before the next. */
  skipped: number;
  wait: number;
}

export class InlineReader {
  /** Statements answered here: tests and the benchmark count them with the workers'. */
  executed = 0;
  /** Statements given up past the time budget (and answered by a worker). */
  abandoned = 0;
  private readonly file: ReadonlyFile;
  /**
   * What is known of each text, keyed by the text itself: the string keeps its hash after the first
   * look-up (the statement cache's too), where keys built per call (hint or page size + text) hashed
   * ~3 KB of SQL each time, ~30 µs a statement in-process.
   */
  private memos = new Map<string, Memo>();
  /** The file and schema the memos were reached on: another (a new demo, a dropped index) may plan otherwise. */
  private judged = { generation: 0, schema: -1 };
  private closed = false;

  constructor(
    path: string,
    private readonly budgetMs = BUDGET_MS,
    /** The clock the budget is kept with (tests script one). */
    private readonly clock: () => number = () => performance.now(),
  ) {
    // A writer's lock is never waited for on this thread: such a statement goes to a worker.
    this.file = new ReadonlyFile(path, 0);
  }

  /** The statement's result, or undefined when it is not provably cheap, ran long or failed here: run it in a worker. */
  run(sql: string, params: Record<string, unknown>, bound?: Bound): { columns: string[]; rows: unknown[][] } | undefined {
    if (this.closed) return undefined;
    try {
      const db = this.current();
      const memo = this.memoOf(sql);
      const limit = params.__limit;
      if (!this.bounded(db, memo, sql, params, bound) || this.benched(memo, limit)) return undefined;
      const { stmt, columns } = this.file.prepare(sql, db);
      const rows: unknown[][] = [];
      const started = this.clock();
      let last = started;
      let longest = 0;
      for (const row of stmt.iterate(params) as IterableIterator<unknown[]>) {
        rows.push(row);
        const now = this.clock();
        longest = Math.max(longest, now - last);
        last = now;
        // Leaving the loop resets the statement; the worker then reads it again, whole.
        if (now - started > this.budgetMs) return void this.strike(memo, limit, longest);
      }
      // Done, but a slow last step counts: the next run may not be so lucky.
      const end = this.clock() - last;
      if (end > this.budgetMs) this.strike(memo, limit, end);
      else memo.strikes.delete(limit);
      this.executed++;
      return { columns, rows };
    } catch (e) {
      // The worker runs it again and reports the error (or waits out the lock) as it always has.
      this.file.failed(e as { code?: string });
      return undefined;
    }
  }

  /** Whether this text (and page size) goes straight to a worker for now. */
  private benched(memo: Memo, limit: unknown): boolean {
    const s = memo.strikes.get(limit);
    if (!s || s.count < STRIKES) return false;
    if (++s.skipped < s.wait) return true;
    s.skipped = 0;
    return false;
  }

  /**
   * A run past the budget, whose longest step took `longestMs`. A step of LONG_STEP budgets (a filter
   * walking far between rows) benches the text at once: the budget could not stop it, and would not
   * next time.
   */
  private strike(memo: Memo, limit: unknown, longestMs: number): void {
    this.abandoned++;
    const s = memo.strikes.get(limit) ?? { count: 0, skipped: 0, wait: 0 };
    s.count = longestMs > LONG_STEP * this.budgetMs ? Math.max(STRIKES, s.count + 1) : s.count + 1;
    if (s.count >= STRIKES) s.wait = s.wait ? Math.min(2 * s.wait, MAX_WAIT) : RETRY_AFTER;
    memo.strikes.set(limit, s);
  }

  /** The text's memo, now the most recently used; the least recently used beyond REMEMBERED is forgotten. */
  private memoOf(sql: string): Memo {
    const memo = this.memos.get(sql) ?? { verdicts: new Map(), strikes: new Map() };
    this.memos.delete(sql);
    this.memos.set(sql, memo);
    if (this.memos.size > REMEMBERED) this.memos.delete(this.memos.keys().next().value!);
    return memo;
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
    if (this.judgedOn(db)) return db;
    if (this.judged.generation === this.file.generation) {
      this.file.reset();
      db = this.file.connection();
    }
    this.memos.clear();
    this.judged = { generation: this.file.generation, schema: this.file.schemaVersion(db) };
    return db;
  }

  /** Whether the memos were reached on this file and schema. */
  private judgedOn(db: Database.Database): boolean {
    return this.judged.generation === this.file.generation && this.judged.schema === this.file.schemaVersion(db);
  }

  private bounded(db: Database.Database, memo: Memo, sql: string, params: Record<string, unknown>, bound?: Bound): boolean {
    const known = memo.verdicts.get(bound ?? '');
    if (known !== undefined) return known;
    const verdict = planIsBounded(db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as PlanLine[], bound);
    // A schema changed while this was judged may have been planned with the old one: judge again next time.
    if (this.judgedOn(db)) memo.verdicts.set(bound ?? '', verdict);
    return verdict;
  }
}
