// computers_by_gateway → gatewatch_gateway_assigned_computers{gateway}: managed computers whose current
// Internet Gateway it is; a gateway nobody uses is exported at 0, so "drops to zero" is visible.
import { defineCollector, SampleSet } from '../collector.js';
import { L, M } from '../names.js';

export const gatewayAssignedCollector = defineCollector({
  name: 'computers_by_gateway',
  families: [
    {
      name: M.gatewayAssignedComputers,
      type: 'gauge',
      help: 'Managed computers whose current Internet Gateway this is.',
      labels: [L.gateway],
    },
  ],
  samples(rows, { gateways }) {
    const s = new SampleSet().zeros(M.gatewayAssignedComputers, gateways.map((gateway) => ({ gateway })));
    for (const r of rows) s.add(M.gatewayAssignedComputers, { gateway: r.Gateway }, r.Computers);
    return s.list();
  },
});
