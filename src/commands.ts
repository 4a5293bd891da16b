// The subcommands of `gatewatch`: one entry each, with its flags, its help text and how it runs.
// `gatewatch --help` lists their synopses; `gatewatch <command> --help` prints the entry's help.
// Adding a subcommand is adding an entry here.
import { runCheck } from './check.js';
import type { FlagSpec } from './cli-args.js';
import { CHECK_FLAGS, DEFAULT_DEMO_PATH, SERVE_FLAGS, SETTING_ENV, type Flags } from './config.js';
import { DEMO_FLAGS, demoCommand, runDemo } from './demo/command.js';
import { DIAGNOSE_FLAGS, runDiagnose } from './diagnosis/command.js';
import { runServe } from './serve.js';
import { wrap } from './text.js';

export interface Command {
  /** Usage lines, without the leading `gatewatch `. */
  synopsis: string[];
  /** One line for `gatewatch --help`. */
  summary: string;
  flags: FlagSpec;
  /** How many positional arguments it takes (default none). */
  maxPositionals?: number;
  /** Its help below the synopsis: what it does, each flag with its environment variable. */
  help: () => string;
  run: (flags: Flags, positionals: string[]) => Promise<number>;
}

/** A flag's value placeholder and description; its environment variable comes from config.ts. */
const FLAG_HELP: Record<string, [arg: string, text: string]> = {
  db: ['URL', `sqlite:PATH, mssql://user:pass@host:port/db?..., or Server=...;Database=...;... (default: the embedded demo, ${DEFAULT_DEMO_PATH}, created when missing)`],
  listen: ['HOST:PORT', 'where to listen (default 127.0.0.1:4000)'],
  mode: ['demo|production', 'default: demo on the embedded demo, else production'],
  'demo-live': ['', 'a live simulator mutating the demo inventory'],
  graphiql: ['', 'GraphiQL in a browser at /graphql (default: on in demo mode only)'],
  introspection: ['', 'GraphQL introspection (default: on in demo mode only)'],
  'api-token': ['TOKEN', 'bearer token required on /graphql and /metrics (at least 16 characters)'],
  'metrics-token': ['TOKEN', 'bearer token that opens /metrics only'],
  'allow-anonymous': ['', 'serve a real inventory beyond loopback without a token'],
  'cors-origin': ['LIST', 'browser origins allowed to call /graphql, comma-separated (none by default)'],
  'request-timeout': ['MS', "statement timeout (default: the DB URL's, else 5000)"],
  'sqlite-inline': ['', "SQLite: run statements whose plan proves them cheap on the server's thread instead of a worker process (default on)"],
  'queries-dir': ['DIR', 'your adapted copy of queries/sql/'],
  'metrics-refresh-seconds': ['N', 'seconds between two background reads of each metrics dataset (default 15); /metrics and the GraphQL aggregates serve the latest read'],
  'metrics-cache-seconds': ['N', 'the older name of --metrics-refresh-seconds'],
  'metrics-refresh-datasets': ['LIST', "per-dataset intervals overriding it, like sql_exporter's min_interval, e.g. computers_by_state=60,cem_summary=60"],
  'max-body-bytes': ['N', 'largest request body accepted (default 1048576); a larger one gets 413'],
  'gateway-targets': ['LIST', 'more gateways for /sd/gateways to list, comma-separated host:port or name=host:port (CSAs, or gateways your CMDB does not list)'],
  'csa-broker-log': ['DIR', "the Ivanti core's log folder holding BrokerService*.log, mounted read-only: serve exports brokered requests per CSA; check reads the newest file instead of the inventory and reports what it parsed (docs/csa-broker-log.md)"],
  'csa-time-zone': ['ZONE', "IANA time zone of the core's clock, in which BrokerService.log writes its times (default UTC), e.g. Europe/Berlin"],
  'max-document-bytes': ['N', 'largest GraphQL document, checked before parsing (default 65536)'],
  'max-document-tokens': ['N', 'most tokens the GraphQL parser reads (default 5000)'],
  'max-operations': ['N', 'most operations in one document (default 32)'],
  'max-fragments': ['N', 'most fragment definitions in one document (default 64)'],
  'max-fields': ['N', 'most fields one operation selects, fragments counted where spread (default 500)'],
  'max-depth': ['N', 'deepest field nesting (default 12)'],
  'max-aliases': ['N', 'most aliased fields in one operation (default 20)'],
  'max-query-cost': ['N', 'highest estimated cost of a request, refused before it runs (default 100000; README, Security)'],
  'max-request-statements': ['N', 'most SQL statements one request may run (default 250)'],
  'max-request-rows': ['N', 'most rows one request may read (default 50000)'],
  'parse-cache-bytes': ['N', 'heap the cache of parsed documents may take, estimated (default 33554432)'],
  'late-after-hours': ['N', 'an agent whose last inventory report is older than this is LATE (default 24)'],
  'inactive-after-days': ['N', '...and older than this INACTIVE (default 7)'],
  json: ['', 'print the diagnosis as JSON: verdict, failing and warning check ids, runbookUrl, then every check'],
  all: ['', 'also list the checks that pass or do not apply'],
  'runbook-base-url': ['URL', 'where the runbooks (docs/runbooks.md) are published, as for the alert rules; environment GATEWATCH_RUNBOOK_BASE_URL'],
  probe: ['', "also connect to the agent's current gateway from where this command runs and report reachability, TLS version, handshake time and certificate expiry (the certificate is read, not verified); never changes the verdict or the exit code"],
  'probe-timeout': ['MS', 'name resolution, connect and TLS handshake of --probe all within this (default 5000; 100 to 60000)'],
};

