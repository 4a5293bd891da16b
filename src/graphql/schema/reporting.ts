// Agent liveness on existing types: when each computer's agent last reported, its reporting state and
// agent version, and the fleet's count per state under cemSummary. Added with objectFields so the
// Computer and CemSummary files stay as they are.
import { REPORTING_STATES, type ReportingState as State } from '../../inventory/liveness.js';
import { builder } from '../builder.js';
import { readByReporting } from '../liveness-data.js';
import { CemSummary } from './cem-summary.js';
import { columns, Computer } from './computer.js';
import { ReportingState } from './enums.js';

builder.objectFields(Computer, (t) => ({
  lastReport: t.expose('LastReport', {
    type: 'DateTime',
    nullable: true,
    ...columns('LastReport'),
    description: 'When the newest inventory data class arrived (MAX(ResourceUpdateSummary.ModifiedDate)); null: never.',
  }),
  reporting: t.field({ type: ReportingState, description: 'Reporting, late, inactive or never, from lastReport and the server\'s thresholds.', ...columns('Reporting'), resolve: (c) => c.Reporting as State }),
  agentVersion: t.exposeString('AgentVersion', {
    nullable: true,
    ...columns('AgentVersion'),
    description: "The core agent's Product Version (Inv_AeX_AC_Client_Agent); null: no agent inventory.",
  }),
}));

const ReportingCount = builder.objectRef<{ state: State; count: number }>('ReportingCount').implement({
  description: 'Managed computers in one reporting state.',
  fields: (t) => ({
    state: t.expose('state', { type: ReportingState, description: 'The reporting state.' }),
    count: t.exposeInt('count', { description: 'Managed computers in it.' }),
  }),
});

builder.objectField(CemSummary, 'byReporting', (t) =>
  t.field({
    type: [ReportingCount],
    description: 'Managed computers per reporting state; every state, 0 when none.',
    resolve: async (s, _args, ctx) => {
      // The cemSummary's own `live` decides here too, and its asOf covers this list's snapshot.
      const { rows } = await readByReporting(ctx, s.live);
      // The rows are already counted in SQL per state and connectivity: only the two connectivities add up here.
      return REPORTING_STATES.map((state) => ({ state, count: rows.filter((r) => r.Reporting === state).reduce((n, r) => n + r.Computers, 0) }));
    },
  }),
);
