// The Cloud-enabled Management reports of the Broadcom ITMS CEM article as numbers: "Agents Distribution by Connection
// Type", "... by Authentication Type" and "Computers by gateway". Every count is a SQL aggregate,
// served from the exporter's background snapshot when it is fresh (asOf says how fresh), so NOC
// scripts polling it cost the CMDB nothing; `live: true` reads it now, each sub-list with its own
// statement only when selected.
import type { Row } from '../../inventory/datasets.js';
import { builder } from '../builder.js';
import { fromSnapshot, oldest, snapshotOnly, type Served } from '../context.js';
import { AuthType } from './enums.js';
import { countsFor } from './gateway.js';

const AUTH_TYPES: readonly (typeof AuthType.$inferType)[] = ['permanent', 'ephemeral', 'both', 'none'];

interface Summary extends Row<'cem_summary'> {
  asOf: Date;
  live: boolean;
  /** The snapshot parts the sub-lists serve from, taken with the totals so asOf covers them. */
  byState?: Served<Row<'computers_by_state'>>;
  byGateway?: Served<Row<'computers_by_gateway'>>;
}

const AuthCount = builder.objectRef<{ value: typeof AuthType.$inferType; count: number }>('AuthCount').implement({
  description: 'Managed computers using one certificate type.',
  fields: (t) => ({
    auth: t.expose('value', { type: AuthType, description: 'The certificate type.' }),
    count: t.exposeInt('count', { description: 'Managed computers using it.' }),
  }),
});

const GatewayCount = builder.objectRef<Row<'computers_by_gateway'>>('GatewayCount').implement({
  description: 'Managed computers whose current Internet Gateway is one gateway.',
  fields: (t) => ({
    gateway: t.exposeString('Gateway', { description: 'Gateway host name as the agents report it.' }),
    count: t.exposeInt('Computers', { description: 'Managed computers connected through it.' }),
  }),
});

/** Computers per auth type: the by-state snapshot summed over connectivity and transport, or one live GROUP BY. */
async function byAuth(s: Summary, ctx: Parameters<typeof fromSnapshot>[0]): Promise<{ key: string; count: number }[]> {
  if (s.byState) {
    const sums = new Map<string, number>();
    for (const r of s.byState.rows) sums.set(r.AuthType, (sums.get(r.AuthType) ?? 0) + r.Computers);
    return [...sums].map(([key, count]) => ({ key, count }));
  }
  return (await ctx.inventory.all('computers_by_auth')).map((r) => ({ key: r.AuthType, count: r.Computers }));
}

export const CemSummary = builder.objectRef<Summary>('CemSummary').implement({
  description: 'Managed computers by connection state, CEM provisioning and transport.',
  fields: (t) => ({
    total: t.exposeInt('Total', { description: 'Managed computers.' }),
    internet: t.exposeInt('Internet', { description: 'Connected through an Internet Gateway now.' }),
    lan: t.exposeInt('Lan', { description: 'On the internal network (or no zone reported).' }),
    cemConfigured: t.exposeInt('CemConfigured', { description: 'Configured for CEM (InternetModeSupported).' }),
    policyApplied: t.exposeInt('PolicyApplied', { description: 'At least one CEM policy applied.' }),
    http: t.exposeInt('Http', { description: 'Managed computers whose agent uses plain HTTP.' }),
    https: t.exposeInt('Https', { description: 'Managed computers whose agent uses HTTPS.' }),
    asOf: t.field({
      type: 'DateTime',
      description: 'When the oldest of these numbers was read: the background snapshot\'s time, or now with live: true.',
      resolve: (s) => s.asOf,
    }),
    byAuth: t.field({
      type: [AuthCount],
      description: 'Managed computers per certificate auth type; every type, 0 when none.',
      resolve: async (s, _args, ctx) => countsFor(AUTH_TYPES, await byAuth(s, ctx)),
    }),
    byGateway: t.field({
      type: [GatewayCount],
      description: 'Managed computers per current Internet Gateway, most first.',
      resolve: async (s, _args, ctx) =>
        (s.byGateway ?? (await fromSnapshot(ctx, 'computers_by_gateway', true))).rows.sort(
          (a, b) => b.Computers - a.Computers || a.Gateway.localeCompare(b.Gateway),
        ),
    }),
  }),
});

builder.queryFields((t) => ({
  cemSummary: t.field({
    type: CemSummary,
    description:
      'The CEM reports as numbers (Internet vs LAN, CEM configured and applied, HTTP vs HTTPS, by certificate, by gateway, by reporting state). ' +
      'A snapshot: served from the background refresh (asOf says when) unless live: true.',
    args: { live: t.arg.boolean({ defaultValue: false, description: 'Read the inventory now instead of the background snapshot.' }) },
    resolve: async (_root, args, ctx) => {
      const live = args.live ?? false;
      const { rows, asOf } = await fromSnapshot(ctx, 'cem_summary', live);
      // COUNT(*) without GROUP BY always yields one row; its absence means a broken dataset query.
      if (!rows[0]) throw new Error('cem_summary returned no row');
      const byState = snapshotOnly(ctx, 'computers_by_state', live);
      const byGateway = snapshotOnly(ctx, 'computers_by_gateway', live);
      // byReporting serves from its own snapshot when fresh: asOf covers it too.
      const byReporting = snapshotOnly(ctx, 'computers_by_reporting', live);
      return { ...rows[0], live, byState, byGateway, asOf: oldest(asOf, byState?.asOf, byGateway?.asOf, byReporting?.asOf) };
    },
  }),
}));