/** Words of `text` in lines of at most `width` characters, each after `indent`. */

/** `--flag ARG  (ENV)` then the description, for flags that are settings (config.ts). */
export function settingsHelp(flags: FlagSpec): string {
  const lines = Object.entries(flags).map(([flag, type]) => {
    const [arg, text] = FLAG_HELP[flag] ?? ['', ''];
    const env = SETTING_ENV[flag];
    const off = type === 'boolean' ? `; --no-${flag} turns it off` : '';
    return `  --${flag}${arg ? ` ${arg}` : ''}${env ? `  (${env})` : ''}\n${wrap(text + off, 100, '      ').join('\n')}`;
  });
  return `Options (a flag wins over its environment variable):\n${lines.join('\n')}`;
}

export const COMMANDS: Record<string, Command> = {
  serve: {
    synopsis: ['serve [--db URL] [--listen HOST:PORT] [--demo-live | --no-demo-live] [options]'],
    summary: 'serve GraphQL (/graphql), Prometheus metrics (/metrics), /healthz and /readyz',
    flags: SERVE_FLAGS,
    help: () => `Serves GraphQL (/graphql), Prometheus metrics (/metrics), /healthz and /readyz. With no --db it
creates and serves the embedded demo in demo mode (GraphiQL, introspection on); any other inventory
runs in production mode.

${settingsHelp(SERVE_FLAGS)}`,
    run: (flags) => runServe(flags),
  },
  demo: {
    synopsis: [
      'demo  [--computers N] [--seed S] [--out FILE] [--now ISO-TIME] [--without-contract]',
      'demo  --db mssql://... [--replace | --if-empty] [--create-database] [--computers N] [--seed S] [--now ISO-TIME]',
    ],
    summary: 'write a demo inventory file, or load the demo into a SQL Server database',
    flags: DEMO_FLAGS,
    help: () => `Writes a demo inventory (a synthetic estate) to a file, or loads it into a SQL Server database.
The same --seed and --now give the same data.

Options:
  --computers N      managed computers (default 5000; about 3% unmanaged come on top)
  --seed S           random seed (default 1)
  --now ISO-TIME     the estate's current time (default: this minute, so recent activity is recent)
  --out FILE         the demo file (default ${DEFAULT_DEMO_PATH}); replaces only an earlier demo file,
                     anything else there is refused
  --without-contract leave out gatewatch's contract tables (gatewatch_*): the file then looks as a
                     plain ITMS CMDB does; \`gatewatch check --db sqlite:FILE\` shows what works on it
  --db URL  (GATEWATCH_DEMO_DB)
                     load into this SQL Server database instead (mssql://... or a connection string);
                     sqlite:PATH is the same as --out PATH
  --replace          drop and re-create demo tables that hold data (only tables the demo created)
  --if-empty         keep demo tables that hold data as they are
  --create-database  create the database when it is missing
A SQL Server database holding an ITMS table or view the demo did not create (a real ITMS CMDB), a
table named like the demo's that it did not create, or a system database is refused.`,
    run: (flags) => runDemo(demoCommand(flags)),
  },
  check: {
    synopsis: ['check [--db URL] [--queries-dir DIR] [--request-timeout MS]'],
    summary: 'which datasets the database answers, what each missing table takes away, and where every signal comes from',
    flags: CHECK_FLAGS,
    help: () => `Lists the inventory datasets the database can answer, and why the others cannot. Exits 0 when
every dataset is available, 1 otherwise.

${settingsHelp(CHECK_FLAGS)}`,
    run: (flags) => runCheck(flags),
  },
  diagnose: {
    synopsis: ['diagnose NAME|GUID [--db URL] [--all] [--json] [--runbook-base-url URL] [--probe [--probe-timeout MS]]'],
    summary: 'why one agent is (not) connecting: the troubleshooting checklist of the vendor articles',
    flags: DIAGNOSE_FLAGS,
    maxPositionals: 1,
    help: () => `Walks one agent through the vendor articles' troubleshooting checks, in their order. Prints the
verdict first, then the checks that fail or warn, the remedy and the runbook URL of the first failure
(--all: every check); --probe adds a live TLS check of the agent's current gateway. Colours on a
terminal unless NO_COLOR is set. Exits 0 when healthy, 1 when a check fails, 2 on a wrong argument, 3
when the computer is unknown or the inventory does not answer.

${settingsHelp(DIAGNOSE_FLAGS)}`,
    run: (flags, positionals) => runDiagnose(flags, positionals),
  },
};

export const commandHelp = (c: Command): string => `Usage:\n${c.synopsis.map((s) => `  gatewatch ${s}`).join('\n')}\n\n${c.help()}`;

export function topHelp(version: string): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  return `gatewatch ${version} — observability for agents behind Internet gateways

Usage:
${Object.values(COMMANDS).flatMap((c) => c.synopsis.map((s) => `  gatewatch ${s}`)).join('\n')}
  gatewatch --version | --help

Commands:
${Object.entries(COMMANDS).map(([n, c]) => `  ${n.padEnd(width)}  ${c.summary}`).join('\n')}

Every serve setting is also an environment variable (GATEWATCH_DB, GATEWATCH_LISTEN, ...).
Run gatewatch <command> --help for its options and environment variables.`;
}
