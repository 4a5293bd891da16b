// computers_by_reporting → gatewatch_agents{state,connectivity}: managed computers by reporting state
// (last inventory against the liveness thresholds) and connection state; all 4×2 series, empty at 0.
import { livenessCutoffs } from '../../inventory/liveness.js';
import { defineCollector, grid, SampleSet } from '../collector.js';
import { L, M, VALUES } from '../names.js';

export const agentsCollector = defineCollector({
  name: 'computers_by_reporting',
  families: [
    {
      name: M.agents,
      type: 'gauge',
      help: 'Managed computers by agent reporting state (reporting/late/inactive/never, from the last inventory) and connection state.',
      labels: [L.state, L.connectivity],
    },
  ],
  params: ({ now, liveness }) => livenessCutoffs(now, liveness),
  samples(rows) {
    const s = new SampleSet().zeros(M.agents, grid({ state: VALUES.state, connectivity: VALUES.connectivity }));
    for (const r of rows) s.add(M.agents, { state: r.Reporting, connectivity: r.Connectivity }, r.Computers);
    return s.list();
  },
});
