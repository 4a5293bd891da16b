// Agent liveness on the NOC screen: the share of agents not reporting as one big number, and the
// gateways with the most silent agents behind them. Panels only; overview.ts places them.
import * as common from '@grafana/grafana-foundation-sdk/common';
import { L, M } from '../metrics/names.js';
import { instant, joinTable, runbookLinks, seeAlso, stat, steps, tableQuery } from './common.js';
import { COLOURS, SILENT } from './config.js';
import { select } from './panels.js';

const RUNBOOKS = ['GatewatchGatewayAgentsGoingSilent', 'GatewatchAgentsGoingSilent'] as const;
const shareSteps = () => steps(COLOURS.ok, [SILENT.warnShare, COLOURS.warn], [SILENT.badShare, COLOURS.bad]);
const perGateway = (state?: string) => `sum by (${L.gateway}) (${select(M.gatewaySilentAgents, state ? `${L.state}="${state}"` : SILENT.selector)})`;

export function notReportingStat() {
  return stat(
    'Agents not reporting',
    'Share of managed agents whose last inventory is older than the late threshold (LATE), the inactive one (INACTIVE), or that never reported (NEVER).',
    instant(`sum(${select(M.agents, SILENT.selector)}) / sum(${M.agents})`),
  )
    .unit('percentunit')
    .thresholds(shareSteps())
    .links([...runbookLinks(...RUNBOOKS), seeAlso('agents', 'Agent authentication & CEM state')]);
}

export function silentGatewaysTable() {
  return joinTable('Gateways with the most silent agents', 'Agents not reporting whose current (for a silent agent: last known) gateway it is, by state, and their share of the agents assigned to it; most first.', [L.gateway], [
    { name: 'Not reporting', query: tableQuery(perGateway()) },
    { name: 'Share', query: tableQuery(`${perGateway()} / on (${L.gateway}) (sum by (${L.gateway}) (${M.gatewayAssignedComputers}) > 0)`), unit: 'percentunit', thresholds: shareSteps() },
    { name: 'Late', query: tableQuery(perGateway('late')) },
    { name: 'Inactive', query: tableQuery(perGateway('inactive')) },
    { name: 'Never', query: tableQuery(perGateway('never')) },
  ])
    .sortBy([new common.TableSortByFieldStateBuilder().displayName('Not reporting').desc(true)])
    .links(runbookLinks(...RUNBOOKS));
}
