#!/usr/bin/env node
// gatewatch command line: serve | demo | check. Errors a user can fix end the process with one line.
import { parseArgs } from 'node:util';
import { CHECK_FLAGS, ConfigError, DEFAULT_DEMO_PATH, isoInstant, SERVE_FLAGS, wholeNumber, type Flags } from './config.js';
import { runServe } from './serve.js';
import { runCheck } from './check.js';
import { runDemo } from './demo/command.js';
import { DIAGNOSE_USAGE, runDiagnose } from './diagnosis/command.js';
import { parseDbUrl, type DbTarget } from './inventory/index.js';
import { DEFAULT_LIVENESS } from './inventory/liveness.js';
import { VERSION } from './version.js';

const USAGE = `gatewatch ${VERSION} — observability for agents behind Internet gateways

Usage:
  gatewatch serve [--db URL] [--listen HOST:PORT] [--demo-live | --no-demo-live] [options]
  gatewatch demo  [--computers N] [--seed S] [--out FILE] [--now ISO-TIME]
  gatewatch demo  --db mssql://... [--replace | --if-empty] [--create-database] [--computers N] [--seed S] [--now ISO-TIME]
  gatewatch check [--db URL] [--queries-dir DIR]   which inventory datasets are available
  ${DIAGNOSE_USAGE}
  gatewatch --version | --help

serve options (each also an environment variable):
  --db URL                 GATEWATCH_DB        sqlite:PATH, mssql://user:pass@host:port/db?..., or
                                               Server=...;Database=...;... (default: embedded demo,
                                               ${DEFAULT_DEMO_PATH}, created when missing)
  --listen HOST:PORT       GATEWATCH_LISTEN    default 127.0.0.1:4000
  --mode demo|production   GATEWATCH_MODE      default: demo on the embedded demo, else production
  --demo-live              GATEWATCH_DEMO_LIVE live simulator mutating the demo inventory
  --graphiql               GATEWATCH_GRAPHIQL  default on in demo mode only
  --introspection          GATEWATCH_INTROSPECTION  default on in demo mode only
  --api-token TOKEN        GATEWATCH_API_TOKEN bearer token required on /graphql and /metrics
  --metrics-token TOKEN    GATEWATCH_METRICS_TOKEN  bearer token that opens /metrics only
  --allow-anonymous        GATEWATCH_ALLOW_ANONYMOUS  serve a real inventory beyond loopback without a token
  --cors-origin LIST       GATEWATCH_CORS_ORIGINS  browser origins allowed to call /graphql (none by default)
  --request-timeout MS     GATEWATCH_REQUEST_TIMEOUT_MS  statement timeout (default: the DB URL's, else 5000)
  --queries-dir DIR        GATEWATCH_QUERIES_DIR  your adapted copy of queries/sql/
  --metrics-cache-seconds N  GATEWATCH_METRICS_CACHE_SECONDS  how long /metrics reuses a dataset's
                                               result (default 15; 0 reads on every scrape)
  --late-after-hours N     GATEWATCH_LATE_AFTER_HOURS  an agent silent this long is LATE (default ${DEFAULT_LIVENESS.lateAfterHours})
  --inactive-after-days N  GATEWATCH_INACTIVE_AFTER_DAYS  …and this long INACTIVE (default ${DEFAULT_LIVENESS.inactiveAfterDays})
Boolean flags take --no-NAME to turn them off.

demo: the same --seed and --now give the same file; --now defaults to the current minute, so the
demo's recent activity (last successes, denials, pings) is recent. With --db mssql://… (or a
connection string) it (re)creates the contract tables in that SQL Server database and fills them:
--replace when they already hold data (or --if-empty to keep them then), --create-database when the
database is missing; GATEWATCH_DEMO_DB may name it instead of --db. A database with a vComputer view
(a real ITMS CMDB) and SQL Server's system databases are refused.`;

function demoTarget(url: string): DbTarget {
  try {
    return parseDbUrl(url);
  } catch (e) {
    throw new ConfigError(`--db: ${(e as Error).message}`);
  }
}

/** Parses flags of one command; --no-x turns a boolean x off. Unknown flags are errors. */
function parseFlags(args: string[], spec: Record<string, 'string' | 'boolean'>): Flags {
  const options: Record<string, { type: 'string' | 'boolean' }> = {};
  for (const [name, type] of Object.entries(spec)) {
    options[name] = { type };
    if (type === 'boolean') options[`no-${name}`] = { type: 'boolean' };
  }
  const { values, positionals } = parseArgs({ args, options, strict: true, allowPositionals: true });
  if (positionals.length) throw new ConfigError(`unexpected argument ${JSON.stringify(positionals[0])}`);
  const flags: Flags = {};
  for (const [name, value] of Object.entries(values)) {
    if (name.startsWith('no-') && spec[name.slice(3)] === 'boolean') flags[name.slice(3)] = !value;
    else flags[name] = value as string | boolean;
  }
  return flags;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    console.log(USAGE);
    return 0;
  }
  if (command === '--version' || command === '-v') {
    console.log(VERSION);
    return 0;
  }
  if (command === 'serve') return runServe(parseFlags(rest, SERVE_FLAGS));
  if (command === 'check') return runCheck(parseFlags(rest, CHECK_FLAGS));
  if (command === 'diagnose') return runDiagnose(rest);
  if (command === 'demo') {
    const f = parseFlags(rest, { computers: 'string', seed: 'string', out: 'string', now: 'string', db: 'string', replace: 'boolean', 'if-empty': 'boolean', 'create-database': 'boolean' });
    // GATEWATCH_DEMO_DB, not GATEWATCH_DB: a shell set up for `serve` must not point the loader at a CMDB.
    const dbText = typeof f.db === 'string' ? f.db : process.env.GATEWATCH_DEMO_DB || undefined;
    const db = dbText !== undefined ? demoTarget(dbText) : undefined;
    if (db && f.out !== undefined) throw new ConfigError('--out and --db name two targets: give one');
    if (db?.kind !== 'mssql' && (f.replace !== undefined || f['if-empty'] !== undefined || f['create-database'] !== undefined)) {
      throw new ConfigError('--replace, --if-empty and --create-database apply to --db mssql://… only (a demo file is always replaced)');
    }
    return runDemo({
      computers: f.computers === undefined ? 5000 : wholeNumber(1, 10_000_000)(String(f.computers), '--computers'),
      seed: f.seed === undefined ? 1 : wholeNumber(0, 2 ** 31 - 1)(String(f.seed), '--seed'),
      out: db?.kind === 'sqlite' ? db.path : typeof f.out === 'string' ? f.out : DEFAULT_DEMO_PATH,
      now: typeof f.now === 'string' ? isoInstant(f.now, '--now') : undefined,
      mssql: db?.kind === 'mssql' ? { settings: db.settings, replace: f.replace === true, ifEmpty: f['if-empty'] === true, createDatabase: f['create-database'] === true } : undefined,
    });
  }
  throw new ConfigError(`unknown command ${JSON.stringify(command)} (try gatewatch --help)`);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    // Mistakes in flags or settings get one line; anything else is a bug and keeps its stack.
    const userError = e instanceof ConfigError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    console.error(userError ? `gatewatch: ${(e as Error).message}` : e);
    process.exitCode = userError ? 2 : 1;
  },
);
