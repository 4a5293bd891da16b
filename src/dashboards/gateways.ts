// Gateways & brokers: per Internet Gateway, its status flags, connections, broker connections per core
// against the healthy minimum, authentication failures, denials and assigned computers.
import { BigValueTextMode } from '@grafana/grafana-foundation-sdk/common';
import { L, M, type MetricName } from '../metrics/names.js';
import { alertAnnotation, dashboard, flag, instant, layout, limited, query, runbookLinks, stacked, stat, steps, timeseries } from './common.js';
import { COLOURS, GATEWAY_SELECTOR, GATEWAY_VAR, HEIGHT, LIMITS, scoped } from './config.js';
import { labelVariable } from './variables.js';
import { probesTable } from './probes.js';
import { csaRow } from './csa.js';
import { PER_MINUTE, accessList, brokerSteps, legend, perMinute, select } from './panels.js';

/** `metric{gateway=~"$gateway"}` */
const gw = (metric: MetricName) => select(metric, GATEWAY_SELECTOR);

/** One coloured box per selected gateway for a 0/1 flag. */
function flagStat(title: string, description: string, metric: MetricName, on: [string, string], off: [string, string], alert: string) {
  return stat(title, description, instant(`max by (${L.gateway}) (${gw(metric)})`, legend(L.gateway)))
    .textMode(BigValueTextMode.ValueAndName)
    .mappings(flag(on, off))
    .thresholds(steps(off[1], [1, on[1]]))
    .links(runbookLinks(alert))
    .span(6);
}

export function gatewaysDashboard() {
  const builder = dashboard('gateways', 'gatewatch / Gateways & brokers', 'Internet Gateways (Symantec CEM, Ivanti CSA): status, connections and denials, per gateway.', ['gateways'])
    .withVariable(
      labelVariable(GATEWAY_VAR.name, 'Gateway', 'Internet Gateways the inventory lists', scoped(M.gatewayInfo))
        .multi(true)
        .includeAll(true)
        .allValue(GATEWAY_VAR.allValue)
        .current({ selected: true, text: 'All', value: '$__all' }),
    )
    .annotation(alertAnnotation('GatewatchBlockedAgentSpike', COLOURS.bad));

  const flags = [
    flagStat('Online', 'Whether each gateway reports online.', M.gatewayOnline, ['online', COLOURS.ok], ['offline', COLOURS.bad], 'GatewatchGatewayOffline'),
    flagStat('Registered', 'Whether each gateway is registered with the Notification Server (unregistered: every ephemeral certificate is rejected).', M.gatewayRegistered, ['registered', COLOURS.ok], ['not registered', COLOURS.bad], 'GatewatchGatewayNotRegistered'),
    flagStat('Troubleshooting mode', 'Troubleshooting mode reports denied agents to the Access Troubleshooting page; off, they cannot be approved.', M.gatewayTroubleshootingMode, ['on', COLOURS.ok], ['off', COLOURS.warn], 'GatewatchTroubleshootingModeOff'),
    flagStat('Ephemeral authentication', 'Whether each gateway accepts ephemeral (short-lived) agent certificates.', M.gatewayEphemeralAuthEnabled, ['enabled', COLOURS.ok], ['disabled', COLOURS.bad], 'GatewatchEphemeralAuthDisabled'),
  ];

  const connections = stacked(
    'Connections by level',
    'Open connections through each gateway by privilege level (broker, client, admin, console, unprivileged).',
    query(`sum by (${L.gateway}, ${L.level}) (${gw(M.gatewayConnections)})`, legend(L.gateway, L.level)),
  )
    .links(runbookLinks('GatewatchGatewayOffline'))
    .span(12);
  const broker = limited(
    'Broker connections per core',
    `Broker service connections each core server holds to each gateway; healthy is at least ${LIMITS.minBrokerConnectionsPerCore} (the dashed line).`,
    brokerSteps(),
    query(gw(M.gatewayBrokerConnections), legend(L.gateway, L.core)),
  )
    .links(runbookLinks('GatewatchBrokerConnectionsLow'))
    .span(12);

  const authFailures = timeseries(
    'Authentication failures',
    'Agent authentication failures at each gateway, per minute.',
    query(perMinute(gw(M.gatewayAuthFailures), [L.gateway]), legend(L.gateway)),
  )
    .unit(PER_MINUTE)
    .links(runbookLinks('GatewatchBlockedAgentSpike'))
    .span(6);
  const denials = stacked(
    'Denials by reason',
    'Connections the selected gateways denied per minute, by reason (registration not found after a CMDB rollback, time skew, …).',
    query(perMinute(gw(M.gatewayDenials), [L.reason]), legend(L.reason)),
  )
    .unit(PER_MINUTE)
    .links(runbookLinks('GatewatchBlockedAgentSpike', 'GatewatchTroubleshootingModeOff'))
    .span(6);
  const accessListPanel = accessList(GATEWAY_SELECTOR).span(6);
  const assigned = timeseries(
    'Assigned computers',
    'Computers whose current gateway is this one.',
    query(`sum by (${L.gateway}) (${gw(M.gatewayAssignedComputers)})`, legend(L.gateway)),
  )
    .links(runbookLinks('GatewatchGatewayOffline'))
    .span(6);

  return layout(builder, [[HEIGHT.stat, flags], [HEIGHT.graph, [connections, broker]], [HEIGHT.graph, [authFailures, denials, accessListPanel, assigned]], [HEIGHT.graph, [probesTable().span(24)]], csaRow()]);
}
