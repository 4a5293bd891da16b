// The coverage table `gatewatch check` ends with: every signal, where its data comes from (ITMS's own
// tables, gatewatch's contract tables, or a source outside the CMDB) and whether it works here. On a
// plain ITMS CMDB it tells an admin on day one what works and which contract table would add what.
import { DATASET_USES, tablesByDataset } from './coverage.js';
import { DATASET_NAMES, type DatasetName } from './inventory/datasets.js';
import type { DatasetStatus } from './inventory/inventory.js';
import { wrapList } from './text.js';

export interface CoverageRow {
  signal: string;
  source: string;
  here: string;
}

/** Where a dataset's rows come from, by the tables its SQL names. */
function sourceOf(tables: readonly { name: string; source: 'itms' | 'contract' }[]): string {
  const contract = tables.filter((t) => t.source === 'contract').map((t) => t.name);
  const itms = tables.some((t) => t.source === 'itms');
  if (!contract.length) return itms ? 'ITMS tables' : 'its SQL names no known table';
  return `${itms ? 'ITMS + ' : ''}contract: ${contract.join(', ')}`;
}

/**
 * One row per dataset, then `extra` rows for sources outside the CMDB. `missingTable` names the table a
 * dataset's error names, when it names one (check.ts's gaps).
 */
export function coverageRows(
  statuses: readonly DatasetStatus[],
  queriesDir: string,
  missingTable: (d: DatasetName) => string | undefined,
  extra: readonly CoverageRow[] = [],
): CoverageRow[] {
  const tables = tablesByDataset(queriesDir);
  const available = new Map(statuses.map((s) => [s.dataset, s.available]));
  const rows = DATASET_NAMES.map((d) => {
    const missing = missingTable(d);
    const here = available.get(d) ? 'yes' : missing ? `no: ${missing} missing` : 'no (see above)';
    return { signal: DATASET_USES[d].signal, source: sourceOf(tables.get(d) ?? []), here };
  });
  return [...rows, ...extra];
}

/**
 * The signals from outside the CMDB: the gateways probed by blackbox_exporter (targets from
 * /sd/gateways, so only as good as the gateway list) and the Ivanti broker log (a folder to read).
 */
export function outsideRows(statuses: readonly DatasetStatus[], csa?: { dir: string }): CoverageRow[] {
  const targets = statuses.some((s) => s.dataset === 'gateway_endpoints' && s.available);
  return [
    {
      signal: 'gateway reachability, TLS, certificate expiry',
      source: 'probe: blackbox_exporter, targets from /sd/gateways',
      here: targets ? 'yes, where blackbox_exporter runs' : 'CMDB lists no gateways: --gateway-targets',
    },
    {
      signal: 'Ivanti CSA brokered requests',
      source: 'Ivanti log: BrokerService.log',
      here: csa ? `yes: ${csa.dir}` : 'not set: --csa-broker-log DIR',
    },
  ];
}

/** The table as text: three columns, the source column wrapped at commas to keep lines short. */
export function coverageTable(rows: readonly CoverageRow[]): string[] {
  const width = (pick: (r: CoverageRow) => string, head: string) => Math.max(head.length, ...rows.map((r) => pick(r).length));
  const signal = width((r) => r.signal, 'signal');
  const source = Math.min(48, width((r) => r.source, 'source'));
  const line = (a: string, b: string, c: string) => `  ${a.padEnd(signal)}  ${b.padEnd(source)}  ${c}`.trimEnd();
  const out = ['What works here, and where its data comes from:', line('signal', 'source', 'here')];
  for (const r of rows) {
    const parts = wrapList(r.source.split(', '), source, '', '  ');
    out.push(line(r.signal, parts[0]!, r.here));
    for (const rest of parts.slice(1)) out.push(line('', rest, ''));
  }
  return out;
}
