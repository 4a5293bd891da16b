// Per-request DataLoaders: every nested list resolves with one batched statement per level, however
// many parents the page holds. Each batch function returns one result per key, in key order, and an
// Error (not a thrown batch) for a key that cannot be looked up, so one bad key fails only its field.
import DataLoader from 'dataloader';
import type { DatasetName, KeyColumn, Params, Row } from '../inventory/datasets.js';
import { isGuid, type Inventory } from '../inventory/inventory.js';
import { DEFAULT_LIVENESS, livenessCutoffs, type Cutoffs } from '../inventory/liveness.js';
import { diagnoseByKeys, type Diagnosis } from '../diagnosis/run.js';


/** Datasets that declare batch look-up keys. */
type KeyedDataset = { [N in DatasetName]: [KeyColumn<N>] extends [never] ? never : N }[DatasetName];

/** Nested lists come back in the order a client would list them, like the paged lists do. */
const newestFirst =
  <T extends { Id: number }>(at: (row: T) => Date) =>
  (a: T, b: T) =>
    at(b).getTime() - at(a).getTime() || b.Id - a.Id;

/**
 * Groups byKeys() rows under the key they matched. Keys are compared case-insensitively, as SQL
 * Server's default collation does: a gateway's host name is not always spelled the same way in
 * every table, and GUIDs come back upper-case whatever case was asked for.
 */
function groupedLoader<N extends KeyedDataset>(
  inventory: Inventory,
  dataset: N,
  column: KeyColumn<N>,
  options: { params?: Params<N>; valid?: (key: string) => boolean; order?: (a: Row<N>, b: Row<N>) => number } = {},
): DataLoader<string, Row<N>[]> {
  const fold = (k: string) => k.toUpperCase();
  const bad = (k: string) => options.valid !== undefined && !options.valid(k);
  return new DataLoader<string, Row<N>[]>(async (keys) => {
    const good = keys.filter((k) => !bad(k));
    const rows = good.length ? await inventory.byKeys(dataset, column, good, options.params) : [];
    const groups = new Map<string, Row<N>[]>();
    for (const row of rows) {
      const key = fold(String((row as Record<string, unknown>)[column]));
      const group = groups.get(key);
      if (group) group.push(row);
      else groups.set(key, [row]);
    }
    if (options.order) for (const group of groups.values()) group.sort(options.order);
    return keys.map((k) => (bad(k) ? new Error(`not a valid ${column}: ${JSON.stringify(k)}`) : (groups.get(fold(k)) ?? [])));
  });
}

/** At most one row per key (the key is unique in the dataset). */
function singleLoader<T>(many: DataLoader<string, T[]>): DataLoader<string, T | null> {
  return new DataLoader<string, T | null>(async (keys) => {
    const groups = await many.loadMany(keys);
    return groups.map((g) => (g instanceof Error ? g : (g[0] ?? null)));
  });
}

/**
 * Denial counts for one `since` (ISO text, '' for all), by upper-cased gateway name: one
 * statement per distinct since for all gateways, however many the response holds.
 */
function denialsLoader(inventory: Inventory) {
  return new DataLoader<string, Map<string, Row<'denials'>[]>>(async (keys) =>
    Promise.all(
      keys.map(async (since) => {
        const byGateway = new Map<string, Row<'denials'>[]>();
        for (const row of await inventory.all('denials', { since: since === '' ? null : new Date(since) })) {
          const key = row.Gateway.toUpperCase();
          byGateway.set(key, [...(byGateway.get(key) ?? []), row]);
        }
        return byGateway;
      }),
    ),
  );
}

export function createLoaders(inventory: Inventory, cutoffs: Cutoffs = livenessCutoffs(new Date(), DEFAULT_LIVENESS), now = new Date()) {
  const guid = { valid: isGuid };
  // Unmanaged computers too: an assignment or access request may point at a retired agent.
  const allComputers = { params: { managed: null, ...cutoffs } };
  return {
    computerByGuid: singleLoader(groupedLoader(inventory, 'computers', 'Guid', { ...allComputers, ...guid })),
    /** Every computer with that name; names are not unique in a CMDB (re-imaged machines). */
    computersByName: groupedLoader(inventory, 'computers', 'Name', allComputers),
    assignmentsByComputer: groupedLoader(inventory, 'gateway_assignments', 'ResourceGuid', {
      ...guid,
      order: (a, b) => Number(b.Current) - Number(a.Current) || a.Gateway.localeCompare(b.Gateway),
    }),
    accessRequestsByAgent: groupedLoader(inventory, 'access_requests', 'AgentName', { order: newestFirst((r) => r.CreatedAt) }),
    gatewayByName: singleLoader(groupedLoader(inventory, 'gateways', 'Name')),
    connectionsByGateway: groupedLoader(inventory, 'gateway_connections', 'Gateway'),
    brokerConnectionsByGateway: groupedLoader(inventory, 'broker_connections', 'Gateway', { order: (a, b) => a.Core.localeCompare(b.Core) }),
    assignedComputersByGateway: groupedLoader(inventory, 'computers_by_gateway', 'Gateway'),
    relayByName: singleLoader(groupedLoader(inventory, 'relays', 'Name')),
    messagesByComputer: groupedLoader(inventory, 'agent_messages', 'Computer', { order: newestFirst((r) => r.RaisedAt) }),
    denialsSince: denialsLoader(inventory),
    /** One statement per level for every computer's checklist (src/diagnosis). */
    diagnosisByGuid: new DataLoader<string, Diagnosis | null>(async (keys) => {
      const found = new Map((await diagnoseByKeys(inventory, 'Guid', keys.filter(isGuid), { now, cutoffs })).map((d) => [d.guid.toUpperCase(), d]));
      return keys.map((k) => (isGuid(k) ? (found.get(k.toUpperCase()) ?? null) : new Error(`not a valid Guid: ${JSON.stringify(k)}`)));
    }),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
