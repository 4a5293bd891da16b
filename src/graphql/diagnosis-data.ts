// The fleet's verdict counts GraphQL serves, read in one place: from the exporter's background snapshot
// when it is fresh (its diagnosis_facts collector runs the same generated GROUP BYs), otherwise those
// statements (one per GUID slice) at the request's clock. At a large fleet they are the dearest read
// there is: pollers must not each pay for it.
import { fleetVerdicts, type VerdictCount } from '../diagnosis/run.js';
import { snapshotOnly, type GraphQLContext, type Served } from './context.js';

export async function readFleetVerdicts(ctx: GraphQLContext, live = false): Promise<Served<VerdictCount>> {
  // The diagnosis_facts collector keeps the verdict counts, not the dataset's rows (its `read`).
  const fresh = snapshotOnly(ctx, 'diagnosis_facts', live) as Served<unknown> | undefined;
  if (fresh) return { rows: fresh.rows as VerdictCount[], asOf: fresh.asOf };
  return { rows: await fleetVerdicts(ctx.inventory, { now: ctx.now, cutoffs: ctx.cutoffs }), asOf: ctx.now };
}
