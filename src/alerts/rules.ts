// The Prometheus alerting rules, as plain objects built from the metric contract (names.ts) and the
// settings in config.ts. `npm run alerts` writes them to dashboards/prometheus/alerts.yml.
import { L, M, VALUES, type MetricName } from '../metrics/names.js';
import { defaultConfig, dur, runbookUrl, type AlertConfig } from './config.js';
import { silenceRules } from './silence.js';

export type Severity = 'critical' | 'warning' | 'info';

export interface AlertRule {
  alert: string;
  expr: string;
  for: string;
  labels: { severity: Severity };
  annotations: { summary: string; description: string; runbook_url: string; dashboard_uid: string; dashboard_url: string };
}

export interface RuleGroup {
  name: string;
  rules: AlertRule[];
}

type Enumerated = keyof typeof VALUES;

/** `label="value"` for an enumerated label, the value checked against VALUES at compile time. */
export function is<K extends Enumerated & keyof typeof L>(label: K, value: (typeof VALUES)[K][number]): string {
  return `${L[label]}="${value}"`;
}

/** A series selector: `metric{matchers}`. */
export function sel(metric: MetricName | string, ...matchers: string[]): string {
  return matchers.length ? `${metric}{${matchers.join(', ')}}` : metric;
}

export interface Spec {
  alert: string;
  expr: string;
  for: number;
  severity: Severity;
  summary: string;
  description: string;
}

function rule(config: AlertConfig, s: Spec, dashboard: keyof AlertConfig['dashboards']): AlertRule {
  const uid = config.dashboards[dashboard];
  return {
    alert: s.alert,
    expr: s.expr,
    for: dur(s.for),
    labels: { severity: s.severity },
    annotations: {
      summary: s.summary,
      description: s.description,
      runbook_url: runbookUrl(config, s.alert),
      dashboard_uid: uid,
      dashboard_url: `${config.grafanaUrl}/d/${uid}`,
    },
  };
}

/** The spike expression: recent denials per gateway against the gateway's own earlier rate. */
export function spikeExpr(config: AlertConfig): string {
  const { window, baseline, multiplier, minDenials } = config.spike;
  const recent = `sum by (${L.gateway}) (increase(${M.gatewayDenials}[${dur(window)}]))`;
  const expected = `sum by (${L.gateway}) (rate(${M.gatewayDenials}[${dur(baseline)}] offset ${dur(window)})) * ${window}`;
  // The counter is a count of denial rows: rows deleted (a clean-up, or an older backup restored) make
  // it drop, which increase() would read as a reset followed by every remaining row being new.
  const dropped = `sum by (${L.gateway}) (resets(${M.gatewayDenials}[${dur(window)}])) > 0`;
  return [
    `(${recent} >= ${minDenials})`,
    `unless on (${L.gateway})`,
    `(${recent} <= ${multiplier} * ${expected})`,
    `unless on (${L.gateway})`,
    `(${dropped})`,
  ].join('\n');
}

function gatewayRules(c: AlertConfig): Spec[] {
  const gw = `{{ $labels.${L.gateway} }}`;
  const { window, baseline, multiplier, minDenials } = c.spike;
  const offline = `${M.gatewayOnline} == 0`;
  return [
    {
      alert: 'GatewatchBlockedAgentSpike',
      expr: spikeExpr(c),
      for: c.spike.for,
      severity: 'critical',
      summary: 'An Internet Gateway is denying far more agent connections than it usually does.',
      description:
        `Gateway ${gw} denied about {{ $value | humanize }} connections in the last ${dur(window)}. ` +
        `The alert needs at least ${minDenials} denials in ${dur(window)} AND more than ${multiplier}x what the ` +
        `gateway's own rate over the ${dur(baseline)} before them would give in ${dur(window)}, so a steady ` +
        'trickle of denials (or a quiet gateway seeing a couple) stays silent while a burst fires. A CMDB ' +
        'rollback (lost registrations) or time skew between agent, gateway and Notification Server is the usual cause.',
    },
    {
      alert: 'GatewatchAgentsAwaitingApproval',
      expr: `sum by (${L.gateway}) (${sel(M.blockedAgents, is('status', 'pending'))}) > 0`,
      for: c.awaitingApprovalFor,
      severity: 'warning',
      summary: 'Blocked agents are waiting on the Access Troubleshooting page for an administrator to approve or block them.',
      description:
        `{{ $value }} agents denied by gateway ${gw} are pending on the Cloud-enabled Agents Access ` +
        'Troubleshooting page; they cannot reach the Notification Server until approved.',
    },
    {
      alert: 'GatewatchBrokerConnectionsLow',
      expr: `${M.gatewayBrokerConnections} < ${c.broker.minPerCore}\nunless on (${L.gateway}) (${offline})`,
      for: c.broker.for,
      severity: 'critical',
      summary: 'A core server holds fewer broker service connections to a gateway than it needs.',
      description:
        `Core {{ $labels.${L.core} }} holds {{ $value }} broker service connections to gateway ${gw} ` +
        `(healthy is at least ${c.broker.minPerCore} per core); agents behind the gateway cannot reach that core.`,
    },
    {
      alert: 'GatewatchGatewayOffline',
      expr: offline,
      for: c.gatewayOfflineFor,
      severity: 'critical',
      summary: 'An Internet Gateway is offline.',
      description: `Gateway ${gw} reports offline; agents on the Internet that use it cannot reach the Notification Server.`,
    },
    {
      alert: 'GatewatchGatewayNotRegistered',
      expr: `${M.gatewayRegistered} == 0`,
      for: c.gatewayNotRegisteredFor,
      severity: 'critical',
      summary: 'An Internet Gateway is not registered with the Notification Server and rejects every ephemeral certificate.',
      description:
        `Gateway ${gw} is not registered with the Notification Server: it rejects all ephemeral certificates, ` +
        'so only agents with permanent certificates can connect through it.',
    },
    {
      alert: 'GatewatchTroubleshootingModeOff',
      expr:
        `(sum by (${L.gateway}) (increase(${M.gatewayDenials}[${dur(c.troubleshootingMode.denialWindow)}])) > 0)\n` +
        `and on (${L.gateway}) (${M.gatewayTroubleshootingMode} == 0)`,
      for: c.troubleshootingMode.for,
      severity: 'warning',
      summary: 'A gateway is denying agents but is not in Troubleshooting mode, so none of them can be approved.',
      description:
        `Gateway ${gw} denied {{ $value | humanize }} connections in the last ` +
        `${dur(c.troubleshootingMode.denialWindow)} but Troubleshooting mode is off: it does not report denied ` +
        'agents, and the Access Troubleshooting page stays empty for it.',
    },
  ];
}

