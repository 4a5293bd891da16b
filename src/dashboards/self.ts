// gatewatch itself: can it read the inventory, how each collector fares (success, duration, age of the
// data served), how its GraphQL API answers (rate by outcome, latency quantiles) and what the process
// costs (memory, CPU, event-loop lag, from prom-client's default metrics).
import { BigValueTextMode } from '@grafana/grafana-foundation-sdk/common';
import { GRAPHQL_STATUS, L, M, PROCESS } from '../metrics/names.js';
import { dashboard, fineVsNot, flag, instant, layout, limited, query, runbookLinks, seeAlso, stat, steps, timeseries } from './common.js';
import { COLOURS, HEIGHT, LIMITS, RANGE, INVENTORY_UP } from './config.js';
import { PER_MINUTE, legend, perMinute } from './panels.js';

/** Seconds since each collector last read its dataset successfully. */
// A collector that never succeeded exports 0: leave it out rather than show an age of 55 years.
const dataAge = `time() - (${M.collectorLastSuccess} > 0)`;
const staleSteps = () => steps(COLOURS.ok, [LIMITS.staleAfterSeconds, COLOURS.bad]);
const QUANTILES = [0.5, 0.95, 0.99];
const collector = legend(L.collector);

export function selfDashboard() {
  const builder = dashboard('self', 'gatewatch / gatewatch itself', 'The exporter and API: inventory reachability, collectors, GraphQL traffic.', ['self']);

  const stats = [
    stat('Inventory', 'Whether gatewatch can reach the inventory (CMDB) at all (gatewatch_up).', instant(INVENTORY_UP))
      .mappings(flag(['up', COLOURS.ok], ['down', COLOURS.bad]))
      .thresholds(steps(COLOURS.bad, [1, COLOURS.ok]))
      .links(runbookLinks('GatewatchInventoryDown')),
    fineVsNot('Collectors', 'Collectors whose last read of their dataset succeeded, and those that failed (their metrics are left out of the scrape).', ['ok', `sum(${M.collectorSuccess})`], ['failing', `sum(${M.collectorSuccess} == bool 0)`])
      .links(runbookLinks('GatewatchInventoryStale')),
    stat('Oldest data served', 'Age of the oldest dataset gatewatch serves: time since the least recent collector success.', instant(`max(${dataAge})`))
      .unit('s')
      .thresholds(staleSteps())
      .links(runbookLinks('GatewatchInventoryStale')),
    stat('Version', 'The gatewatch version serving these metrics.', instant(M.buildInfo, legend(L.version)))
      .textMode(BigValueTextMode.Name)
      .thresholds(steps(COLOURS.info))
      .links([seeAlso('overview', 'CEM overview')]),
  ].map((p) => p.span(6));

  const success = timeseries('Collector success', 'Per collector: 1 when its last read succeeded, 0 when it failed.', query(M.collectorSuccess, collector))
    .min(0)
    .max(1)
    .links(runbookLinks('GatewatchInventoryStale', 'GatewatchInventoryDown'))
    .span(12);
  const duration = timeseries('Collector duration', 'How long each collector\'s statement took on its last read.', query(M.collectorDuration, collector))
    .unit('s')
    .links(runbookLinks('GatewatchInventoryStale'))
    .span(12);

  const age = limited('Age of the data served', `Seconds since each collector last succeeded; past the dashed line (${LIMITS.staleAfterSeconds / 60} min) its data is stale.`, staleSteps(), query(dataAge, collector))
    .unit('s')
    .links(runbookLinks('GatewatchInventoryStale'))
    .span(8);
  const requests = timeseries(
    'GraphQL requests',
    `GraphQL requests per minute by outcome (${GRAPHQL_STATUS.join(', ')}; error: HTTP status 400 or above).`,
    query(perMinute(M.graphqlRequests, [L.status]), legend(L.status)),
  )
    .unit(PER_MINUTE)
    .links([seeAlso('overview', 'CEM overview')])
    .span(8);
  const latency = timeseries(
    'GraphQL latency',
    `GraphQL response time quantiles (${QUANTILES.map((q) => `p${q * 100}`).join(', ')}) from the request duration histogram.`,
    ...QUANTILES.map((q) => query(`histogram_quantile(${q}, sum by (le) (rate(${M.graphqlRequestDuration}_bucket[${RANGE}])))`, `p${q * 100}`)),
  )
    .unit('s')
    .links(runbookLinks('GatewatchInventoryStale'))
    .span(8);

  const memory = timeseries(
    'Memory',
    'Resident memory of the gatewatch process, and the V8 heap it uses out of the heap it holds.',
    query(PROCESS.residentMemory, 'resident (RSS)'),
    query(PROCESS.heapUsed, 'heap used'),
    query(PROCESS.heapTotal, 'heap total'),
  )
    .unit('bytes')
    .links([seeAlso('overview', 'CEM overview')])
    .span(8);
  const cpu = timeseries('CPU', 'CPU time the gatewatch process uses, in cores (1 = one core busy all the time).', query(`rate(${PROCESS.cpuSeconds}[${RANGE}])`, 'cores'))
    .links([seeAlso('overview', 'CEM overview')])
    .span(8);
  const lag = timeseries(
    'Event-loop lag',
    'How late the Node.js event loop runs its callbacks (p50, p99): high lag delays every scrape and GraphQL request.',
    query(PROCESS.eventLoopLagP50, 'p50'),
    query(PROCESS.eventLoopLagP99, 'p99'),
  )
    .unit('s')
    .links(runbookLinks('GatewatchInventoryStale'))
    .span(8);

  return layout(builder, [[HEIGHT.stat, stats], [HEIGHT.graph, [success, duration]], [HEIGHT.graph, [age, requests, latency]], [HEIGHT.graph, [memory, cpu, lag]]]);
}
