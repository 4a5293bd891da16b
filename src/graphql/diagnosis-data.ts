// The fleet's verdict counts GraphQL serves, read in one place: today one GROUP BY statement from the
// Inventory at the request's clock; a cached metrics snapshot can take over here without touching the schema.
import { fleetVerdicts, type VerdictCount } from '../diagnosis/run.js';
import type { GraphQLContext } from './context.js';

export function readFleetVerdicts(ctx: GraphQLContext): Promise<VerdictCount[]> {
  return fleetVerdicts(ctx.inventory, { now: ctx.now, cutoffs: ctx.cutoffs });
}
