// Relays: up or down, how long since the server last pinged each, cache space against the minimum the
// relay needs, cache folder validity, HTTP server errors, clients, and the agents' messages.
import { L, M } from '../metrics/names.js';
import { dashboard, fineVsNot, flag, instant, joinTable, layout, limited, problems, query, runbookLinks, stacked, stat, steps, tableQuery, timeseries } from './common.js';
import { COLOURS, HEIGHT, LIMITS } from './config.js';
import { legend } from './panels.js';

const relay = legend(L.relay);
/** Seconds since the last ping, for relays that were ever pinged (0 = never). */
const pingAge = `time() - (${M.relayLastPing} > 0)`;
// One row per relay: Grafana's merge joins columns only when their series carry the same labels.
const relayColumn = (expr: string) => tableQuery(`max by (${L.relay}) (${expr})`);
const cacheSteps = () => steps(COLOURS.bad, [LIMITS.relayCacheMinFreeBytes, COLOURS.ok]);
const cacheMin = `${LIMITS.relayCacheMinFreeBytes / 1024 ** 3} GiB`;
const pingMinutes = LIMITS.relayPingIntervalSeconds / 60;
const pingSteps = () => steps(COLOURS.ok, [LIMITS.relayPingIntervalSeconds, COLOURS.warn]);

export function relaysDashboard() {
  const builder = dashboard('relays', 'gatewatch / Relays', 'Relay health as the server sees it (GFI LanGuard relays, ITMS package servers).', ['relays']);

  const stats = [
    fineVsNot('Relays', 'Relays the server pinged successfully, and the ones it could not.', ['up', `sum(${M.relayUp})`], ['offline', `sum(${M.relayUp} == bool 0)`])
      .links(runbookLinks('GatewatchRelayOffline')),
    stat(`Cache below ${cacheMin}`, `Relays whose cache drive has less free space than the ${cacheMin} a relay needs.`, instant(`sum(${M.relayCacheFreeBytes} < bool ${LIMITS.relayCacheMinFreeBytes})`))
      .thresholds(problems())
      .links(runbookLinks('GatewatchRelayCacheDiskLow')),
    stat('Invalid cache folder', 'Relays whose cache folder is missing or unusable.', instant(`sum(${M.relayCacheFolderValid} == bool 0)`))
      .thresholds(problems())
      .links(runbookLinks('GatewatchRelayCacheFolderInvalid')),
    stat('HTTP server errors', 'HTTP server errors the relays report, all relays together.', instant(`sum(${M.relayHttpServerErrors})`))
      .thresholds(problems(COLOURS.warn))
      .links(runbookLinks('GatewatchRelayHttpServerErrors')),
  ].map((p) => p.span(6));

  const table = joinTable('Relay status', 'Every relay: up, time since the last ping, cache free space and folder, HTTP server errors and clients.', [L.relay], [
    { name: 'Up', query: relayColumn(M.relayUp), mappings: flag(['up', COLOURS.ok], ['offline', COLOURS.bad]) },
    { name: 'Last ping', query: relayColumn(pingAge), unit: 's', thresholds: pingSteps() },
    { name: 'Cache free', query: relayColumn(M.relayCacheFreeBytes), unit: 'bytes', thresholds: cacheSteps() },
    { name: 'Cache folder', query: relayColumn(M.relayCacheFolderValid), mappings: flag(['valid', COLOURS.ok], ['invalid', COLOURS.bad]) },
    { name: 'HTTP errors', query: relayColumn(M.relayHttpServerErrors), thresholds: problems(COLOURS.warn) },
    { name: 'Clients', query: relayColumn(M.relayClients) },
  ])
    .links(runbookLinks('GatewatchRelayOffline', 'GatewatchRelayCacheDiskLow', 'GatewatchRelayCacheFolderInvalid', 'GatewatchRelayHttpServerErrors'))
    .span(24);

  const ping = limited('Time since last ping', `Seconds since the server last pinged each relay; it pings every ${pingMinutes} minutes, so past the dashed line a ping was missed.`, pingSteps(), query(pingAge, relay))
    .unit('s')
    .links(runbookLinks('GatewatchRelayOffline'))
    .span(12);
  const cache = limited('Cache free space', `Free space on each relay's cache drive; below the dashed line (${cacheMin}) the relay cannot cache packages.`, cacheSteps(), query(M.relayCacheFreeBytes, relay))
    .unit('bytes')
    .links(runbookLinks('GatewatchRelayCacheDiskLow'))
    .span(12);

  const errors = timeseries('HTTP server errors', 'HTTP server errors each relay reports.', query(M.relayHttpServerErrors, relay))
    .links(runbookLinks('GatewatchRelayHttpServerErrors'))
    .span(8);
  const clients = stacked('Clients per relay', 'Agents each relay serves.', query(M.relayClients, relay))
    .links(runbookLinks('GatewatchRelayOffline'))
    .span(8);
  const messages = stacked(
    'Agent messages',
    'Error and warning messages agents logged, by component and severity.',
    query(`sum by (${L.component}, ${L.severity}) (${M.agentMessages})`, legend(L.component, L.severity)),
  )
    .links(runbookLinks('GatewatchRelayHttpServerErrors'))
    .span(8);

  return layout(builder, [[HEIGHT.stat, stats], [HEIGHT.graph, [table]], [HEIGHT.graph, [ping, cache]], [HEIGHT.graph, [errors, clients, messages]]]);
}
