// promtool unit-test cases for the alert rules: for every alert, series that must make it fire and
// series that must not. `npm run alerts` renders them (with the annotations each alert is expected to
// fire with) to dashboards/prometheus/tests/alerts.test.yml. Series are sampled every minute; rules
// are evaluated every 30 s and checked at half minutes, so a range's samples (and `increase`'s
// extrapolation) are the same whether the range is closed (Prometheus 2) or left-open (3).
import { L, M, THRESHOLDS } from '../metrics/names.js';
import { collector, jobLabel, job, relay, series, target, upMetric, type AlertCase } from './case-kit.js';
import { csaCases } from './cases-csa.js';
import { gatewayCases, spikeCases } from './cases-gateways.js';
import { probeCases } from './cases-probes.js';
import { silenceCases } from './silence-cases.js';

export type { AlertCase, InputSeries, Labels } from './case-kit.js';

const twoGiB = THRESHOLDS.relayCacheMinFreeBytes;

function relayCases(): AlertCase[] {
  const gauge = (metric: string, values: string) => [series(metric, relay, values)];
  return [
    { alert: 'GatewatchRelayOffline', name: 'two missed pings in a row', series: gauge(M.relayUp, '1x5 0x40'), at: '35m30s', fires: [{ labels: relay, value: 0 }] },
    { alert: 'GatewatchRelayOffline', name: 'one missed 20-minute ping', series: gauge(M.relayUp, '1x10 0x20 1x10'), at: '31m30s', fires: [] },
    {
      alert: 'GatewatchRelayCacheDiskLow',
      name: '1.5 GiB free',
      series: gauge(M.relayCacheFreeBytes, `${twoGiB * 0.75}x30`),
      at: '25m30s',
      fires: [{ labels: relay, value: twoGiB * 0.75 }],
    },
    { alert: 'GatewatchRelayCacheDiskLow', name: 'exactly 2 GiB free', series: gauge(M.relayCacheFreeBytes, `${twoGiB}x30`), at: '25m30s', fires: [] },
    { alert: 'GatewatchRelayCacheFolderInvalid', name: 'invalid folder', series: gauge(M.relayCacheFolderValid, '0x30'), at: '25m30s', fires: [{ labels: relay, value: 0 }] },
    { alert: 'GatewatchRelayCacheFolderInvalid', name: 'valid folder', series: gauge(M.relayCacheFolderValid, '1x30'), at: '25m30s', fires: [] },
    { alert: 'GatewatchRelayHttpServerErrors', name: '3 Apache errors', series: gauge(M.relayHttpServerErrors, '3x30'), at: '25m30s', fires: [{ labels: relay, value: 3 }] },
    { alert: 'GatewatchRelayHttpServerErrors', name: 'no Apache errors', series: gauge(M.relayHttpServerErrors, '0x30'), at: '25m30s', fires: [] },
  ];
}

function inventoryCases(): AlertCase[] {
  const success = (values: string) => series(M.collectorSuccess, collector, values);
  const lastSuccess = (values: string) => series(M.collectorLastSuccess, collector, values);
  return [
    {
      alert: 'GatewatchInventoryDown',
      name: 'scraped but cannot read the inventory',
      series: [series(M.up, target, '0x10'), series(upMetric, target, '1x10')],
      at: '7m30s',
      fires: [{ labels: target, value: 0 }],
    },
    {
      alert: 'GatewatchInventoryDown',
      name: 'not scraped at all',
      series: [series(upMetric, { [jobLabel]: 'node' }, '1x10')],
      at: '7m30s',
      fires: [{ labels: { [jobLabel]: job }, value: 1 }],
    },
    { alert: 'GatewatchInventoryDown', name: 'up', series: [series(M.up, target, '1x10'), series(upMetric, target, '1x10')], at: '7m30s', fires: [] },
    {
      alert: 'GatewatchInventoryStale',
      name: 'collector failing for 20m after one success',
      series: [success('0x30'), lastSuccess('60x30')],
      at: '20m30s',
      fires: [{ labels: collector, value: 1170 }],
    },
    {
      alert: 'GatewatchInventoryStale',
      name: 'collector never succeeded (last success 0): no 55-year age, left to GatewatchCollectorNeverSucceeded',
      series: [success('0x30'), lastSuccess('0x30')],
      at: '20m30s',
      fires: [],
    },
    {
      alert: 'GatewatchCollectorNeverSucceeded',
      name: 'collector failing since the start',
      series: [success('0x30'), lastSuccess('0x30')],
      at: '20m30s',
      fires: [{ labels: collector, value: 0 }],
    },
    {
      alert: 'GatewatchCollectorNeverSucceeded',
      name: 'collector failing after one success (GatewatchInventoryStale\'s), and one that succeeds',
      series: [success('0x30'), lastSuccess('60x30'), series(M.collectorSuccess, { [L.collector]: 'relays' }, '1x30'), series(M.collectorLastSuccess, { [L.collector]: 'relays' }, '0+60x30')],
      at: '20m30s',
      fires: [],
    },
    {
      alert: 'GatewatchInventoryStale',
      name: 'collector hung: reports success but the last one is old',
      series: [success('1x40'), lastSuccess('60x40')],
      at: '30m30s',
      fires: [{ labels: collector, value: 1770 }],
    },
    {
      alert: 'GatewatchInventoryStale',
      name: 'collector failing for 5m',
      series: [success('1x20 0x5 1x10'), lastSuccess('0+60x20 1200x5 1620+60x10')],
      at: '26m30s',
      fires: [],
    },
  ];
}

export function alertCases(): AlertCase[] {
  return [...spikeCases(), ...gatewayCases(), ...relayCases(), ...inventoryCases(), ...silenceCases(), ...csaCases(), ...probeCases()];
}
