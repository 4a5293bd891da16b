// Computers (vComputer with CEM zone, current gateway and certificate auth) and the two ways to reach
// them: the paged, filtered `computers` list and a single `computer` by GUID or name.
import type { Params, Row } from '../../inventory/datasets.js';
import { builder } from '../builder.js';
import { connectionType, loadConnection, pagingArgs } from '../connection.js';
import { notFoundError, userInputError } from '../errors.js';
import type { GraphQLContext } from '../context.js';
import { closestNames, neighbourComputerNames } from '../../inventory/closest.js';
import { nameContainsPattern, textArg } from '../input.js';
import { isGuid } from '../../inventory/inventory.js';
import { stateMask, type Cutoffs } from '../../inventory/liveness.js';
import { AccessRequest } from './access-request.js';
import { verdictRestriction } from '../../diagnosis/run.js';
import { AuthType, Connectivity, OrderDirection, ReportingState, Transport, Verdict } from './enums.js';
import { GatewayAssignment } from './gateway-assignment.js';
import { reads, selectedColumns } from '../projection.js';
import { NetworkZone } from './network-zone.js';

type ComputerRow = Row<'computers'>;
/** The computers columns a field's resolver reads (a page selects only those: projection.ts). */
export const columns = (...c: (keyof ComputerRow)[]) => reads(...c);

const ComputerAuth = builder.objectRef<ComputerRow>('ComputerAuth').implement({
  description: 'The certificates the agent connects with.',
  fields: (t) => ({
    type: t.field({ type: AuthType, description: 'Permanent, ephemeral, both, or none recorded.', resolve: (c) => c.AuthType as typeof AuthType.$inferType }),
    validUntil: t.expose('AuthValidUntil', {
      type: 'DateTime',
      nullable: true,
      description: 'When the certificate stops being accepted; null: not recorded. A past date fails the CERTIFICATE_INVALID check.',
    }),
  }),
});

// Declared before it is implemented: the types refer to each other.
export const Computer = builder.objectRef<ComputerRow>('Computer');

Computer.implement({
  description: 'A computer in the CMDB (vComputer) with its CEM connection state.',
  fields: (t) => ({
    guid: t.exposeID('Guid', { description: 'The resource GUID in the CMDB (vComputer.Guid).', ...columns('Guid') }),
    name: t.exposeString('Name', { description: 'Computer name as the CMDB spells it.', ...columns('Name') }),
    domain: t.exposeString('Domain', { nullable: true, description: 'Windows domain or workgroup; null: not inventoried.', ...columns('Domain') }),
    ipAddress: t.exposeString('IPAddress', { nullable: true, description: 'Last reported IP address; null: not inventoried.', ...columns('IPAddress') }),
    isManaged: t.exposeBoolean('IsManaged', { description: 'An agent reports to the Notification Server; false: in the CMDB only (retired or not yet installed).', ...columns('IsManaged') }),
    connectivity: t.field({ type: Connectivity, description: 'On the Internet (through a gateway) or on the LAN.', ...columns('IsOnInternet'), resolve: (c) => (c.IsOnInternet ? 'internet' : 'lan') }),
    transport: t.field({
      type: Transport,
      nullable: true,
      description: 'Null when the agent has not reported a network zone.',
      ...columns('HTTPSMode'),
      resolve: (c) => (c.HTTPSMode === null ? null : c.HTTPSMode ? 'https' : 'http'),
    }),
    networkZone: t.field({
      type: NetworkZone,
      nullable: true,
      description: 'The CEM state the agent last reported; null: it never reported a network zone.',
      ...columns('HasNetworkZone', 'IsOnInternet', 'InternetModeSupported', 'AppliedPolicyCount', 'HTTPSMode', 'TLS'),
      resolve: (c) => (c.HasNetworkZone ? c : null),
    }),
    currentGateway: t.field({
      type: GatewayAssignment,
      nullable: true,
      description: 'The Internet Gateway the agent uses now; null: none (on the LAN, or no gateway reachable).',
      ...columns('CurrentGateway', 'CurrentGatewayPort', 'LastSuccess'),
      resolve: (c) =>
        c.CurrentGateway === null
          ? null
          : { Gateway: c.CurrentGateway, Port: c.CurrentGatewayPort ?? 0, Current: true, LastSuccess: c.LastSuccess },
    }),
    gatewayAssignments: t.field({
      type: [GatewayAssignment],
      description: 'Every gateway assigned to the computer, the current one first.',
      ...columns('Guid'),
      resolve: (c, _args, ctx) => ctx.loaders.assignmentsByComputer.load(c.Guid),
    }),
    auth: t.field({ type: ComputerAuth, description: 'The certificate the agent authenticates with.', ...columns('AuthType', 'AuthValidUntil'), resolve: (c) => c }),
    accessRequests: t.field({
      type: [AccessRequest],
      description: 'Access Troubleshooting entries for this agent name, newest first.',
      ...columns('Name'),
      resolve: (c, _args, ctx) => ctx.loaders.accessRequestsByAgent.load(c.Name),
    }),
  }),
});

