// Internet Gateways / Cloud Services Appliances with the views an admin troubleshoots them by
// (Ivanti CSA and Broadcom ITMS CEM troubleshooting articles): connection table, broker connections per core, assigned computers, denials.
// Every nested field is one batched statement for all gateways in the response — or none: `gateways`
// serves the list and its nested counts from the background snapshot when fresh (asOf), unless live.
import type { Row } from '../../inventory/datasets.js';
import { builder } from '../builder.js';
import { oldest, snapshotOnly, type GraphQLContext } from '../context.js';
import { notFoundError, userInputError } from '../errors.js';
import { textArg } from '../input.js';
import { closestNames, shortHostName } from '../../inventory/closest.js';
import { DenialReason, GatewayConnectionLevel } from './enums.js';
import { THRESHOLDS } from '../../metrics/names.js';

/** A core holding fewer broker service connections than this to a gateway is unhealthy (Ivanti CSA troubleshooting article). */
export const MIN_BROKER_CONNECTIONS = THRESHOLDS.minBrokerConnectionsPerCore;

/** A gateway row; `asOf` is set when it (and its nested counts) came from the background snapshot. */
type GatewayRow = Row<'gateways'> & { asOf?: Date };
type Level = typeof GatewayConnectionLevel.$inferType;
type Reason = typeof DenialReason.$inferType;

const LEVELS: readonly Level[] = ['broker', 'client', 'admin', 'console', 'unprivileged'];
const REASONS: readonly Reason[] = ['registration_not_found', 'time_skew', 'version_mismatch', 'gateway_not_registered', 'blocked'];

/** One entry per known value in enum order, 0 when the dataset has no row for it. */
export function countsFor<V extends string>(values: readonly V[], rows: readonly { key: string; count: number }[]) {
  return values.map((value) => ({ value, count: rows.find((r) => r.key === value)?.count ?? 0 }));
}

const GatewayConnection = builder.objectRef<{ value: Level; count: number }>('GatewayConnection').implement({
  description: 'Open connections at one level of the gateway\'s connection table.',
  fields: (t) => ({
    level: t.expose('value', { type: GatewayConnectionLevel, description: 'Who holds the connections.' }),
    count: t.exposeInt('count', { description: 'Connections open now at this level.' }),
  }),
});

const BrokerConnection = builder.objectRef<Row<'broker_connections'>>('BrokerConnection').implement({
  description: 'Broker service connections a core server holds open to the gateway.',
  fields: (t) => ({
    core: t.exposeString('Core', { description: 'The core server, by the name the gateway lists it under.' }),
    count: t.exposeInt('Connections', { description: 'Broker service connections this core holds open now.' }),
    healthy: t.boolean({
      description: `At least ${MIN_BROKER_CONNECTIONS} connections from this core.`,
      resolve: (b) => b.Connections >= MIN_BROKER_CONNECTIONS,
    }),
  }),
});

const DenialCount = builder.objectRef<{ value: Reason; count: number }>('DenialCount').implement({
  description: 'Denied agent connections for one reason.',
  fields: (t) => ({
    reason: t.expose('value', { type: DenialReason, description: 'Why the gateway denied them.' }),
    count: t.exposeInt('count', { description: 'Denied connections for this reason.' }),
  }),
});

const DenialSummary = builder.objectRef<Row<'denials'>[]>('DenialSummary').implement({
  description: 'Denied agent connections at one gateway.',
  fields: (t) => ({
    total: t.int({ description: 'Denied connections, all reasons.', resolve: (rows) => rows.reduce((sum, r) => sum + r.Denials, 0) }),
    byReason: t.field({
      type: [DenialCount],
      description: 'Every reason, 0 when none.',
      resolve: (rows) => countsFor(REASONS, rows.map((r) => ({ key: r.Reason, count: r.Denials }))),
    }),
  }),
});

/** A nested dataset's rows for this gateway from the snapshot, when the gateway itself came from it. */
function snapshotFor<N extends 'gateway_connections' | 'broker_connections' | 'computers_by_gateway' | 'denials'>(
  g: GatewayRow,
  ctx: GraphQLContext,
  dataset: N,
): Row<N>[] | undefined {
  const rows = g.asOf && snapshotOnly(ctx, dataset)?.rows;
  return rows?.filter((r) => r.Gateway.toUpperCase() === g.Name.toUpperCase());
}

/** The gateway an operator meant: the full name, else an unambiguous short name; else an error naming the closest. */
async function gatewayNamed(ctx: GraphQLContext, name: string): Promise<GatewayRow> {
  const exact = await ctx.loaders.gatewayByName.load(name);
  if (exact) return exact;
  // A handful of rows: reading them all on a miss is cheaper than any cleverer look-up.
  const all = await ctx.inventory.all('gateways');
  const short = all.filter((g) => shortHostName(g.Name).toUpperCase() === name.toUpperCase());
  if (short.length === 1) return short[0]!;
  if (short.length > 1) {
    const names = short.map((g) => g.Name).sort();
    throw userInputError(`${short.length} gateways have the short name ${JSON.stringify(name)} (${names.join(', ')}); give the full name`);
  }
  throw notFoundError('gateway', name, closestNames(name, all.map((g) => g.Name)));
}

