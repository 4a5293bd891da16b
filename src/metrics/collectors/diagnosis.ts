// diagnosis_facts → gatewatch_agents_by_verdict{verdict}: managed agents per troubleshooting verdict,
// counted by one generated GROUP BY statement (src/diagnosis/run.ts), every verdict at 0 when none.
import { fleetVerdicts, diagnosisTime, type VerdictCount } from '../../diagnosis/run.js';
import { FLEET_VERDICTS } from '../../diagnosis/checks.js';
import type { Collector } from '../collector.js';
import { grid, SampleSet } from '../collector.js';
import { L, M } from '../names.js';
import { ARTICLES } from '../../articles.js';

export const diagnosisCollector: Collector<'diagnosis_facts'> = {
  name: 'diagnosis_facts',
  // Every agent through every check: ~40 s of one SQLite core at 1,000,000 computers (0.1 s at 5,000).
  intervalSeconds: 300,
  families: [
    {
      name: M.agentsByVerdict,
      type: 'gauge',
      help: `Managed computers by troubleshooting verdict: the first check they fail of the flows of the vendor articles (${Object.values(ARTICLES).map((a) => a.short).join('; ')}), or HEALTHY.`,
      labels: [L.verdict],
    },
  ],
  read: (inventory, { now, liveness }) => fleetVerdicts(inventory, diagnosisTime(now, liveness)),
  samples(rows) {
    const s = new SampleSet().zeros(M.agentsByVerdict, grid({ verdict: FLEET_VERDICTS }));
    for (const r of rows as unknown as VerdictCount[]) s.add(M.agentsByVerdict, { verdict: r.verdict }, r.count);
    return s.list();
  },
};
