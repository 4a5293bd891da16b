// agent_versions → gatewatch_agents_by_version{version}: managed computers per core agent version. A
// fleet runs a handful of versions, so the label stays small; no agent inventory yet is "unknown".
import { defineCollector, SampleSet } from '../collector.js';
import { L, M } from '../names.js';

export const UNKNOWN_VERSION = 'unknown';

export const agentVersionsCollector = defineCollector({
  name: 'agent_versions',
  families: [
    {
      name: M.agentsByVersion,
      type: 'gauge',
      help: 'Managed computers per core agent version (Inv_AeX_AC_Client_Agent); "unknown": no agent inventory yet.',
      labels: [L.version],
    },
  ],
  samples(rows) {
    // Versions cannot be enumerated in advance; "unknown" can, so it is always there.
    const s = new SampleSet().zeros(M.agentsByVersion, [{ version: UNKNOWN_VERSION }]);
    for (const r of rows) s.add(M.agentsByVersion, { version: r.Version ?? UNKNOWN_VERSION }, r.Computers);
    return s.list();
  },
});
