// Agent versions across the fleet: ephemeral certificates need the agent at 8.8.1 or later (Broadcom ITMS CEM article),
// so "how many agents are older" is the first question before switching a gateway to ephemeral only.
import { builder } from '../builder.js';
import { readAgentVersions } from '../liveness-data.js';

const AgentVersionCount = builder.objectRef<{ Version: string | null; Computers: number; asOf: Date }>('AgentVersionCount').implement({
  description: 'Managed computers running one core agent version.',
  fields: (t) => ({
    version: t.exposeString('Version', { nullable: true, description: 'Product Version; null: no agent inventory yet.' }),
    count: t.exposeInt('Computers', { description: 'Managed computers whose core agent reports this version.' }),
    asOf: t.expose('asOf', {
      type: 'DateTime',
      description: "When the count was made: the background snapshot's time (the same for every version), or this request's with live: true.",
    }),
  }),
});

builder.queryFields((t) => ({
  agentVersions: t.field({
    type: [AgentVersionCount],
    description:
      'Managed computers per core agent version (Inv_AeX_AC_Client_Agent), most first. A snapshot: from the background refresh (asOf says when) unless live: true.',
    args: { live: t.arg.boolean({ defaultValue: false, description: 'Read the inventory now instead of the background snapshot.' }) },
    resolve: async (_root, args, ctx) => {
      const { rows, asOf } = await readAgentVersions(ctx, args.live ?? false);
      return rows.sort((a, b) => b.Computers - a.Computers || (a.Version ?? '').localeCompare(b.Version ?? '')).map((r) => ({ ...r, asOf }));
    },
  }),
}));
