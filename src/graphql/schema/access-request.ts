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
    id: t.exposeID('Id', { description: 'The entry\'s id in the Access Troubleshooting list.' }),
    agentName: t.exposeString('AgentName', { description: 'The computer name the agent presented.' }),
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
      description: 'The reporting gateway itself; null when it is no longer in the gateways list.',
      resolve: (r, _args, ctx) => ctx.loaders.gatewayByName.load(r.ReportedBy),
    }),
    createdAt: t.expose('CreatedAt', { type: 'DateTime', description: 'When the gateway reported the denial.' }),
    status: t.field({
      type: AccessStatus,
      description: 'Awaiting a decision, or the decision taken on the Access Troubleshooting page.',
      resolve: (r) => r.Status as typeof AccessStatus.$inferType,
    }),
    reason: t.field({
      type: DenialReason,
      description: 'The reason the gateway recorded when it denied the agent (as it stood then, not necessarily now).',
      resolve: (r) => r.Reason as typeof DenialReason.$inferType,
    }),
  }),
});

const AccessRequestFilter = builder.inputType('AccessRequestFilter', {
  description: 'Which Access Troubleshooting entries to list; every field left out matches all.',
  fields: (t) => ({
    status: t.field({ type: AccessStatus, description: 'Only entries in this state (PENDING: awaiting approval).' }),
    gateway: t.string({ description: 'Host name of the reporting gateway.' }),
    since: t.field({ type: 'DateTime', description: 'Reported at or after this instant.' }),
  }),
});

export const AccessRequestConnection = connectionType('AccessRequest', AccessRequest);

builder.queryFields((t) => ({
  blockedAgents: t.field({
    type: AccessRequestConnection,
    description: 'The Access Troubleshooting list, newest first. Empty for gateways not in Troubleshooting mode.',
    args: { filter: t.arg({ type: AccessRequestFilter, description: 'Status, reporting gateway, since when.' }), ...pagingArgs(t.arg) },
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
