// `gatewatch check`: can the inventory answer every dataset, and if not, what does each missing table
// take away. Written for the DBA adapting queries/sql/ to a real CMDB: one block per missing table
// (or per dataset whose error names no table), never one line per dataset and error; then the
// coverage table (check-coverage.ts): every signal, its source, and whether it works here.
import { loadCsaSettings, loadInventorySettings, type CsaSettings, type Flags } from './config.js';
import { coverageRows, coverageTable, outsideRows } from './check-coverage.js';
import { DATASET_USES, metricsByDataset, panelsReading, readPanels, type Panel } from './coverage.js';
import { runBrokerLogCheck } from './csa/check.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { isInventoryError } from './inventory/errors.js';
import { DEFAULT_QUERIES_DIR } from './inventory/sql-files.js';
import { openInventory, type Inventory } from './inventory/index.js';
import type { DatasetName } from './inventory/datasets.js';
import type { DatasetStatus } from './inventory/inventory.js';
import { TABLES } from './inventory/tables.js';
import { wrapList } from './text.js';

const DASHBOARDS = new URL('../dashboards/grafana/', import.meta.url);

export interface Gap {
  /** The table the errors name, or undefined when they name none (a missing column, a syntax error). */
  table?: string;
  datasets: DatasetName[];
  errors: string[];
}

/** Unavailable datasets grouped by the table their error names (SQLite and SQL Server both name it). */
export function gaps(statuses: readonly DatasetStatus[]): Gap[] {
  const byKey = new Map<string, Gap>();
  for (const s of statuses.filter((x) => !x.available)) {
    // The inventory prefixes its messages with the dataset, which the report shows on its own line.
    const error = (s.error ?? 'unavailable').replace(`dataset ${s.dataset}: `, '');
    const table = TABLES.find((t) => new RegExp(`(^|[^\\w])${t.name}([^\\w]|$)`).test(error))?.name;
    const key = table ?? `dataset:${s.dataset}`;
    const gap = byKey.get(key) ?? { table, datasets: [], errors: [] };
    gap.datasets.push(s.dataset);
    if (!gap.errors.includes(error)) gap.errors.push(error);
    byKey.set(key, gap);
  }
  return [...byKey.values()];
}

/** The lines of the report; `panels` are the dashboards' panels (none when they are not installed). */
export function describe(description: string, statuses: readonly DatasetStatus[], panels: readonly Panel[]): string[] {
  const found = gaps(statuses);
  const available = statuses.filter((s) => s.available).length;
  if (!found.length) {
    return [`inventory ${description}: all ${statuses.length} datasets available — every GraphQL field, metric and panel has its data.`];
  }
  const tables = found.filter((g) => g.table).length;
  const lines = [
    `inventory ${description}: ${available} of ${statuses.length} datasets available;` +
      ` ${tables} table${tables === 1 ? '' : 's'} missing${found.length > tables ? `, ${found.length - tables} other problem${found.length - tables === 1 ? '' : 's'}` : ''}.`,
  ];
  const metrics = metricsByDataset();
  for (const g of found) {
    lines.push('', g.table ? `table ${g.table}: missing` : `dataset ${g.datasets[0]}: ${g.errors[0]}`);
    if (g.table) lines.push(...item('error', [...new Set(g.errors)]));
    lines.push(...item('datasets', g.datasets));
    const families = g.datasets.flatMap((d) => metrics.get(d) ?? []);
    lines.push(...item('GraphQL', g.datasets.flatMap((d) => DATASET_USES[d].graphql)), ...item('metrics', families));
    const titles = panelsReading(panels, families).map((p) => `${p.dashboard.replace(/^gatewatch \/ /, '')} › ${p.title}`);
    if (panels.length) lines.push(...item('panels', [...new Set(titles)]));
  }
  lines.push('', 'docs/inventory.md lists every table and column, and how to provide a contract table as a view.');
  return lines;
}

/** `  label:    a, b, c` wrapped at 100 columns under its first item: these lists run long. */
function item(label: string, values: readonly string[]): string[] {
  return wrapList(values.length ? values : ['none'], 100, `  ${`${label}:`.padEnd(10)}`);
}

/** The report; with `queriesDir`, the coverage table after it (`check` prints it, `serve`'s log does not). */
/** What the coverage table needs beyond the inventory: where the SQL is, and the sources outside the CMDB. */
export interface CoverageContext {
  queriesDir: string;
  csa?: CsaSettings;
}

/** The report; with `coverage`, the coverage table after it (`check` prints it, `serve`'s log does not). */
export async function reportDatasets(inventory: Inventory, log: (line: string) => void, coverage?: CoverageContext): Promise<DatasetStatus[]> {
  const statuses = await inventory.check();
  for (const line of describe(inventory.description, statuses, readPanels(DASHBOARDS))) log(line);
  if (coverage) {
    const missing = new Map(gaps(statuses).flatMap((g) => g.datasets.map((d) => [d, g.table] as const)));
    const rows = coverageRows(statuses, coverage.queriesDir, (d) => missing.get(d), outsideRows(statuses, coverage.csa));
    for (const line of ['', ...coverageTable(rows)]) log(line);
  }
  return statuses;
}

export async function runCheck(flags: Flags): Promise<ExitCode> {
  // Named on the command line, the CSA broker log is checked instead of the inventory (src/csa/check.ts).
  if (typeof flags['csa-broker-log'] === 'string') return runBrokerLogCheck(flags);
  const settings = loadInventorySettings(flags);
  const inventory = openInventory(settings.db, settings);
  try {
    const coverage = { queriesDir: settings.queriesDir ?? DEFAULT_QUERIES_DIR, csa: loadCsaSettings(flags) };
    const statuses = await reportDatasets(inventory, console.log, coverage);
    return statuses.every((s) => s.available) ? EXIT.OK : EXIT.FINDING;
  } catch (e) {
    // The inventory not answering (unreachable, timed out, busy) is no answer; anything else is a bug,
    // for cli.ts to report with its stack.
    if (!isInventoryError(e)) throw e;
    console.error(`gatewatch: ${e.message}`);
    return EXIT.UNAVAILABLE;
  } finally {
    await inventory.close();
  }
}
