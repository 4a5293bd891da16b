// The Cloud-enabled Management reports of seed 001 as numbers: "Agents Distribution by Connection
// Type", "... by Authentication Type" and "Computers by gateway". Every count is a SQL aggregate;
// each sub-list runs its own statement only when selected.
import type { Row } from '../../inventory/datasets.js';
import { builder } from '../builder.js';
import { AuthType } from './enums.js';
import { countsFor } from './gateway.js';

const AUTH_TYPES: readonly (typeof AuthType.$inferType)[] = ['permanent', 'ephemeral', 'both', 'none'];

const AuthCount = builder.objectRef<{ value: typeof AuthType.$inferType; count: number }>('AuthCount').implement({
  fields: (t) => ({ auth: t.expose('value', { type: AuthType }), count: t.exposeInt('count') }),
});

const GatewayCount = builder.objectRef<Row<'computers_by_gateway'>>('GatewayCount').implement({
  fields: (t) => ({ gateway: t.exposeString('Gateway'), count: t.exposeInt('Computers') }),
});

export const CemSummary = builder.objectRef<Row<'cem_summary'>>('CemSummary').implement({
  description: 'Managed computers by connection state, CEM provisioning and transport.',
  fields: (t) => ({
    total: t.exposeInt('Total', { description: 'Managed computers.' }),
    internet: t.exposeInt('Internet', { description: 'Connected through an Internet Gateway now.' }),
    lan: t.exposeInt('Lan', { description: 'On the internal network (or no zone reported).' }),
    cemConfigured: t.exposeInt('CemConfigured', { description: 'Configured for CEM (InternetModeSupported).' }),
    policyApplied: t.exposeInt('PolicyApplied', { description: 'At least one CEM policy applied.' }),
    http: t.exposeInt('Http'),
    https: t.exposeInt('Https'),
    byAuth: t.field({
      type: [AuthCount],
      description: 'Managed computers per certificate auth type; every type, 0 when none.',
      resolve: async (_s, _args, ctx) =>
        countsFor(AUTH_TYPES, (await ctx.inventory.all('computers_by_auth')).map((r) => ({ key: r.AuthType, count: r.Computers }))),
    }),
    byGateway: t.field({
      type: [GatewayCount],
      description: 'Managed computers per current Internet Gateway, most first.',
      resolve: async (_s, _args, ctx) =>
        (await ctx.inventory.all('computers_by_gateway')).sort((a, b) => b.Computers - a.Computers || a.Gateway.localeCompare(b.Gateway)),
    }),
  }),
});

builder.queryFields((t) => ({
  cemSummary: t.field({
    type: CemSummary,
    resolve: async (_root, _args, ctx) => {
      const [row] = await ctx.inventory.all('cem_summary');
      // COUNT(*) without GROUP BY always yields one row; its absence means a broken dataset query.
      if (!row) throw new Error('cem_summary returned no row');
      return row;
    },
  }),
}));
