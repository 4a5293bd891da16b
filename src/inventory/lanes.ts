// Which lane a dataset's statements run in (driver.ts Lane).
import type { DatasetName } from './datasets.js';
import type { Lane } from './driver.js';

/**
 * The small reference lists (gateways, relays and their connections): their full read stays in the
 * light lane. Every other dataset's full read (Inventory.all) aggregates or scans the whole estate, so
 * it runs in the heavy lane and keyed look-ups and pages (always light) never queue behind it; a new
 * dataset is heavy unless it is added here. COUNTs are heavy too.
 */
export const LIGHT_DATASETS: ReadonlySet<DatasetName> = new Set<DatasetName>(['gateways', 'gateway_connections', 'broker_connections', 'relays']);
export const laneOf = (dataset: DatasetName): Lane => (LIGHT_DATASETS.has(dataset) ? 'light' : 'heavy');
