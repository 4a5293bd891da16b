// agent_messages_by_component → gatewatch_agent_messages{component,severity}: messages agents currently
// post (toolcfg_agentmessages.xml), both severities for every component seen.
import { defineCollector, grid, SampleSet } from '../collector.js';
import { L, M, VALUES } from '../names.js';

/** The message Type column: 0 error, 1 warning (docs/inventory.md). */
const SEVERITY: Record<number, (typeof VALUES.severity)[number]> = { 0: 'error', 1: 'warning' };

export const agentMessagesCollector = defineCollector({
  name: 'agent_messages_by_component',
  families: [
    {
      name: M.agentMessages,
      type: 'gauge',
      help: 'Agent messages currently posted, by component and severity (error, warning).',
      labels: [L.component, L.severity],
    },
  ],
  samples(rows) {
    const s = new SampleSet().zeros(M.agentMessages, grid({ component: rows.map((r) => r.Component), severity: VALUES.severity }));
    for (const r of rows) {
      const severity = SEVERITY[r.Type];
      // Another Type would be a severity outside the contract; a label value nobody alerts on helps no one.
      if (severity) s.add(M.agentMessages, { component: r.Component, severity }, r.Messages);
    }
    return s.list();
  },
});
