// `gatewatch check`: which datasets the inventory can answer, for a DBA adapting queries/sql/.
import { loadInventorySettings, type Flags } from './config.js';
import { openInventory, type Inventory } from './inventory/index.js';
import type { DatasetStatus } from './inventory/inventory.js';

export async function reportDatasets(inventory: Inventory, log: (line: string) => void): Promise<DatasetStatus[]> {
  const statuses = await inventory.check();
  const missing = statuses.filter((s) => !s.available);
  log(`inventory ${inventory.description}: ${statuses.length - missing.length}/${statuses.length} datasets available`);
  for (const s of missing) log(`  dataset ${s.dataset} unavailable: ${s.error} (see docs/inventory.md)`);
  return statuses;
}

export async function runCheck(flags: Flags): Promise<number> {
  const settings = loadInventorySettings(flags);
  const inventory = openInventory(settings.db, settings);
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
