// The "Cloud-enabled Agents Access Troubleshooting" list (Broadcom ITMS CEM article): agents a gateway in
// Troubleshooting mode denied and reported, awaiting approval or already approved / blocked.
import type { Row } from '../../inventory/datasets.js';
import { builder } from '../builder.js';
import { connectionType, loadConnection, pagingArgs } from '../connection.js';
import { textArg } from '../input.js';
import { Computer } from './computer.js';
import { AccessStatus, DenialReason } from './enums.js';
import { Gateway } from './gateway.js';

type AccessRow = Row<'access_requests'>;

// Declared before it is implemented: the types refer to each other.
export const AccessRequest = builder.objectRef<AccessRow>('AccessRequest');

AccessRequest.implement({
  description: 'An agent a gateway denied and reported for an administrator to approve or block.',
  fields: (t) => ({
    id: t.exposeID('Id'),
    agentName: t.exposeString('AgentName'),
    computer: t.field({
      type: Computer,
      nullable: true,
      description: 'The registered computer; null when its registration was lost (e.g. a CMDB rollback).',
      resolve: (r, _args, ctx) => (r.ResourceGuid === null ? null : ctx.loaders.computerByGuid.load(r.ResourceGuid)),
    }),
    reportedBy: t.exposeString('ReportedBy', { description: 'Host name of the gateway that reported it.' }),
    gateway: t.field({
      type: Gateway,
      nullable: true,
      resolve: (r, _args, ctx) => ctx.loaders.gatewayByName.load(r.ReportedBy),
    }),
    createdAt: t.expose('CreatedAt', { type: 'DateTime' }),
    status: t.field({ type: AccessStatus, resolve: (r) => r.Status as typeof AccessStatus.$inferType }),
    reason: t.field({ type: DenialReason, resolve: (r) => r.Reason as typeof DenialReason.$inferType }),
  }),
});

const AccessRequestFilter = builder.inputType('AccessRequestFilter', {
  fields: (t) => ({
    status: t.field({ type: AccessStatus }),
    gateway: t.string({ description: 'Host name of the reporting gateway.' }),
    since: t.field({ type: 'DateTime', description: 'Reported at or after this instant.' }),
  }),
});

export const AccessRequestConnection = connectionType('AccessRequest', AccessRequest);

builder.queryFields((t) => ({
  blockedAgents: t.field({
    type: AccessRequestConnection,
    description: 'The Access Troubleshooting list, newest first. Empty for gateways not in Troubleshooting mode.',
    args: { filter: t.arg({ type: AccessRequestFilter }), ...pagingArgs(t.arg) },
    resolve: (_root, args, ctx) =>
      loadConnection(
        ctx.inventory,
        {
          list: 'blockedAgents',
          dataset: 'access_requests',
          params: { status: args.filter?.status ?? null, gateway: textArg('filter.gateway', args.filter?.gateway), since: args.filter?.since ?? null },
          order: 'NEWEST',
          direction: 'DESC',
        },
        args,
      ),
  }),
}));
