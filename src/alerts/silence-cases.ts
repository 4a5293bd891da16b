// promtool cases for the agents-going-silent rules (silence.ts): a rollback-like surge behind one
// gateway and fleet-wide fires; a gateway that always gains silent agents at that pace, a small bump,
// and agents merely ageing from LATE to INACTIVE do not. A day of history precedes each look, for the
// 24 h baseline.
import { L, M } from '../metrics/names.js';
import type { AlertCase, InputSeries } from './case-kit.js';
import { sel } from './spec.js';

const series = (metric: string, labels: Record<string, string>, values: string): InputSeries => ({
  series: sel(metric, ...Object.entries(labels).map(([k, v]) => `${k}="${v}"`)),
  values,
});
const silent = (gateway: string, state: string, values: string) => series(M.gatewaySilentAgents, { [L.gateway]: gateway, [L.state]: state }, values);
const fleet = (state: string, connectivity: string, values: string) => series(M.agents, { [L.state]: state, [L.connectivity]: connectivity }, values);
const gw = { [L.gateway]: 'igw-1' };

export function silenceCases(): AlertCase[] {
  const perGateway = 'GatewatchGatewayAgentsGoingSilent';
  const fleetWide = 'GatewatchAgentsGoingSilent';
  return [
    {
      alert: perGateway,
      name: 'rollback: 60 agents behind one gateway go silent after a flat day',
      series: [silent('igw-1', 'late', '10x1500 70x60'), silent('igw-1', 'never', '3x1560'), silent('igw-2', 'late', '10x1560')],
      at: '1530m30s',
      fires: [{ labels: gw, value: 60 }],
    },
    {
      alert: perGateway,
      name: 'a gateway that always gains 30 silent agents an hour, and a bump of 10',
      series: [silent('igw-1', 'inactive', '0+0.5x1560'), silent('igw-2', 'late', '10x1500 20x60')],
      at: '1530m30s',
      fires: [],
    },
    {
      alert: fleetWide,
      name: '150 agents across the fleet go silent',
      series: [fleet('late', 'lan', '50x1500 140x60'), fleet('never', 'internet', '5x1500 65x60'), fleet('reporting', 'lan', '4000x1500 3850x60')],
      at: '1530m30s',
      fires: [{ labels: {}, value: 150 }],
    },
    {
      alert: fleetWide,
      name: '300 LATE agents turn INACTIVE: none newly silent',
      series: [fleet('late', 'lan', '300x1500 0x60'), fleet('inactive', 'lan', '0x1500 300x60'), fleet('reporting', 'lan', '4000x1560')],
      at: '1530m30s',
      fires: [],
    },
  ];
}
