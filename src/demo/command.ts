// `gatewatch demo`: build a demo inventory file, or load one into a SQL Server database (--db
// mssql://…), with a progress bar on a terminal and a line per 10 % otherwise (CI logs).
import { EXIT } from '../exit-codes.js';
import { ConfigError, DEFAULT_DEMO_PATH, isoInstant, wholeNumber, type Flags } from '../config.js';
import { parseDbUrl, type DbTarget } from '../inventory/index.js';
import type { MssqlSettings } from '../inventory/mssql-settings.js';
import { buildDemoInventory } from './generate.js';
import { DemoTargetError } from './target.js';

export interface DemoCommand {
  computers: number;
  seed: number;
  out: string;
  now?: Date;
  /** Leave out gatewatch's contract tables: the file then looks as a plain ITMS CMDB does to gatewatch. */
  withoutContract?: boolean;
  /** Load into this SQL Server database instead of writing the file `out`. */
  mssql?: { settings: MssqlSettings; replace: boolean; ifEmpty: boolean; createDatabase: boolean };
}

/** The flags `gatewatch demo` takes. */
export const DEMO_FLAGS = {
  computers: 'string', seed: 'string', out: 'string', now: 'string', db: 'string', replace: 'boolean', 'if-empty': 'boolean', 'create-database': 'boolean',
  'without-contract': 'boolean',
} as const;

function demoTarget(url: string): DbTarget {
  try {
    return parseDbUrl(url);
  } catch (e) {
    throw new ConfigError(`--db: ${(e as Error).message}`);
  }
}

/** The command the flags describe; a bad or contradictory value is a ConfigError naming the flag. */
export function demoCommand(f: Flags, env: NodeJS.ProcessEnv = process.env): DemoCommand {
  // GATEWATCH_DEMO_DB, not GATEWATCH_DB: a shell set up for `serve` must not point the loader at a CMDB.
  const dbText = typeof f.db === 'string' ? f.db : env.GATEWATCH_DEMO_DB || undefined;
  const db = dbText !== undefined ? demoTarget(dbText) : undefined;
  if (db && f.out !== undefined) throw new ConfigError('--out and --db name two targets: give one');
  // An empty path passes the target check (nothing is there) and fails only at the rename, after the whole build.
  if (typeof f.out === 'string' && !f.out.trim()) throw new ConfigError(`--out: expected a file path, got ${JSON.stringify(f.out)}`);
  if (db?.kind !== 'mssql' && (f.replace !== undefined || f['if-empty'] !== undefined || f['create-database'] !== undefined)) {
    throw new ConfigError('--replace, --if-empty and --create-database apply to --db mssql://… only (an earlier demo file is always replaced)');
  }
  if (db?.kind === 'mssql' && f['without-contract'] !== undefined) throw new ConfigError('--without-contract applies to a demo file (--out) only');
  return {
    computers: f.computers === undefined ? 5000 : wholeNumber(1, 10_000_000)(String(f.computers), '--computers'),
    seed: f.seed === undefined ? 1 : wholeNumber(0, 2 ** 31 - 1)(String(f.seed), '--seed'),
    out: db?.kind === 'sqlite' ? db.path : typeof f.out === 'string' ? f.out : DEFAULT_DEMO_PATH,
    now: typeof f.now === 'string' ? isoInstant(f.now, '--now') : undefined,
    withoutContract: f['without-contract'] === true,
    mssql: db?.kind === 'mssql' ? { settings: db.settings, replace: f.replace === true, ifEmpty: f['if-empty'] === true, createDatabase: f['create-database'] === true } : undefined,
  };
}

function progressReporter(): (done: number, total: number) => void {
  const tty = process.stderr.isTTY;
  let lastTenth = -1;
  return (done, total) => {
    const share = total ? done / total : 1;
    if (tty) {
      const width = 30;
      const bar = '#'.repeat(Math.round(share * width)).padEnd(width, '.');
      process.stderr.write(`\r  [${bar}] ${done.toLocaleString('en')} / ${total.toLocaleString('en')} computers`);
      if (done >= total) process.stderr.write('\n');
    } else if (Math.floor(share * 10) > lastTenth) {
      lastTenth = Math.floor(share * 10);
      process.stderr.write(`  ${lastTenth * 10}% (${done} / ${total} computers)\n`);
    }
  };
}

export async function runDemo(c: DemoCommand): Promise<number> {
  const started = performance.now();
  const opts = { computers: c.computers, seed: c.seed, now: c.now, withoutContract: c.withoutContract, onProgress: progressReporter() };
  let target = c.out;
  let rows: Record<string, number> | undefined;
  if (c.mssql) {
    const { settings, replace, ifEmpty, createDatabase } = c.mssql;
    // Loaded here only: mssql weighs ~33 MB that every other command would carry for nothing.
    const [{ default: mssql }, { MssqlDriver }, { DemoRefused, ensureDatabase, loadDemo, withPool }] = await Promise.all([
      import('mssql'),
      import('../inventory/mssql.js'),
      import('./mssql-load.js'),
    ]);
    const driver = new MssqlDriver(settings);
    target = driver.description;
    try {
      if (createDatabase) await ensureDatabase(settings);
      rows = await withPool(settings, (exec) => loadDemo(exec, { ...opts, database: settings.database, replace, ifEmpty }));
    } catch (e) {
      if (!(e instanceof DemoRefused || e instanceof mssql.MSSQLError)) throw e;
      // One line, as `serve` and `check` give: the driver's classification adds hints and hides the password.
      console.error(`gatewatch: ${e instanceof DemoRefused ? e.message : driver.classify(e).message}`);
      return e instanceof DemoRefused ? EXIT.USAGE : EXIT.UNAVAILABLE;
    }
  } else {
    try {
      rows = (await buildDemoInventory(c.out, opts)).rows;
    } catch (e) {
      if (!(e instanceof DemoTargetError)) throw e;
      console.error(`gatewatch: ${e.message}`);
      return EXIT.USAGE;
    }
  }
  if (!rows) {
    console.log(`gatewatch: demo inventory ${target} already holds data: kept as it is (--if-empty)`);
    return 0;
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`gatewatch: demo inventory ${target} (seed ${c.seed}) written in ${seconds} s`);
  console.log(`  ${Object.entries(rows).map(([t, n]) => `${t}: ${n}`).join(', ')}`);
  return 0;
}
