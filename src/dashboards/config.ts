// Everything the dashboards share, decided once: the datasource, dashboard uids and tags, colours, the
// selectors panels filter by and the thresholds they draw. Metric names and labels come from the metric
// contract (src/metrics/names.ts), alert names and runbook links from the alert rules (src/alerts/).
import { defaultConfig as alertConfig, runbookUrl, withLinksFrom } from '../alerts/config.js';
import { allRules } from '../alerts/rules.js';
import { is } from '../alerts/spec.js';
import { BLACKBOX_JOB, L, M, THRESHOLDS, VALUES } from '../metrics/names.js';

/**
 * The Prometheus datasource, chosen with the `datasource` variable: by default the one Grafana file
 * provisioning creates with uid PROVISIONED_DATASOURCE (no `${DS_…}` inputs, which only the import UI
 * resolves); another Prometheus can be picked without editing the JSON.
 */
export const DATASOURCE_VAR = { name: 'datasource', pluginType: 'prometheus' } as const;
export const PROVISIONED_DATASOURCE = 'gatewatch-prometheus';
export const DATASOURCE = { type: DATASOURCE_VAR.pluginType, uid: `\${${DATASOURCE_VAR.name}}` } as const;

/**
 * Which gatewatch: the `job` and `instance` variables (as the node and Kubernetes mixins have), one value
 * each, so two gatewatch instances scraped by one Prometheus are never summed. Every panel query is
 * scoped with INSTANCE_MATCHERS by `scoped()`; the job defaults to the alerts' scrape job.
 */
export const INSTANCE_VARS = { job: 'job', instance: 'instance', defaultJob: alertConfig.scrape.job } as const;
export const INSTANCE_MATCHERS = [`job="$${INSTANCE_VARS.job}"`, `instance="$${INSTANCE_VARS.instance}"`] as const;
/** The metrics the instance matchers scope: gatewatch's own and the process metrics of names.ts. */
const SCOPED_METRIC = /(?<![\w:"])((?:gatewatch|process|nodejs)_[a-zA-Z0-9_:]*)(\{([^}]*)\})?/g;

/** `expr` with INSTANCE_MATCHERS added to every gatewatch_/process_/nodejs_ series selector in it. */
export function scoped(expr: string): string {
  return expr.replace(SCOPED_METRIC, (_whole, metric: string, _braces?: string, inner?: string) => {
    const matchers = [...INSTANCE_MATCHERS, ...(inner?.trim() ? [inner.trim()] : [])];
    return `${metric}{${matchers.join(', ')}}`;
  });
}

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
export const NOC = { time: { from: 'now-3h', to: 'now' }, theme: 'dark', statHeight: 6, mainHeight: 11, lowerHeight: 10, maxRows: 27 };
/**
 * The smallest a NOC panel may be to read across a room, in grid columns × rows: a stat tile, and the
 * verdict bars (one readable bar per non-zero verdict).
 */
export const READABLE = { stat: { w: 3 }, verdicts: { w: 8, h: 10 } } as const;
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

/** Selectors panels filter by, spelled once (label values checked against names.ts). */
export const SELECTORS = {
  pending: is('status', 'pending'),
  http: is('transport', 'http'),
  internet: is('connectivity', 'internet'),
  noCertificate: is('auth', 'none'),
  /** Agents holding an ephemeral certificate alone: what a gateway with ephemeral auth off refuses. */
  ephemeralOnly: is('auth', 'ephemeral'),
  /** The certificate kinds an agent can hold, i.e. every `auth` value but `none`. */
  certified: `${L.auth}=~"${VALUES.auth.filter((a) => a !== 'none').join('|')}"`,
} as const;

/**
 * Prometheus's own alert series (not part of the gatewatch metric contract, so named here, like
 * `scrape` in src/alerts/config.ts): the overview marks spike alerts on the denials graph with them.
 */
/**
 * blackbox_exporter's series of the gateway probes: their own job (deploy/prometheus/prometheus.yml), so
 * they are selected by it instead of gatewatch's job and instance.
 */
export const PROBE_SELECTOR = `job="${BLACKBOX_JOB}"`;

export const PROM_ALERTS = { metric: 'ALERTS', nameLabel: 'alertname', stateLabel: 'alertstate' } as const;

export const LIMITS = {
  minBrokerConnectionsPerCore: THRESHOLDS.minBrokerConnectionsPerCore,
  relayCacheMinFreeBytes: THRESHOLDS.relayCacheMinFreeBytes,
  relayPingIntervalSeconds: THRESHOLDS.relayPingIntervalSeconds,
  /** Data older than this is stale (the GatewatchInventoryStale alert's own setting). */
  staleAfterSeconds: alertConfig.stale.after,
  /** A pending access request older than this pages (GatewatchAgentsAwaitingApproval). */
  awaitingApprovalSeconds: alertConfig.awaitingApproval.maxWait,
  /** Troubleshooting mode off is a problem while the gateway denied agents in this window (GatewatchTroubleshootingModeOff). */
  troubleshootingDenialWindowSeconds: alertConfig.troubleshootingMode.denialWindow,
} as const;

/** Agents not reporting (LATE, INACTIVE, NEVER): the selector, and the share of managed agents that turns orange / red. */
export const SILENT = { selector: `${L.state}=~"${VALUES.silent.join('|')}"`, warnShare: 0.1, badShare: 0.2 } as const;

/** Share of CEM-configured computers with a CEM policy applied: below `warn` is red, from `ok` green. */
export const CEM_POLICY_APPLIED = { warn: 0.8, ok: 0.95 } as const;

const ALERT_NAMES = new Set(allRules(alertConfig).map((r) => r.alert));
/** Runbook links as the alerts carry them: GATEWATCH_RUNBOOK_BASE_URL when set (`npm run dashboards`). */
const LINKS = withLinksFrom(process.env);

/** The runbook section of an alert; an alert the rules do not define is a mistake, caught at generation. */
export function runbook(alert: string): string {
  if (!ALERT_NAMES.has(alert)) throw new Error(`no alert rule named ${alert}: panels link to existing runbook sections only`);
  return runbookUrl(LINKS, alert);
}

/** A dashboard's URL path in Grafana. */
export function dashboardPath(key: DashboardKey): string {
  return `/d/${UIDS[key]}`;
}

/** The verdicts the "why agents are not connecting" panel shows: every one but HEALTHY. */
export const VERDICT_PROBLEMS = `${L.verdict}!="HEALTHY"`;
/** The runbook's diagnosis section (one subsection per verdict). */
export const DIAGNOSIS_RUNBOOK = runbookUrl(LINKS, 'Diagnosis');
