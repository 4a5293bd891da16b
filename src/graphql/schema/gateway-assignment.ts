// An Internet Gateway assigned to a computer (Inv_AeX_AC_InternetGatewayDetails). Both the
// computers row (its current gateway) and the gateway_assignments dataset produce this shape.
import type { Row } from '../../inventory/datasets.js';
import { builder } from '../builder.js';
import { Gateway } from './gateway.js';

export type AssignmentShape = Pick<Row<'gateway_assignments'>, 'Gateway' | 'Port' | 'Current' | 'LastSuccess'>;

export const GatewayAssignment = builder.objectRef<AssignmentShape>('GatewayAssignment').implement({
  description: "An Internet Gateway in the agent's list (Inv_AeX_AC_InternetGatewayDetails), current or not.",
  fields: (t) => ({
    gateway: t.exposeString('Gateway', { description: 'Gateway host name as the agent knows it.' }),
    port: t.exposeInt('Port', { description: 'The port the agent connects to it on.' }),
    current: t.exposeBoolean('Current', { description: 'The gateway the agent uses now.' }),
    lastSuccess: t.expose('LastSuccess', {
      type: 'DateTime',
      nullable: true,
      description: 'When the agent last got through this gateway ([Last Success]); null: never. An old one while on the Internet means it cannot connect.',
    }),
    details: t.field({
      type: Gateway,
      nullable: true,
      description: 'The gateway itself; null when it is not in the gateways list.',
      resolve: (a, _args, ctx) => ctx.loaders.gatewayByName.load(a.Gateway),
    }),
  }),
});
