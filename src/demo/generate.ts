// The demo inventory as a SQLite file: the rows demoRows (rows.ts) streams, written in large
// transactions and indexed afterwards, so a million computers build in bounded memory and time.
import { closeSync, mkdirSync, openSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { TABLES } from '../inventory/tables.js';
import { schemaSql } from './ddl.js';
import { defaultNow } from './estate.js';
import * as F from './fleet.js';
import { demoRows, type DemoOptions } from './rows.js';
import { checkDemoTarget, DemoTargetError, describeFsError, isPlaceError } from './target.js';

// The default "now" of a build; kept importable from here, where callers of the build look for it.
export { defaultNow };

export interface BuildOptions extends DemoOptions {
  /** Leave out gatewatch's contract tables, as a plain ITMS CMDB has none (`demo --without-contract`). */
  withoutContract?: boolean;
}

export interface DemoSummary {
  path: string;
  seed: number;
  now: Date;
  computers: number;
  unmanaged: number;
  /** Rows written per table. */
  rows: Record<string, number>;
  ms: number;
}

/**
 * Builds the demo inventory into `path`: written to a temporary file beside it and renamed over
 * `path`, so a reader never opens half a file. Indexes come after the bulk insert, which is several
 * times faster. Only a new file or an earlier demo file is replaced (target.ts); anything else, or a
 * place that cannot be written, is a DemoTargetError and leaves no temporary file behind.
 */
export async function buildDemoInventory(path: string, opts: BuildOptions = {}): Promise<DemoSummary> {
  checkDemoTarget(path);
  // Our own name, created exclusively: a `.tmp` file the user keeps there is never ours to remove.
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}-${Date.now()}.tmp`);
  try {
    mkdirSync(dirname(path), { recursive: true });
    closeSync(openSync(tmp, 'wx'));
  } catch (e) {
    if (isPlaceError(e)) throw new DemoTargetError(`cannot write the demo inventory to ${path}: ${describeFsError(e)}`);
    throw e;
  }
  try {
    const summary = await writeDemo(tmp, opts);
    // The build takes a while: whatever appeared at `path` meanwhile gets the same check.
    checkDemoTarget(path);
    // A -wal or -shm left by an earlier file would be replayed onto this one.
    for (const f of [`${path}-wal`, `${path}-shm`]) rmSync(f, { force: true });
    renameSync(tmp, path);
    return { ...summary, path };
  } catch (e) {
    for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`, `${tmp}-journal`]) rmSync(f, { force: true });
    if (isPlaceError(e)) throw new DemoTargetError(`cannot write the demo inventory to ${path}: ${describeFsError(e)}`);
    throw e;
  }
}

async function writeDemo(tmp: string, opts: BuildOptions): Promise<DemoSummary> {
  const started = Date.now();
  const now = opts.now ?? defaultNow();
  const seed = opts.seed ?? 1;
  const ddl = schemaSql('sqlite');
  const counts: Record<string, number> = Object.fromEntries(TABLES.map((t) => [t.name, 0]));
  const db = new Database(tmp);
  try {
    // Nothing to protect while building a throw-away file: no journal, no fsync.
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.pragma('cache_size = -131072');
    for (const sql of ddl.filter((s) => !s.startsWith('CREATE INDEX'))) db.exec(sql);
    const inserts = new Map(
      TABLES.map((t) => {
        const cols = t.columns.map((c) => c.name);
        const stmt = db.prepare(`INSERT INTO [${t.name}] (${cols.map((c) => `[${c}]`).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`);
        return [t.name, { cols, stmt }] as const;
      }),
    );
    let batch = 0;
    db.exec('BEGIN');
    for (const { table, row } of demoRows({ ...opts, now, seed })) {
      const ins = inserts.get(table)!;
      ins.stmt.run(ins.cols.map((c) => sqliteValue(row[c])));
      counts[table]!++;
      if (++batch >= 200_000) {
        db.exec('COMMIT');
        // Let a server that builds the demo at start-up keep answering meanwhile.
        await new Promise((r) => setImmediate(r));
        db.exec('BEGIN');
        batch = 0;
      }
    }
    db.exec('COMMIT');
    for (const sql of ddl.filter((s) => s.startsWith('CREATE INDEX'))) db.exec(sql);
    // Built whole, then cut: the estate (and so every name and verdict) stays the one the seed gives.
    if (opts.withoutContract) {
      for (const t of TABLES.filter((x) => x.source === 'contract')) {
        db.exec(`DROP TABLE [${t.name}]`);
        delete counts[t.name];
      }
    }
    db.exec('ANALYZE');
    // Marks the file as a gatewatch demo: the simulator writes only to files that carry it, and
    // `gatewatch demo` replaces only files that carry it.
    db.pragma(`application_id = ${F.DEMO_APPLICATION_ID}`);
    // WAL lets the simulator write while the server reads; the mode is stored in the file itself.
    db.pragma('journal_mode = WAL');
  } finally {
    db.close();
  }
  const managed = opts.computers ?? 5000;
  return { path: tmp, seed, now, computers: managed, unmanaged: counts.vComputer! - managed, rows: counts, ms: Date.now() - started };
}

/** SQLite has no boolean or date type: 1/0 and full ISO-8601 UTC text, which sorts as time does. */
export function sqliteValue(v: unknown): unknown {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof Date) return v.toISOString();
  return v ?? null;
}
