// promtool unit-test cases for the alert rules: for every alert, series that must make it fire and
// series that must not. `npm run alerts` renders them (with the annotations each alert is expected to
// fire with) to dashboards/prometheus/tests/alerts.test.yml. Series are sampled every minute; rules
// are evaluated every 30 s and checked at half minutes, so a range's samples (and `increase`'s
// extrapolation) are the same whether the range is closed (Prometheus 2) or left-open (3).
import { L, M, THRESHOLDS } from '../metrics/names.js';
import { defaultConfig } from './config.js';
import { sel } from './rules.js';
import { silenceCases } from './silence-cases.js';

export type Labels = Record<string, string>;

export interface InputSeries {
  series: string;
  values: string;
}

export interface AlertCase {
  alert: string;
  /** What the case shows, in a few words (the promtool test group's name). */
  name: string;
  series: InputSeries[];
  /** When to look, e.g. `185m30s`. */
  at: string;
  /** The alerts expected to be firing then (their expression's labels and value); [] = must not fire. */
  fires: Array<{ labels: Labels; value: number }>;
}

function series(metric: string, labels: Labels, values: string): InputSeries {
  return { series: sel(metric, ...Object.entries(labels).map(([k, v]) => `${k}="${v}"`)), values };
}

const gw = (gateway: string, extra: Labels = {}): Labels => ({ [L.gateway]: gateway, ...extra });
const relay = { [L.relay]: 'relay-01' };
const collector = { [L.collector]: 'gateways' };
const rollback = (gateway: string) => gw(gateway, { [L.reason]: 'registration_not_found' });
const skew = (gateway: string) => gw(gateway, { [L.reason]: 'time_skew' });
const { upMetric, jobLabel, job } = defaultConfig.scrape;
const target = { [jobLabel]: job, instance: 'gatewatch:4000' };
const twoGiB = THRESHOLDS.relayCacheMinFreeBytes;

function spikeCases(): AlertCase[] {
  const alert = 'GatewatchBlockedAgentSpike';
  return [
    {
      alert,
      name: 'steady trickle of 3 denials per 5m for 4h',
      series: [series(M.gatewayDenials, rollback('igw-1'), '0+0.6x240')],
      at: '240m30s',
      fires: [],
    },
    {
      alert,
      name: 'busy gateway: a steady 30 denials per 5m is its normal',
      series: [series(M.gatewayDenials, rollback('igw-1'), '0+6x240'), series(M.gatewayDenials, skew('igw-1'), '0x240')],
      at: '240m30s',
      fires: [],
    },
    {
      alert,
      name: 'quiet gateway going from 0 to 2 denials',
      series: [series(M.gatewayDenials, rollback('igw-1'), '0x120 1 2x10')],
      at: '124m30s',
      fires: [],
    },
    {
      alert,
      name: 'denial rows deleted: the count drops from 120 to 100, which is no burst',
      series: [series(M.gatewayDenials, rollback('igw-1'), '0+1x120 100+1x10')],
      at: '124m30s',
      fires: [],
    },
    {
      alert,
      name: 'CMDB rollback: +60 denials in 3m on top of 5 per 5m',
      series: [
        series(M.gatewayDenials, rollback('igw-1'), '0+1x180 200+20x2 241+1x10'),
        series(M.gatewayDenials, skew('igw-1'), '0x193'),
      ],
      at: '185m30s',
      // samples 181..185m: 200 → 242, 42 over 4m extrapolated to the 5m window.
      fires: [{ labels: gw('igw-1'), value: 52.5 }],
    },
  ];
}

function gatewayCases(): AlertCase[] {
  const pending = (n: number) => series(M.blockedAgents, gw('igw-1', { [L.status]: 'pending' }), `${n}x30`);
  const approved = series(M.blockedAgents, gw('igw-1', { [L.status]: 'approved' }), '5x30');
  const broker = (gateway: string, n: number) => series(M.gatewayBrokerConnections, gw(gateway, { [L.core]: 'ns-1' }), `${n}x20`);
  const online = (gateway: string, values: string) => series(M.gatewayOnline, gw(gateway), values);
  const registered = (values: string) => series(M.gatewayRegistered, gw('igw-1'), values);
  const mode = (gateway: string, on: number) => series(M.gatewayTroubleshootingMode, gw(gateway), `${on}x100`);
  return [
    { alert: 'GatewatchAgentsAwaitingApproval', name: '3 agents pending for 20m', series: [pending(3), approved], at: '20m30s', fires: [{ labels: gw('igw-1'), value: 3 }] },
    { alert: 'GatewatchAgentsAwaitingApproval', name: 'only approved and blocked entries', series: [pending(0), approved], at: '20m30s', fires: [] },
    {
      alert: 'GatewatchBrokerConnectionsLow',
      name: 'core holds 2 broker connections',
      series: [broker('igw-1', 2), online('igw-1', '1x20')],
      at: '15m30s',
      fires: [{ labels: gw('igw-1', { [L.core]: 'ns-1' }), value: 2 }],
    },
    {
      alert: 'GatewatchBrokerConnectionsLow',
      name: 'exactly 5 per core; an offline gateway is left to GatewatchGatewayOffline',
      series: [broker('igw-1', THRESHOLDS.minBrokerConnectionsPerCore), online('igw-1', '1x20'), broker('igw-2', 0), online('igw-2', '0x20')],
      at: '15m30s',
      fires: [],
    },
    { alert: 'GatewatchGatewayOffline', name: 'offline for 10m', series: [online('igw-1', '1x5 0x20')], at: '15m30s', fires: [{ labels: gw('igw-1'), value: 0 }] },
    { alert: 'GatewatchGatewayOffline', name: 'offline for 4m, then back', series: [online('igw-1', '1x5 0x3 1x10')], at: '9m30s', fires: [] },
    { alert: 'GatewatchGatewayNotRegistered', name: 'not registered', series: [registered('0x20')], at: '15m30s', fires: [{ labels: gw('igw-1'), value: 0 }] },
    { alert: 'GatewatchGatewayNotRegistered', name: 'registered', series: [registered('1x20')], at: '15m30s', fires: [] },
    {
      alert: 'GatewatchTroubleshootingModeOff',
      name: 'mode off while denying 1 a minute',
      series: [mode('igw-1', 0), series(M.gatewayDenials, rollback('igw-1'), '0+1x100')],
      at: '90m30s',
      fires: [{ labels: gw('igw-1'), value: 60 }],
    },
    {
      alert: 'GatewatchTroubleshootingModeOff',
      name: 'mode off but no new denials; mode on while denying',
      series: [
        mode('igw-1', 0),
        series(M.gatewayDenials, rollback('igw-1'), '5x100'),
        mode('igw-2', 1),
        series(M.gatewayDenials, rollback('igw-2'), '0+1x100'),
      ],
      at: '90m30s',
      fires: [],
    },
  ];
}

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
      name: 'collector failing since the start',
      series: [success('0x30'), lastSuccess('60x30')],
      at: '20m30s',
      fires: [{ labels: collector, value: 1170 }],
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
  return [...spikeCases(), ...gatewayCases(), ...relayCases(), ...inventoryCases(), ...silenceCases()];
}
