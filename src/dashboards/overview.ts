// The NOC screen: big coloured numbers across a room, the denials graph with spike alerts marked, and
// the gateway table. No variable to choose; it fits 1920×1080 (under NOC.maxRows grid rows).
import { BigValueTextMode } from '@grafana/grafana-foundation-sdk/common';
import { ageOf } from '../alerts/spec.js';
import { L, M } from '../metrics/names.js';
import { alertAnnotation, barGauge, dashboard, fineVsNot, flag, instant, joinTable, layout, limited, problems, query, runbookLinks, seeAlso, stat, steps, tableQuery, timeseries } from './common.js';
import * as dash from '@grafana/grafana-foundation-sdk/dashboard';
import { COLOURS, DIAGNOSIS_RUNBOOK, HEIGHT, LIMITS, NOC, INVENTORY_UP, SELECTORS, VERDICT_PROBLEMS } from './config.js';
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
      .span(3),
    notReportingStat().span(4),
    stat('Agents awaiting approval', 'Denied agents pending on the Access Troubleshooting page; they cannot reach the Notification Server until an administrator approves them.', instant(`sum(${select(M.accessRequests, SELECTORS.pending)})`))
      .thresholds(problems(COLOURS.warn))
      .links(runbookLinks('GatewatchAgentsAwaitingApproval'))
      .span(3),
    fineVsNot('Gateways online', 'Internet Gateways reporting online, and offline ones.', ['online', `sum(${M.gatewayOnline})`], ['offline', `sum(${M.gatewayOnline} == bool 0)`])
      .links(runbookLinks('GatewatchGatewayOffline'))
      .span(3),
    fineVsNot('Gateways registered', 'Internet Gateways registered with the Notification Server, and ones that are not (they reject every ephemeral certificate).', ['registered', `sum(${M.gatewayRegistered})`], ['not registered', `sum(${M.gatewayRegistered} == bool 0)`])
      .links(runbookLinks('GatewatchGatewayNotRegistered'))
      .span(3),
    stat(`Gateways < ${minBroker} broker conns/core`, `Gateways where at least one core server holds fewer than ${minBroker} broker service connections.`, instant(`sum(${byGateway('max', `${M.gatewayBrokerConnections} < bool ${minBroker}`)})`))
      .thresholds(problems())
      .links(runbookLinks('GatewatchBrokerConnectionsLow'))
      .span(3),
    stat('Relays offline', 'Relays the server could not ping.', instant(`sum(${M.relayUp} == bool 0)`))
      .thresholds(problems())
      .links([...runbookLinks('GatewatchRelayOffline'), seeAlso('relays', 'Relays')])
      .span(2),
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
    .span(13);

  const gatewayTable = joinTable('Gateways', 'Each Internet Gateway: status flags, computers assigned, the weakest core\'s broker connections and its Access Troubleshooting list.', [L.gateway, L.version], [
    { name: 'info', query: tableQuery(`max by (${L.gateway}, ${L.version}) (${M.gatewayInfo})`) },
    { name: 'Online', query: tableQuery(byGateway('max', M.gatewayOnline)), mappings: flag(['online', COLOURS.ok], ['offline', COLOURS.bad]) },
    { name: 'Registered', query: tableQuery(byGateway('max', M.gatewayRegistered)), mappings: flag(['yes', COLOURS.ok], ['no', COLOURS.bad]) },
    { name: 'Troubleshooting', query: tableQuery(byGateway('max', M.gatewayTroubleshootingMode)), mappings: flag(['on', COLOURS.ok], ['off', COLOURS.warn]) },
    { name: 'Computers', query: tableQuery(byGateway('sum', M.gatewayAssignedComputers)) },
    { name: 'Min broker/core', query: tableQuery(byGateway('min', M.gatewayBrokerConnections)), thresholds: brokerSteps() },
    { name: 'Pending', query: tableQuery(byGateway('sum', select(M.accessRequests, SELECTORS.pending))), thresholds: problems(COLOURS.warn) },
    { name: 'Oldest pending', query: tableQuery(byGateway('max', ageOf(M.accessRequestOldestPending))), unit: 's', thresholds: steps(COLOURS.ok, [LIMITS.awaitingApprovalSeconds, COLOURS.warn]) },
  ])
    .overrideByName('info', [{ id: 'custom.hidden', value: true }])
    .links([...runbookLinks('GatewatchGatewayOffline', 'GatewatchGatewayNotRegistered', 'GatewatchTroubleshootingModeOff'), seeAlso('gateways', 'Gateways & brokers')])
    .span(11);

  const broker = limited(
    'Weakest core per gateway: broker connections',
    `The fewest broker service connections any core server holds to each gateway; below the dashed line (${minBroker}) agents behind it cannot reach that core.`,
    brokerSteps(),
    query(byGateway('min', M.gatewayBrokerConnections), legend(L.gateway)),
  )
    .links(runbookLinks('GatewatchBrokerConnectionsLow'))
    .span(6);

  const accessListPanel = accessList().span(6);

  const verdicts = barGauge(
    'Why agents are not connecting',
    'Managed agents by troubleshooting verdict: the first check of the articles\' flows each one fails (gatewatch diagnose NAME shows one agent\'s checklist).',
    instant(`sort_desc(sum by (${L.verdict}) (${M.agentsByVerdict}{${VERDICT_PROBLEMS}}))`, legend(L.verdict)),
  )
    .links([new dash.DashboardLinkBuilder('Runbook: diagnosis verdicts').url(DIAGNOSIS_RUNBOOK).targetBlank(true)])
    .span(6);

  return layout(builder, [[NOC.statHeight, stats], [NOC.mainHeight, [denials, gatewayTable]], [HEIGHT.graph, [broker, silentGatewaysTable().span(6), accessListPanel, verdicts]]]);
}
