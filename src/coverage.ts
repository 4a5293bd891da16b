// What each dataset feeds, so `gatewatch check` can tell an admin what a missing table takes away:
// GraphQL fields (declared here; test/check.test.ts holds the list against the schema), metric
// families (from the collectors themselves) and dashboard panels (found by the metrics their queries
// name, in the generated dashboards shipped beside the code).
import { readdirSync, readFileSync } from 'node:fs';
import type { DatasetName } from './inventory/datasets.js';
import { COLLECTORS } from './metrics/collectors/index.js';

/** `Type.field` of the GraphQL fields that read each dataset (nested ones under their parent type). */
export const GRAPHQL_BY_DATASET: Record<DatasetName, readonly string[]> = {
  computers: ['Query.computers', 'Query.computer', 'Computer.networkZone', 'Computer.reporting'],
  gateway_assignments: ['Computer.gatewayAssignments', 'Computer.currentGateway'],
  computers_by_state: ['Query.cemSummary (internet, lan, http, https)'],
  cem_summary: ['Query.cemSummary (cemConfigured, policyApplied)'],
  computers_by_auth: ['CemSummary.byAuth'],
  gateway_endpoints: [],
  computers_by_gateway: ['CemSummary.byGateway', 'Gateway.assignedComputers'],
  computers_by_reporting: ['CemSummary.byReporting'],
  computers_by_gateway_reporting: [],
  agent_versions: ['Query.agentVersions'],
  gateways: ['Query.gateways', 'Query.gateway'],
  gateway_connections: ['Gateway.connections'],
  broker_connections: ['Gateway.brokerConnections', 'Gateway.brokerHealthy'],
  denials: ['Gateway.denials'],
  access_requests: ['Query.blockedAgents', 'Computer.accessRequests'],
  access_requests_by_status: [],
  relays: ['Query.relays', 'Query.relay'],
  agent_messages: ['Query.agentMessages'],
  agent_messages_by_component: [],
  diagnosis_facts: ['Computer.diagnosis', 'Query.diagnosisSummary', 'Query.computers(filter: { verdict })'],
};

/** Metric families fed by each dataset, from the collector that reads it. */
export function metricsByDataset(): Map<DatasetName, string[]> {
  return new Map(COLLECTORS.map((c) => [c.name as DatasetName, c.families.map((f) => f.name)]));
}

export interface Panel {
  dashboard: string;
  title: string;
  exprs: string[];
}

/** Panels of the generated dashboards in `dir` (none when the folder is not there, as in a slim image). */
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

interface RawPanel {
  title?: string;
  targets?: { expr?: string }[];
  panels?: RawPanel[];
}

/** Panels whose queries read any of the given metric families. */
export function panelsReading(panels: readonly Panel[], metrics: readonly string[]): Panel[] {
  const words = metrics.map((m) => new RegExp(`\\b${m}\\b`));
  return panels.filter((p) => p.exprs.some((e) => words.some((w) => w.test(e))));
}
