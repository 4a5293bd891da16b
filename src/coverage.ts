// What each dataset feeds and where its data comes from, so `gatewatch check` can tell an admin what
// works on their CMDB and what a missing table takes away: GraphQL fields (declared here; a test holds
// the list against the schema), metric families (from the collectors), dashboard panels (the generated
// JSON shipped beside the code) and the tables each dataset's SQL reads (found in the SQL itself).
import { readdirSync, readFileSync } from 'node:fs';
import { DATASET_NAMES, type DatasetName } from './inventory/datasets.js';
import { loadSql } from './inventory/sql-files.js';
import { TABLES, type Table } from './inventory/tables.js';
import { COLLECTORS } from './metrics/collectors/index.js';

export interface DatasetUse {
  /** The signal as an operator names it. */
  signal: string;
  /** `Type.field` of the GraphQL fields that read it (nested ones under their parent type). */
  graphql: readonly string[];
}

export const DATASET_USES: Record<DatasetName, DatasetUse> = {
  computers: { signal: 'computers: zone, gateways, auth, last report', graphql: ['Query.computers', 'Query.computer', 'Computer.networkZone', 'Computer.reporting'] },
  gateway_assignments: { signal: "computers' gateway history", graphql: ['Computer.gatewayAssignments', 'Computer.currentGateway'] },
  computers_by_state: { signal: 'CEM: Internet vs LAN, HTTP vs HTTPS', graphql: ['Query.cemSummary (internet, lan, http, https)'] },
  cem_summary: { signal: 'CEM configured / policy applied', graphql: ['Query.cemSummary (cemConfigured, policyApplied)'] },
  computers_by_auth: { signal: 'computers by certificate auth type', graphql: ['CemSummary.byAuth'] },
  computers_by_gateway: { signal: 'computers per gateway', graphql: ['CemSummary.byGateway', 'Gateway.assignedComputers'] },
  computers_by_reporting: { signal: 'agents reporting / late / inactive', graphql: ['CemSummary.byReporting'] },
  computers_by_gateway_reporting: { signal: 'silent agents per gateway', graphql: [] },
  agent_versions: { signal: 'agent versions', graphql: ['Query.agentVersions'] },
  gateways: { signal: 'gateway status (online, registered, modes)', graphql: ['Query.gateways', 'Query.gateway'] },
  gateway_endpoints: { signal: 'gateways to probe (/sd/gateways)', graphql: [] },
  gateway_connections: { signal: 'gateway connections per level', graphql: ['Gateway.connections'] },
  broker_connections: { signal: 'broker connections per core', graphql: ['Gateway.brokerConnections', 'Gateway.brokerHealthy'] },
  denials: { signal: 'gateway denials by reason', graphql: ['Gateway.denials'] },
  access_requests: { signal: 'Access Troubleshooting list', graphql: ['Query.blockedAgents', 'Computer.accessRequests'] },
  access_requests_by_status: { signal: 'access requests by status', graphql: [] },
  relays: { signal: 'LanGuard relay health', graphql: ['Query.relays', 'Query.relay'] },
  agent_messages: { signal: 'LanGuard agent messages', graphql: ['Query.agentMessages'] },
  agent_messages_by_component: { signal: 'agent messages by component', graphql: [] },
  diagnosis_facts: {
    signal: 'troubleshooting verdicts',
    graphql: ['Computer.diagnosis', 'Query.diagnosisSummary', 'Query.computers(filter: { verdict })'],
  },
};

/** Metric families fed by each dataset, from the collector that reads it. */
export function metricsByDataset(): Map<DatasetName, string[]> {
  return new Map(COLLECTORS.map((c) => [c.name as DatasetName, c.families.map((f) => f.name)]));
}

/** The tables each dataset's SQL (in `queriesDir`) names, in TABLES order; none for a file that cannot be read. */
export function tablesByDataset(queriesDir: string): Map<DatasetName, Table[]> {
  return new Map(
    DATASET_NAMES.map((d) => {
      const sql = loadSql(queriesDir, d);
      const named = typeof sql === 'string' ? TABLES.filter((t) => new RegExp(`\\[?\\b${t.name}\\b\\]?`).test(sql)) : [];
      return [d, named];
    }),
  );
}

export interface Panel {
  dashboard: string;
  title: string;
  exprs: string[];
}

interface RawPanel {
  title?: string;
  targets?: { expr?: string }[];
  panels?: RawPanel[];
}

/** Panels of the generated dashboards in `dir` (none when the folder is not there). */
export function readPanels(dir: URL): Panel[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  } catch {
    return [];
  }
  const out: Panel[] = [];
  for (const file of files.sort()) {
    const json = JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as { title: string; panels?: RawPanel[] };
    const walk = (panels: RawPanel[] = []) => {
      for (const p of panels) {
        if (p.targets?.length) out.push({ dashboard: json.title, title: p.title ?? '', exprs: p.targets.map((t) => t.expr ?? '') });
        walk(p.panels);
      }
    };
    walk(json.panels);
  }
  return out;
}

/** Panels whose queries read any of the given metric families. */
export function panelsReading(panels: readonly Panel[], metrics: readonly string[]): Panel[] {
  const words = metrics.map((m) => new RegExp(`\\b${m}\\b`));
  return panels.filter((p) => p.exprs.some((e) => words.some((w) => w.test(e))));
}
