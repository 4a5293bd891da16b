// The NOC screen: big coloured numbers across a room, the denials graph with spike alerts marked, and
// the gateway table, problems first. No variable to choose; it fits 1920×1080 (under NOC.maxRows grid
// rows), and no tile is narrower than READABLE allows.
import { BigValueTextMode } from '@grafana/grafana-foundation-sdk/common';
import { ageOf } from '../alerts/spec.js';
import { L, M } from '../metrics/names.js';
import { alertAnnotation, barGauge, dashboard, flag, instant, layout, limited, problems, query, runbookLinks, seeAlso, stat, steps, timeseries } from './common.js';
import * as dash from '@grafana/grafana-foundation-sdk/dashboard';
import { COLOURS, DIAGNOSIS_RUNBOOK, LIMITS, NOC, INVENTORY_UP, READABLE, SELECTORS, VERDICT_PROBLEMS } from './config.js';
import { probeProblemsStat } from './probes.js';
import { gatewayProblemsStat, gatewaysTable } from './overview-gateways.js';
import { PER_MINUTE, accessList, brokerSteps, legend, perMinute, select } from './panels.js';
import { notReportingStat, silentGatewaysTable } from './liveness.js';

const SPIKE = 'GatewatchBlockedAgentSpike';
const minBroker = LIMITS.minBrokerConnectionsPerCore;
const byGateway = (agg: string, expr: string) => `${agg} by (${L.gateway}) (${expr})`;

export function overviewDashboard() {
  const builder = dashboard('overview', 'gatewatch / CEM overview (NOC)', `Cloud-enabled Management at a glance, for a wall screen: open it with ?kiosk&theme=${NOC.theme}.`, ['cem', 'noc'])
    .time(NOC.time)
    .annotation(alertAnnotation(SPIKE, COLOURS.bad));

  const stats = [
    stat('Computers: Internet / LAN', 'Managed computers by network zone: on the Internet (through a gateway) and on the LAN.', instant(`sum by (${L.connectivity}) (${M.computers})`, legend(L.connectivity)))
      .textMode(BigValueTextMode.ValueAndName)
      .links([seeAlso('agents', 'Agent authentication & CEM state')])
      .span(4),
    notReportingStat().span(3),
    awaitingApprovalStat().span(4),
    gatewayProblemsStat().span(4),
    probeProblemsStat().span(3),
    stat('Relays offline', 'Relays the server could not ping.', instant(`sum(${M.relayUp} == bool 0)`))
      .thresholds(problems())
      .links([...runbookLinks('GatewatchRelayOffline'), seeAlso('relays', 'Relays')])
      .span(3),
    stat('Inventory', 'Whether gatewatch can read the inventory (CMDB) at all; when it is down every other number here is missing or stale.', instant(INVENTORY_UP))
      .mappings(flag(['up', COLOURS.ok], ['down', COLOURS.bad]))
      .thresholds(steps(COLOURS.bad, [1, COLOURS.ok]))
      .links([...runbookLinks('GatewatchInventoryDown'), seeAlso('self', 'gatewatch itself')])
      .span(3),
  ];

  const denials = timeseries(
    'Denials per gateway',
    `Agent connections each gateway denied, per minute. Red marks: ${SPIKE} pending or firing (a CMDB rollback's signature).`,
    query(perMinute(M.gatewayDenials, [L.gateway]), legend(L.gateway)),
  )
    .unit(PER_MINUTE)
    .links([...runbookLinks(SPIKE, 'GatewatchTroubleshootingModeOff'), seeAlso('gateways', 'Gateways & brokers')])
    .span(11);

  const gatewayTable = gatewaysTable().span(13);

  const broker = limited(
    'Weakest core per gateway: broker connections',
    `The fewest broker service connections any core server holds to each gateway; below the dashed line (${minBroker}) agents behind it cannot reach that core.`,
    brokerSteps(),
    query(byGateway('min', M.gatewayBrokerConnections), legend(L.gateway)),
  )
    .links(runbookLinks('GatewatchBrokerConnectionsLow'));

  const verdicts = barGauge(
    'Why agents are not connecting',
    'Managed agents by troubleshooting verdict: the first check of the articles\' flows each one fails (gatewatch diagnose NAME shows one agent\'s checklist).',
    // Only the verdicts some agent has, most agents first: 18 bars, zeros included, cannot be read across a room.
    instant(`sort_desc(sum by (${L.verdict}) (${M.agentsByVerdict}{${VERDICT_PROBLEMS}}) > 0)`, legend(L.verdict)),
  )
    .links([new dash.DashboardLinkBuilder('Runbook: diagnosis verdicts').url(DIAGNOSIS_RUNBOOK).targetBlank(true)])
    .span(READABLE.verdicts.w);

  const lower = [broker.span(5), silentGatewaysTable().span(6), accessList().span(5), verdicts];
  return layout(builder, [[NOC.statHeight, stats], [NOC.mainHeight, [denials, gatewayTable]], [Math.max(NOC.lowerHeight, READABLE.verdicts.h), lower]]);
}

/** The oldest wait on any Access Troubleshooting list, coloured against the alert's own limit, and how many wait. */
function awaitingApprovalStat() {
  const limit = LIMITS.awaitingApprovalSeconds;
  return stat(
    'Agents awaiting approval',
    `How long the oldest denied agent has waited on the Access Troubleshooting page (orange from ${limit / 3600} h, when GatewatchAgentsAwaitingApproval fires), and how many wait; they cannot reach the Notification Server until an administrator approves them.`,
    // 0 when none is pending, so the tile reads "none" instead of "No data".
    instant(`max(${ageOf(M.accessRequestOldestPending)}) or on() vector(0)`, 'oldest wait'),
    instant(`sum(${select(M.accessRequests, SELECTORS.pending)})`, 'pending'),
  )
    .textMode(BigValueTextMode.ValueAndName)
    .overrideByQuery('A', [
      { id: 'unit', value: 's' },
      { id: 'thresholds', value: steps(COLOURS.ok, [limit, COLOURS.warn]).build() },
      { id: 'mappings', value: [{ type: dash.MappingType.ValueToText, options: { '0': { text: 'none', index: 0 } } }] },
    ])
    .overrideByQuery('B', [{ id: 'thresholds', value: steps(COLOURS.neutral).build() }])
    .links(runbookLinks('GatewatchAgentsAwaitingApproval'));
}
