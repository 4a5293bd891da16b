// promtool cases of the gateway alerts (rules-gateways.ts).
import { L, M, THRESHOLDS } from '../metrics/names.js';
import { gw, rollback, series, skew, type AlertCase } from './case-kit.js';

export function spikeCases(): AlertCase[] {
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

export function gatewayCases(): AlertCase[] {
  const oldest = (gateway: string, values: string) => series(M.accessRequestOldestPending, gw(gateway), values);
  const pending = (gateway: string, values: string) => series(M.accessRequests, gw(gateway, { [L.status]: 'pending' }), values);
  const broker = (gateway: string, n: number) => series(M.gatewayBrokerConnections, gw(gateway, { [L.core]: 'ns-1' }), `${n}x20`);
  const online = (gateway: string, values: string) => series(M.gatewayOnline, gw(gateway), values);
  const registered = (values: string) => series(M.gatewayRegistered, gw('igw-1'), values);
  const mode = (gateway: string, on: number) => series(M.gatewayTroubleshootingMode, gw(gateway), `${on}x100`);
  const ephemeralAuth = (gateway: string, on: number) => series(M.gatewayEphemeralAuthEnabled, gw(gateway), `${on}x30`);
  const assigned = (gateway: string, n: number) => series(M.gatewayAssignedComputers, gw(gateway), `${n}x30`);
  const fleet = (auth: string, n: number) => series(M.computers, { [L.connectivity]: 'internet', [L.auth]: auth, [L.transport]: 'https' }, `${n}x30`);
  return [
    {
      alert: 'GatewatchAgentsAwaitingApproval',
      name: 'the oldest pending agent, listed at 1m, is left alone for over 4h',
      series: [oldest('igw-1', '60x300'), pending('igw-1', '3x300')],
      at: '250m30s',
      // 250m30s − 60s: 4h 9m 30s.
      fires: [{ labels: gw('igw-1'), value: 14970 }],
    },
    {
      alert: 'GatewatchAgentsAwaitingApproval',
      name: 'a worked queue: 40 pending all day, the oldest always minutes old; a gateway with none pending (0)',
      // Entries are decided as they come: the oldest pending one is always 10 minutes old.
      series: [oldest('igw-1', '-600+60x300'), pending('igw-1', '40x300'), oldest('igw-2', '0x300'), pending('igw-2', '0x300')],
      at: '250m30s',
      fires: [],
    },
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
      alert: 'GatewatchEphemeralAuthDisabled',
      name: 'ephemeral auth off at a gateway with 40 computers, 100 agents on ephemeral certificates alone',
      series: [ephemeralAuth('igw-1', 0), assigned('igw-1', 40), ephemeralAuth('igw-2', 1), assigned('igw-2', 60), fleet('ephemeral', 100), fleet('permanent', 50)],
      at: '15m30s',
      fires: [{ labels: gw('igw-1'), value: 40 }],
    },
    {
      alert: 'GatewatchEphemeralAuthDisabled',
      name: 'ephemeral auth off but no agent depends on an ephemeral certificate alone; on elsewhere',
      series: [ephemeralAuth('igw-1', 0), assigned('igw-1', 40), ephemeralAuth('igw-2', 1), assigned('igw-2', 60), fleet('ephemeral', 0), fleet('both', 30), fleet('permanent', 50)],
      at: '15m30s',
      fires: [],
    },
    {
      alert: 'GatewatchTroubleshootingModeOff',
      name: 'mode off while denying 1 a minute',
      series: [mode('igw-1', 0), series(M.gatewayDenials, rollback('igw-1'), '0+1x100')],
      at: '90m30s',
      fires: [{ labels: gw('igw-1'), value: 60 }],
    },
    {
      alert: 'GatewatchTroubleshootingModeOff',
      name: 'mode off, a denial every 26 minutes: increase() reads 2.274, the annotation says 2',
      series: [mode('igw-1', 0), series(M.gatewayDenials, rollback('igw-1'), '0+0.0379x100')],
      at: '90m30s',
      fires: [{ labels: gw('igw-1'), value: 2.274 }],
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

