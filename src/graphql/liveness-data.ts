// The liveness aggregates GraphQL serves, read in one place: today straight from the Inventory (one
// statement each, cutoffs from the request's clock); the background metrics snapshot can take over
// here without touching the schema.
import type { Row } from '../inventory/datasets.js';
import type { GraphQLContext } from './context.js';

export function readByReporting(ctx: GraphQLContext): Promise<Row<'computers_by_reporting'>[]> {
  return ctx.inventory.all('computers_by_reporting', ctx.cutoffs);
}

export function readAgentVersions(ctx: GraphQLContext): Promise<Row<'agent_versions'>[]> {
  return ctx.inventory.all('agent_versions');
}
