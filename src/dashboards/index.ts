// Every gatewatch dashboard, as the JSON model Grafana provisions from dashboards/grafana/<uid>.json.
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { agentsDashboard } from './agents.js';
import { gatewaysDashboard } from './gateways.js';
import { overviewDashboard } from './overview.js';
import { relaysDashboard } from './relays.js';
import { selfDashboard } from './self.js';

export const DASHBOARD_DIR = 'dashboards/grafana';

export function allDashboards(): Dashboard[] {
  return [overviewDashboard(), gatewaysDashboard(), agentsDashboard(), relaysDashboard(), selfDashboard()];
}

/** The committed file for a dashboard: its path and text. */
export function renderDashboard(d: Dashboard): { file: string; text: string } {
  if (!d.uid) throw new Error(`dashboard "${d.title}" has no uid`);
  // The SDK marks links and annotations "inControlsMenu"; Grafanas that honour it would hide the
  // cross-dashboard links and the spike annotation toggle in a dropdown on the NOC screen.
  const text = JSON.stringify(d, (key, value: unknown) => (key === 'placement' && value === 'inControlsMenu' ? undefined : value), 2);
  return { file: `${DASHBOARD_DIR}/${d.uid}.json`, text: `${text}\n` };
}

export interface Expression {
  /** Where it is, for messages: `<uid> / <panel title> / <refId>`. */
  where: string;
  expr: string;
  kind: 'panel' | 'annotation' | 'variable';
}

/** Every PromQL expression a dashboard runs: its panels' targets, annotations and variable queries. */
export function expressionsOf(d: Dashboard): Expression[] {
  const out: Expression[] = [];
  for (const p of d.panels ?? []) {
    if (!('targets' in p)) continue;
    for (const t of p.targets ?? []) {
      const { expr, refId } = t as { expr?: unknown; refId?: string };
      if (typeof expr === 'string') out.push({ where: `${d.uid} / ${p.title} / ${refId}`, expr, kind: 'panel' });
    }
  }
  for (const a of d.annotations.list ?? []) if (a.expr) out.push({ where: `${d.uid} / annotation ${a.name}`, expr: a.expr, kind: 'annotation' });
  for (const v of d.templating.list ?? []) {
    if (v.type === 'query' && typeof v.query === 'string') out.push({ where: `${d.uid} / variable ${v.name}`, expr: v.query, kind: 'variable' });
  }
  return out;
}
