// Everything the dashboards share, decided once: the datasource, dashboard uids and tags, colours, the
// selectors panels filter by and the thresholds they draw. Metric names and labels come from the metric
// contract (src/metrics/names.ts), alert names and runbook links from the alert rules (src/alerts/).
import { defaultConfig as alertConfig, runbookUrl } from '../alerts/config.js';
import { allRules } from '../alerts/rules.js';
import { L, M, THRESHOLDS } from '../metrics/names.js';

/**
 * One fixed Prometheus datasource: Grafana file provisioning creates it with this uid (no
 * `${DS_…}` inputs to resolve, which only the import UI does).
 */
export const DATASOURCE = { type: 'prometheus', uid: 'gatewatch-prometheus' } as const;

export const UIDS = {
  // The alerts' `dashboard_uid` annotations point at these: one source for both.
  overview: alertConfig.dashboards.overview,
  gateways: alertConfig.dashboards.gateways,
  agents: 'gatewatch-agents',
  relays: alertConfig.dashboards.relays,
  self: alertConfig.dashboards.self,
} as const;

export type DashboardKey = keyof typeof UIDS;

/** Every dashboard carries TAG (the cross-links list dashboards by it) plus its own. */
export const TAG = 'gatewatch';

/** gatewatch_up, red (0) rather than "No data" when gatewatch itself stops answering scrapes. */
export const INVENTORY_UP = `min(${M.up}) or on() vector(0)`;

export const REFRESH = '30s';
export const TIME = { from: 'now-6h', to: 'now' };
/**
 * The NOC screen looks at the recent past, large. Grafana has no per-dashboard theme any more: the
 * links to it ask for the dark one (`?theme=dark`), as a wall screen's URL should.
 */
export const NOC = { time: { from: 'now-3h', to: 'now' }, theme: 'dark', statHeight: 6, mainHeight: 11, maxRows: 27 };
/** Grid rows of a row of stat panels and of a row of graphs and tables. */
export const HEIGHT = { stat: 5, graph: 9 } as const;

/** Grafana's named palette colours: one meaning each. */
export const COLOURS = {
  ok: 'green',
  warn: 'orange',
  bad: 'red',
  info: 'blue',
  neutral: 'text',
  internet: 'purple',
  lan: 'blue',
} as const;

/** Instant vectors use these range windows; Grafana fills them in per panel and zoom. */
export const RANGE = '$__rate_interval';

/** The dashboard variable of the gateway dashboard and the selector panels filter with. */
export const GATEWAY_VAR = { name: 'gateway', allValue: '.*' } as const;
export const GATEWAY_SELECTOR = `${L.gateway}=~"$${GATEWAY_VAR.name}"`;

/**
 * Prometheus's own alert series (not part of the gatewatch metric contract, so named here, like
 * `scrape` in src/alerts/config.ts): the overview marks spike alerts on the denials graph with them.
 */
export const PROM_ALERTS = { metric: 'ALERTS', nameLabel: 'alertname', stateLabel: 'alertstate' } as const;

export const LIMITS = {
  minBrokerConnectionsPerCore: THRESHOLDS.minBrokerConnectionsPerCore,
  relayCacheMinFreeBytes: THRESHOLDS.relayCacheMinFreeBytes,
  relayPingIntervalSeconds: THRESHOLDS.relayPingIntervalSeconds,
  /** Data older than this is stale (the GatewatchInventoryStale alert's own setting). */
  staleAfterSeconds: alertConfig.stale.after,
} as const;

/** Share of CEM-configured computers with a CEM policy applied: below `warn` is red, from `ok` green. */
export const CEM_POLICY_APPLIED = { warn: 0.8, ok: 0.95 } as const;

const ALERT_NAMES = new Set(allRules(alertConfig).map((r) => r.alert));

/** The runbook section of an alert; an alert the rules do not define is a mistake, caught at generation. */
export function runbook(alert: string): string {
  if (!ALERT_NAMES.has(alert)) throw new Error(`no alert rule named ${alert}: panels link to existing runbook sections only`);
  return runbookUrl(alertConfig, alert);
}

/** A dashboard's URL path in Grafana. */
export function dashboardPath(key: DashboardKey): string {
  return `/d/${UIDS[key]}`;
}

/** The verdicts the "why agents are not connecting" panel shows: every one but HEALTHY. */
export const VERDICT_PROBLEMS = `${L.verdict}!="HEALTHY"`;
/** The runbook's diagnosis section (one subsection per verdict). */
export const DIAGNOSIS_RUNBOOK = runbookUrl(alertConfig, 'Diagnosis');