// Declared before it is implemented: the types refer to each other.
export const Gateway = builder.objectRef<GatewayRow>('Gateway');

Gateway.implement({
  description: 'An Internet Gateway (ITMS) or Cloud Services Appliance (Ivanti).',
  fields: (t) => ({
    name: t.exposeString('Name', { description: 'Full host name, e.g. igw-fra-01.corp.example.' }),
    port: t.exposeInt('Port', { description: 'The port agents connect to.' }),
    version: t.exposeString('Version', { description: 'Gateway software version; ephemeral certificates need 8.8.1 or later.' }),
    online: t.exposeBoolean('Online', { description: 'The gateway service answers; false: its agents cannot connect (GATEWAY_OFFLINE).' }),
    registered: t.exposeBoolean('Registered', {
      description: 'Registered with the Notification Server; when false it rejects every ephemeral certificate.',
    }),
    troubleshootingMode: t.exposeBoolean('TroubleshootingMode', {
      description: 'Reports denied agents; when false the Access Troubleshooting list stays empty for it.',
    }),
    ephemeralAuthEnabled: t.exposeBoolean('EphemeralAuthEnabled', {
      description: '"Allow ephemeral certificates authentication" is checked in Internet Gateway Manager; false: agents with ephemeral certificates only are turned away.',
    }),
    asOf: t.field({
      type: 'DateTime',
      description: 'When the oldest of these values was read: the background snapshot\'s time, or this request\'s when read live.',
      resolve: (g, _args, ctx) => g.asOf ?? ctx.now,
    }),
    authFailures: t.exposeFloat('AuthFailures', { description: 'Failed agent authentications since the gateway started counting (Float: may exceed 2^31).' }),
    connections: t.field({
      type: [GatewayConnection],
      description: 'Current connections per level (CSA "Gateway service status"), 0 when none.',
      resolve: async (g, _args, ctx) => {
        const rows = snapshotFor(g, ctx, 'gateway_connections') ?? (await ctx.loaders.connectionsByGateway.load(g.Name));
        return countsFor(LEVELS, rows.map((r) => ({ key: r.Level, count: r.Connections })));
      },
    }),
    brokerConnections: t.field({
      type: [BrokerConnection],
      description: `Broker service connections per core server (the Cloud Services Appliance's core-facing half); healthy with at least ${MIN_BROKER_CONNECTIONS} per core.`,
      resolve: (g, _args, ctx) => snapshotFor(g, ctx, 'broker_connections') ?? ctx.loaders.brokerConnectionsByGateway.load(g.Name),
    }),
    brokerHealthy: t.boolean({
      description: `Some core is connected and every core holds at least ${MIN_BROKER_CONNECTIONS} broker connections.`,
      resolve: async (g, _args, ctx) => {
        const cores = snapshotFor(g, ctx, 'broker_connections') ?? (await ctx.loaders.brokerConnectionsByGateway.load(g.Name));
        return cores.length > 0 && cores.every((c) => c.Connections >= MIN_BROKER_CONNECTIONS);
      },
    }),
    assignedComputers: t.int({
      description: 'Managed computers whose current gateway this is.',
      resolve: async (g, _args, ctx) =>
        (snapshotFor(g, ctx, 'computers_by_gateway') ?? (await ctx.loaders.assignedComputersByGateway.load(g.Name)))[0]?.Computers ?? 0,
    }),
    denials: t.field({
      type: DenialSummary,
      description: 'Agent connections the gateway denied, by reason.',
      args: { since: t.arg({ type: 'DateTime', description: 'Only denials at or after this instant (default: all recorded).' }) },
      resolve: async (g, { since }, ctx) =>
        (!since && snapshotFor(g, ctx, 'denials')) ||
        ((await ctx.loaders.denialsSince.load(since?.toISOString() ?? '')).get(g.Name.toUpperCase()) ?? []),
    }),
  }),
});

builder.queryFields((t) => ({
  gateways: t.field({
    type: [Gateway],
    description: 'Every gateway, by name.',
    args: { live: t.arg.boolean({ defaultValue: false, description: 'Read the inventory now instead of the background snapshot.' }) },
    resolve: async (_root, args, ctx) => {
      const snap = snapshotOnly(ctx, 'gateways', args.live ?? false);
      if (!snap) return ctx.inventory.all('gateways', {}, { order: 'NAME', direction: 'ASC' });
      const nested = (['gateway_connections', 'broker_connections', 'computers_by_gateway', 'denials'] as const).map((d) => snapshotOnly(ctx, d)?.asOf);
      const asOf = oldest(snap.asOf, ...nested);
      // The order the live statement gives: names compare case-insensitively (tables.ts).
      const key = (g: Row<'gateways'>) => g.Name.toUpperCase();
      return snap.rows.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0)).map((g) => ({ ...g, asOf }));
    },
  }),
  gateway: t.field({
    type: Gateway,
    nullable: true,
    description:
      'One gateway, read now. By full host name or, when no other gateway shares it, the short name before the first dot (igw-fra-01); ' +
      'case does not matter. An unknown name is a NOT_FOUND error listing the closest names (extensions.closest).',
    args: { name: t.arg.string({ required: true, description: 'Host name, full or short, in any case.' }) },
    resolve: (_root, { name }, ctx) => gatewayNamed(ctx, textArg('name', name)),
  }),
}));
