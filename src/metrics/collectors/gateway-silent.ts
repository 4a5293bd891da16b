// computers_by_gateway_reporting → gatewatch_gateway_silent_agents{gateway,state}: managed computers
// whose current (for a silent agent: last known) gateway it is and that are not reporting, per state.
// Every gateway × late/inactive/never is exported, at 0 when none, so a surge starts from a series.
import { livenessCutoffs } from '../../inventory/liveness.js';
import { defineCollector, gatewayGrid } from '../collector.js';
import { L, M, VALUES } from '../names.js';

export const gatewaySilentCollector = defineCollector({
  name: 'computers_by_gateway_reporting',
  families: [
    {
      name: M.gatewaySilentAgents,
      type: 'gauge',
      help: 'Managed computers not reporting (late/inactive/never) whose current or last known Internet Gateway this is.',
      labels: [L.gateway, L.state],
    },
  ],
  params: ({ now, liveness }) => livenessCutoffs(now, liveness),
  samples(rows, context) {
    const silent = rows.filter((r) => r.Reporting !== 'reporting');
    return gatewayGrid(M.gatewaySilentAgents, L.state, VALUES.silent, context, silent, (r) => [r.Reporting, r.Computers]);
  },
});
