// The overview's gateway panels: one tile counting gateways by what is wrong with them, and the gateway
// table with problems first. A problem is the condition of its alert, thresholds from the one config,
// so the wall and the pager never disagree on what is wrong.
import * as common from '@grafana/grafana-foundation-sdk/common';
import { dur } from '../alerts/config.js';
import { ageOf } from '../alerts/spec.js';
import { L, M } from '../metrics/names.js';
import { flag, instant, joinTable, problems, runbookLinks, seeAlso, stat, steps, tableQuery } from './common.js';
import { COLOURS, LIMITS, SELECTORS } from './config.js';
import { brokerSteps, select } from './panels.js';

const byGateway = (agg: string, expr: string) => `${agg} by (${L.gateway}) (${expr})`;
/** Every gateway at 0: a problem whose series a gateway lacks (no broker rows, none pending) reads 0, not absent. */
const ZERO = `${byGateway('max', M.gatewayOnline)} * 0`;

export interface Problem {
  /** The tile's and the table's word for it. */
  name: string;
  alert: string;
  /** Per gateway: 1 when it has the problem, else 0. */
  expr: string;
}

export const GATEWAY_PROBLEMS: readonly Problem[] = [
  { name: 'offline', alert: 'GatewatchGatewayOffline', expr: `${byGateway('max', M.gatewayOnline)} == bool 0` },
  { name: 'not registered', alert: 'GatewatchGatewayNotRegistered', expr: `${byGateway('max', M.gatewayRegistered)} == bool 0` },
  {
    name: 'ephemeral auth off',
    alert: 'GatewatchEphemeralAuthDisabled',
    // As the alert: only while some agent of the fleet holds an ephemeral certificate alone.
    expr: `(${byGateway('max', M.gatewayEphemeralAuthEnabled)} == bool 0) * scalar(sum(${M.computers}{${SELECTORS.ephemeralOnly}}) > bool 0)`,
  },
  {
    name: `< ${LIMITS.minBrokerConnectionsPerCore} broker/core`,
    alert: 'GatewatchBrokerConnectionsLow',
    expr: `${byGateway('min', M.gatewayBrokerConnections)} < bool ${LIMITS.minBrokerConnectionsPerCore}`,
  },
  {
    name: 'troubleshooting off while denying',
    alert: 'GatewatchTroubleshootingModeOff',
    expr:
      `(${byGateway('max', M.gatewayTroubleshootingMode)} == bool 0) * ` +
      `(${byGateway('sum', `increase(${M.gatewayDenials}[${dur(LIMITS.troubleshootingDenialWindowSeconds)}])`)} > bool 0)`,
  },
  { name: 'approval overdue', alert: 'GatewatchAgentsAwaitingApproval', expr: `${byGateway('max', ageOf(M.accessRequestOldestPending))} > bool ${LIMITS.awaitingApprovalSeconds}` },
];

/** How many of GATEWAY_PROBLEMS each gateway has: the gateway table sorts on it. */
export const problemCount = () => GATEWAY_PROBLEMS.map((p) => `(${p.expr} or ${ZERO})`).join('\n+ ');

/** The tile: gateways offline, not registered, refusing ephemeral certificates, short of broker connections. */
export function gatewayProblemsStat() {
  const shown = GATEWAY_PROBLEMS.slice(0, 4);
  return stat(
    'Gateways with a problem',
    `Internet Gateways ${shown.map((p) => p.name).join(', ')} (a core holding fewer than ${LIMITS.minBrokerConnectionsPerCore} broker service connections). Each is the condition of its alert; green at 0.`,
    ...shown.map((p) => instant(`sum(${p.expr})`, p.name)),
  )
    .textMode(common.BigValueTextMode.ValueAndName)
    .thresholds(problems())
    .links([...runbookLinks(...shown.map((p) => p.alert)), seeAlso('gateways', 'Gateways & brokers')]);
}

export function gatewaysTable() {
  return joinTable(
    'Gateways',
    `Each Internet Gateway, the ones with the most problems first (${GATEWAY_PROBLEMS.map((p) => p.name).join(', ')}): status flags, computers assigned, the weakest core's broker connections and its Access Troubleshooting list.`,
    [L.gateway, L.version],
    [
      { name: 'info', query: tableQuery(`max by (${L.gateway}, ${L.version}) (${M.gatewayInfo})`) },
      { name: 'Problems', query: tableQuery(problemCount()), thresholds: problems() },
      { name: 'Online', query: tableQuery(byGateway('max', M.gatewayOnline)), mappings: flag(['online', COLOURS.ok], ['offline', COLOURS.bad]) },
      { name: 'Registered', query: tableQuery(byGateway('max', M.gatewayRegistered)), mappings: flag(['yes', COLOURS.ok], ['no', COLOURS.bad]) },
      { name: 'Ephemeral auth', query: tableQuery(byGateway('max', M.gatewayEphemeralAuthEnabled)), mappings: flag(['on', COLOURS.ok], ['off', COLOURS.bad]) },
      { name: 'Troubleshooting', query: tableQuery(byGateway('max', M.gatewayTroubleshootingMode)), mappings: flag(['on', COLOURS.ok], ['off', COLOURS.warn]) },
      { name: 'Computers', query: tableQuery(byGateway('sum', M.gatewayAssignedComputers)) },
      { name: 'Min broker/core', query: tableQuery(byGateway('min', M.gatewayBrokerConnections)), thresholds: brokerSteps() },
      { name: 'Pending', query: tableQuery(byGateway('sum', select(M.accessRequests, SELECTORS.pending))), thresholds: problems(COLOURS.warn) },
      { name: 'Oldest pending', query: tableQuery(byGateway('max', ageOf(M.accessRequestOldestPending))), unit: 's', thresholds: steps(COLOURS.ok, [LIMITS.awaitingApprovalSeconds, COLOURS.warn]) },
    ],
  )
    .overrideByName('info', [{ id: 'custom.hidden', value: true }])
    .sortBy([new common.TableSortByFieldStateBuilder().displayName('Problems').desc(true)])
    .links([...runbookLinks(...GATEWAY_PROBLEMS.map((p) => p.alert)), seeAlso('gateways', 'Gateways & brokers')]);
}
