// Panels over blackbox_exporter's probes of the gateways (job gateway-probes): the Gateways dashboard's
// per-gateway table beside the CMDB's view of the same gateway (joined on the `gateway` label), and the
// overview's tile. Thresholds are the alerts' own (src/alerts/config.ts), so the wall and the pager agree.
import * as common from '@grafana/grafana-foundation-sdk/common';
import { defaultConfig as alertConfig } from '../alerts/config.js';
import { BLACKBOX, L, M } from '../metrics/names.js';
import { flag, instant, joinTable, problems, runbookLinks, seeAlso, stat, steps, tableQuery } from './common.js';
import { COLOURS, GATEWAY_SELECTOR, PROBE_SELECTOR } from './config.js';
import { select } from './panels.js';

const DAY = 86400;
const { warnDays, criticalDays } = alertConfig.probes.certificate;
const ALERTS = ['GatewatchGatewayUnreachable', 'GatewatchGatewayCertificateExpiring', 'GatewatchGatewayCertificateExpiringSoon', 'GatewatchGatewayCertificateExpired', 'GatewatchGatewayHandshakeSlow'];
const probe = (metric: string, ...matchers: string[]) => select(metric, PROBE_SELECTOR, ...matchers);
const byGateway = (agg: string, expr: string) => `${agg} by (${L.gateway}) (${expr})`;

/** Per gateway: days until the earliest certificate it presents expires (negative: expired). */
export const certDaysExpr = (...matchers: string[]) => `(${byGateway('min', probe(BLACKBOX.certExpiry, ...matchers))} - time()) / ${DAY}`;
/** Per gateway: 1 when every address of it answers the probe. */
export const reachableExpr = (...matchers: string[]) => byGateway('min', probe(BLACKBOX.success, ...matchers));

/** Gateways dashboard: one row per gateway, the probe's view beside the CMDB's. */
export function probesTable() {
  return joinTable(
    'Probes from the NOC',
    `blackbox_exporter's view of each gateway /sd/gateways lists, from where Prometheus runs: TCP and TLS handshake, its time, and the days until the certificate it presents expires (orange under ${warnDays}, red under ${criticalDays}); beside it the CMDB's own view (online, computers listing it).`,
    [L.gateway],
    [
      { name: 'Reachable', query: tableQuery(reachableExpr(GATEWAY_SELECTOR)), mappings: flag(['yes', COLOURS.ok], ['no', COLOURS.bad]) },
      { name: 'Handshake', query: tableQuery(byGateway('max', probe(BLACKBOX.duration, GATEWAY_SELECTOR))), unit: 's' },
      {
        name: 'Certificate days left',
        query: tableQuery(certDaysExpr(GATEWAY_SELECTOR)),
        unit: 'none',
        thresholds: steps(COLOURS.bad, [criticalDays, COLOURS.warn], [warnDays, COLOURS.ok]),
      },
      { name: 'CMDB: online', query: tableQuery(byGateway('max', select(M.gatewayOnline, GATEWAY_SELECTOR))), mappings: flag(['online', COLOURS.ok], ['offline', COLOURS.bad]) },
      { name: 'CMDB: computers listing it', query: tableQuery(byGateway('sum', select(M.gatewayListedComputers, GATEWAY_SELECTOR))) },
    ],
  ).links(runbookLinks(...ALERTS));
}

/** Overview tile: gateways the NOC cannot reach, and gateways whose certificate expires within the warning window. */
export function probeProblemsStat() {
  return stat(
    'Gateways unreachable / certificates expiring',
    `Gateways blackbox_exporter cannot reach with a TLS handshake, and gateways whose certificate expires within ${warnDays} days (or has expired). 0 when none, and when nothing is probed.`,
    instant(`count(${reachableExpr()} == 0) or on() vector(0)`, 'unreachable'),
    instant(`count(${certDaysExpr()} < ${warnDays}) or on() vector(0)`, 'cert expiring'),
  )
    .textMode(common.BigValueTextMode.ValueAndName)
    .thresholds(problems())
    .links([...runbookLinks(...ALERTS.slice(0, 4)), seeAlso('gateways', 'Gateways & brokers')]);
}
