// computers_by_state → gatewatch_computers{connectivity,auth,transport}: managed computers on the three
// axes of the CEM reports of Broadcom's ITMS article (Part 2, KB 187342), every one of the 2×4×2 combinations present, empty ones at 0.
import { defineCollector, grid, SampleSet } from '../collector.js';
import { L, M, VALUES } from '../names.js';

export const computersCollector = defineCollector({
  name: 'computers_by_state',
  families: [
    {
      name: M.computers,
      type: 'gauge',
      help: 'Managed computers by connection state (internet/lan), agent certificate auth type and transport (https/http).',
      labels: [L.connectivity, L.auth, L.transport],
    },
  ],
  samples(rows) {
    const s = new SampleSet().zeros(
      M.computers,
      grid({ connectivity: VALUES.connectivity, auth: VALUES.auth, transport: VALUES.transport }),
    );
    // A value outside the enumeration (a view returning another auth type) is still exported, not lost.
    for (const r of rows) s.add(M.computers, { connectivity: r.Connectivity, auth: r.AuthType, transport: r.Transport }, r.Computers);
    return s.list();
  },
});
