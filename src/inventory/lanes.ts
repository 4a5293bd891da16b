// Which lane a dataset's statements run in (driver.ts Lane).
import type { DatasetName } from './datasets.js';
import type { Lane } from './driver.js';

/**
 * Datasets whose full read (Inventory.all) aggregates or scans the whole estate: it runs in the heavy
 * lane, so keyed look-ups and pages (always light) never queue behind it. COUNTs are heavy too. The
 * small reference lists (gateways, relays and their connections) stay light.
 */
export const HEAVY_DATASETS: ReadonlySet<DatasetName> = new Set<DatasetName>([
  'cem_summary',
  'computers_by_state',
  'computers_by_auth',
  'computers_by_gateway',
  'denials',
  'access_requests_by_status',
  'agent_messages_by_component',
  'computers',
  'gateway_assignments',
  'access_requests',
  'agent_messages',
]);
export const laneOf = (dataset: DatasetName): Lane => (HEAVY_DATASETS.has(dataset) ? 'heavy' : 'light');
