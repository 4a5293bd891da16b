// Agent versions across the fleet: ephemeral certificates need the agent at 8.8.1 or later (Broadcom ITMS CEM article),
// so "how many agents are older" is the first question before switching a gateway to ephemeral only.
import { builder } from '../builder.js';
import { readAgentVersions } from '../liveness-data.js';

const AgentVersionCount = builder.objectRef<{ Version: string | null; Computers: number }>('AgentVersionCount').implement({
  description: 'Managed computers running one core agent version.',
  fields: (t) => ({
    version: t.exposeString('Version', { nullable: true, description: 'Product Version; null: no agent inventory yet.' }),
    count: t.exposeInt('Computers'),
  }),
});

builder.queryFields((t) => ({
  agentVersions: t.field({
    type: [AgentVersionCount],
    description:
      'Managed computers per core agent version (Inv_AeX_AC_Client_Agent), most first: from the background snapshot (at most one metrics refresh old) unless `live`.',
    args: { live: t.arg.boolean({ defaultValue: false, description: 'Read the inventory now instead of the background snapshot.' }) },
    resolve: async (_root, args, ctx) =>
      (await readAgentVersions(ctx, args.live ?? false)).rows.sort((a, b) => b.Computers - a.Computers || (a.Version ?? '').localeCompare(b.Version ?? '')),
  }),
}));
