// cem_summary → the two CEM provisioning counts the CEM reports of Broadcom's ITMS article (Part 2, KB 187342)
// show next to the connection state.
import { defineCollector, SampleSet } from '../collector.js';
import { M } from '../names.js';

export const cemCollector = defineCollector({
  name: 'cem_summary',
  families: [
    {
      name: M.cemConfigured,
      type: 'gauge',
      help: 'Managed computers whose agent has Cloud-enabled Management configured (InternetModeSupported).',
      labels: [],
    },
    {
      name: M.cemPolicyApplied,
      type: 'gauge',
      help: 'Managed computers with at least one CEM policy applied (AppliedPolicyCount > 0).',
      labels: [],
    },
  ],
  samples(rows) {
    const r = rows[0];
    return new SampleSet()
      .set(M.cemConfigured, {}, r?.CemConfigured ?? 0)
      .set(M.cemPolicyApplied, {}, r?.PolicyApplied ?? 0)
      .list();
  },
});