function relayRules(c: AlertConfig): Spec[] {
  const relay = `{{ $labels.${L.relay} }}`;
  return [
    {
      alert: 'GatewatchRelayOffline',
      expr: `${M.relayUp} == 0`,
      for: c.relay.pingInterval + c.relay.offlineMargin,
      severity: 'warning',
      summary: 'A relay agent has not answered the LanGuard server ping for more than one ping cycle.',
      description:
        `Relay ${relay} did not answer the Attendant Service ping (AgentManager.dll, every ` +
        `${dur(c.relay.pingInterval)}) twice in a row; agents assigned to it cannot download through it.`,
    },
    {
      alert: 'GatewatchRelayCacheDiskLow',
      expr: `${M.relayCacheFreeBytes} < ${c.relay.cacheMinFreeBytes}`,
      for: c.relay.checkFor,
      severity: 'warning',
      summary: 'A relay cache drive has less free space than the relay needs.',
      description: `Relay ${relay} has {{ $value | humanize1024 }}B free on its cache drive (it needs at least ${c.relay.cacheMinFreeBytes / 1024 ** 3}GiB).`,
    },
    {
      alert: 'GatewatchRelayCacheFolderInvalid',
      expr: `${M.relayCacheFolderValid} == 0`,
      for: c.relay.checkFor,
      severity: 'warning',
      summary: 'A relay cache folder does not exist or is invalid.',
      description: `Relay ${relay} reports an invalid cache folder; Apache caches in the fallback %DataFolder%\\Cache\\Http instead.`,
    },
    {
      alert: 'GatewatchRelayHttpServerErrors',
      expr: `${M.relayHttpServerErrors} > 0`,
      for: c.relay.checkFor,
      severity: 'warning',
      summary: 'A relay reports errors from its Apache HTTP server.',
      description: `Relay ${relay} reports {{ $value }} HTTP server (Apache) errors; agents may fail to download through it.`,
    },
  ];
}

function inventoryRules(c: AlertConfig): Spec[] {
  const { upMetric, jobLabel, job } = c.scrape;
  const scrapeUp = sel(upMetric, `${jobLabel}="${job}"`);
  const age = `(time() - ${M.collectorLastSuccess})`;
  return [
    {
      alert: 'GatewatchInventoryDown',
      expr: `${M.up} == 0\nor ${scrapeUp} == 0\nor absent(${scrapeUp})`,
      for: c.inventoryDownFor,
      severity: 'critical',
      summary: 'gatewatch cannot read the inventory, or Prometheus cannot scrape gatewatch.',
      description:
        `gatewatch (${jobLabel} {{ $labels.${jobLabel} }}) is down, unscraped or cannot reach the CMDB; ` +
        'every other gatewatch alert is blind until it is back.',
    },
    {
      alert: 'GatewatchInventoryStale',
      expr: `${age} > ${c.stale.after}\nor (${age} and ${M.collectorSuccess} == 0)`,
      for: c.stale.for,
      severity: 'warning',
      summary: 'A gatewatch collector keeps failing or has not succeeded for a long time, so its metrics are stale.',
      description:
        `Collector {{ $labels.${L.collector} }} last succeeded {{ $value | humanizeDuration }} ago ` +
        `(failing for ${dur(c.stale.for)}, or no success for over ${dur(c.stale.after)}).`,
    },
  ];
}

export function ruleGroups(config: AlertConfig = defaultConfig): RuleGroup[] {
  return [
    { name: 'gatewatch-gateways', rules: gatewayRules(config).map((s) => rule(config, s, 'gateways')) },
    { name: 'gatewatch-relays', rules: relayRules(config).map((s) => rule(config, s, 'relays')) },
    { name: 'gatewatch-inventory', rules: inventoryRules(config).map((s) => rule(config, s, 'self')) },
    { name: 'gatewatch-agents', rules: silenceRules(config).map((s) => rule(config, s, 'overview')) },
  ];
}

export function allRules(config: AlertConfig = defaultConfig): AlertRule[] {
  return ruleGroups(config).flatMap((g) => g.rules);
}
