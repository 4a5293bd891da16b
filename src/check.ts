// `gatewatch check`: which datasets the inventory can answer, for a DBA adapting queries/sql/.
import { ConfigError, DEFAULT_DEMO_PATH, type Flags } from './config.js';
import { openInventory, parseDbUrl, type Inventory } from './inventory/index.js';
import type { DatasetStatus } from './inventory/inventory.js';

export async function reportDatasets(inventory: Inventory, log: (line: string) => void): Promise<DatasetStatus[]> {
  const statuses = await inventory.check();
  const missing = statuses.filter((s) => !s.available);
  log(`inventory ${inventory.description}: ${statuses.length - missing.length}/${statuses.length} datasets available`);
  for (const s of missing) log(`  dataset ${s.dataset} unavailable: ${s.error} (see docs/inventory.md)`);
  return statuses;
}

export async function runCheck(flags: Flags): Promise<number> {
  const text = typeof flags.db === 'string' ? flags.db : (process.env.GATEWATCH_DB ?? `sqlite:${DEFAULT_DEMO_PATH}`);
  let inventory: Inventory;
  try {
    const dir = typeof flags['queries-dir'] === 'string' ? flags['queries-dir'] : process.env.GATEWATCH_QUERIES_DIR;
    inventory = openInventory(parseDbUrl(text), { queriesDir: dir });
  } catch (e) {
    throw new ConfigError(`--db (GATEWATCH_DB): ${(e as Error).message}`);
  }
  try {
    const statuses = await reportDatasets(inventory, console.log);
    return statuses.every((s) => s.available) ? 0 : 1;
  } catch (e) {
    console.error(`gatewatch: ${(e as Error).message}`);
    return 1;
  } finally {
    await inventory.close();
  }
}