const ComputerFilter = builder.inputType('ComputerFilter', {
  description: 'Which computers to list; every field left out matches all (managed defaults to true).',
  fields: (t) => ({
    connectivity: t.field({ type: Connectivity, description: 'On the Internet or on the LAN.' }),
    transport: t.field({ type: Transport, description: 'HTTP or HTTPS (computers without a reported zone never match).' }),
    auth: t.field({ type: AuthType, description: 'Certificate type the agent connects with.' }),
    gateway: t.string({ description: 'Current Internet Gateway host name.' }),
    nameContains: t.string({ description: 'Substring of the name (at most 256 characters); % _ [ and quotes match literally.' }),
    cemConfigured: t.boolean({ description: 'Configured for Cloud-enabled Management (InternetModeSupported).' }),
    policyApplied: t.boolean({ description: 'At least one CEM policy applied.' }),
    managed: t.boolean({ defaultValue: true, description: 'Managed computers only (default); false: unmanaged; null: all.' }),
    reporting: t.field({ type: [ReportingState], description: 'In any of these reporting states ([] matches none).' }),
    notReportingSince: t.field({ type: 'DateTime', description: 'No inventory at or after this instant (never reported included).' }),
    verdict: t.field({ type: Verdict, description: 'Agents whose troubleshooting verdict (Computer.diagnosis) is this.' }),
  }),
});

const ComputerOrderField = builder.enumType('ComputerOrderField', {
  description: 'What to sort computers by.',
  values: {
    NAME: { value: 'NAME', description: 'By name (case-insensitive), then GUID.' },
    GUID: { value: 'GUID', description: 'By GUID: stable however names change.' },
  } as const,
});

const ComputerOrder = builder.inputType('ComputerOrder', {
  description: 'Sort order of the computers list.',
  fields: (t) => ({
    field: t.field({ type: ComputerOrderField, defaultValue: 'NAME', description: 'Sort key (default NAME).' }),
    direction: t.field({ type: OrderDirection, defaultValue: 'ASC', description: 'Ascending (default) or descending.' }),
  }),
});

export const ComputerConnection = connectionType('Computer', Computer);

type Filter = typeof ComputerFilter.$inferInput;

function computerParams(f: Filter | null | undefined, cutoffs: Cutoffs): Params<'computers'> {
  const flag = (v: string | null | undefined, yes: string) => (v == null ? null : v === yes);
  return {
    // Without a filter object the input's default (managed: true) does not apply, so restate it.
    managed: f ? (f.managed ?? null) : true,
    isOnInternet: flag(f?.connectivity, 'internet'),
    httpsMode: flag(f?.transport, 'https'),
    auth: f?.auth ?? null,
    gateway: textArg('filter.gateway', f?.gateway),
    namePattern: nameContainsPattern(f?.nameContains),
    cemConfigured: f?.cemConfigured ?? null,
    policyApplied: f?.policyApplied ?? null,
    ...cutoffs,
    reportingStates: stateMask(f?.reporting),
    notReportingSince: f?.notReportingSince ?? null,
  };
}

async function computerByName(name: string, ctx: GraphQLContext): Promise<ComputerRow> {
  const all = await ctx.loaders.computersByName.load(name);
  if (!all.length) {
    const near = await neighbourComputerNames(ctx.inventory, name, computerParams({ managed: null }, ctx.cutoffs));
    throw notFoundError('computer', name, closestNames(name, near));
  }
  const managed = all.filter((c) => c.IsManaged);
  const pick = all.length <= 1 ? all : managed.length === 1 ? managed : all;
  if (pick.length > 1) {
    const guids = pick.slice(0, 5).map((c) => c.Guid).join(', ');
    throw userInputError(`${pick.length} computers are named ${JSON.stringify(name)}; ask by guid (${guids}${pick.length > 5 ? ', ...' : ''})`);
  }
  return pick[0]!;
}

builder.queryFields((t) => ({
  computers: t.field({
    type: ComputerConnection,
    description: 'Computers page by page (keyset: stable while rows are added), by name unless ordered otherwise.',
    args: {
      filter: t.arg({ type: ComputerFilter, description: 'Which computers; managed ones only unless filter.managed says otherwise.' }),
      orderBy: t.arg({ type: ComputerOrder, description: 'Sort order (default by name, ascending).' }),
      ...pagingArgs(t.arg),
    },
    resolve: (_root, args, ctx, info) =>
      loadConnection(
        ctx.inventory,
        {
          list: 'computers',
          dataset: 'computers',
          params: computerParams(args.filter, ctx.cutoffs),
          order: args.orderBy?.field ?? 'NAME',
          direction: args.orderBy?.direction ?? 'ASC',
          restrict: args.filter?.verdict ? verdictRestriction(args.filter.verdict, { now: ctx.now, cutoffs: ctx.cutoffs }) : undefined,
          columns: selectedColumns(info, 'Computer'),
        },
        args,
      ),
  }),
  computer: t.field({
    type: Computer,
    nullable: true,
    description:
      'One computer, managed or not, read now, by exactly one of guid or name. A name matches in any case, as on SQL Server; ' +
      'an unknown name is a NOT_FOUND error listing the closest names (extensions.closest); an unknown guid is null.',
    args: {
      guid: t.arg.id({ description: 'Resource GUID, e.g. 6F9619FF-8B86-D011-B42D-00C04FC964FF (any case).' }),
      name: t.arg.string({ description: 'Computer name, in any case. Shared by several computers: an error listing their GUIDs.' }),
    },
    resolve: (_root, { guid, name }, ctx) => {
      if ((guid == null) === (name == null)) throw userInputError('computer takes exactly one of guid or name');
      if (guid != null) {
        if (!isGuid(guid)) throw userInputError(`guid must look like 6F9619FF-8B86-D011-B42D-00C04FC964FF, got ${JSON.stringify(guid)}`);
        return ctx.loaders.computerByGuid.load(guid);
      }
      return computerByName(textArg('name', name!), ctx);
    },
  }),
}));
