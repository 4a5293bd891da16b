// The liveness aggregates GraphQL serves, read in one place: from the exporter's background snapshot
// when it is fresh (the refresher binds the server's liveness cutoffs, as a live read here does with
// the request's), otherwise one statement each.
import type { Row } from '../inventory/datasets.js';
import { fromSnapshot, type GraphQLContext, type Served } from './context.js';

export function readByReporting(ctx: GraphQLContext, live = false): Promise<Served<Row<'computers_by_reporting'>>> {
  return fromSnapshot(ctx, 'computers_by_reporting', live, ctx.cutoffs);
}

export function readAgentVersions(ctx: GraphQLContext, live = false): Promise<Served<Row<'agent_versions'>>> {
  return fromSnapshot(ctx, 'agent_versions', live);
}
