// Per-request context: the shared Inventory plus DataLoaders that live for one request only, so
// batching never leaks rows between clients and a retry always sees fresh data; and the server's
// background snapshots, which aggregate fields serve from so that pollers cost the CMDB nothing.
import type { DatasetName, Params, Row } from '../inventory/datasets.js';
import type { Inventory } from '../inventory/inventory.js';
import type { Snapshots } from '../metrics/snapshots.js';
import { DEFAULT_LIVENESS, livenessCutoffs, type Cutoffs, type LivenessThresholds } from '../inventory/liveness.js';
import { createLoaders, type Loaders } from './loaders.js';

export interface GraphQLContext {
  inventory: Inventory;
  loaders: Loaders;
  /** The exporter's background reads (none: every field reads live). */
  snapshots?: Snapshots;
  /** One clock reading per request, so ages computed in different fields agree. */
  now: Date;
  /** The liveness cutoffs from `now`: every field of a response classifies agents alike. */
  cutoffs: Cutoffs;
}

export function createContext(inventory: Inventory, snapshots?: Snapshots, liveness: LivenessThresholds = DEFAULT_LIVENESS): GraphQLContext {
  // Whole seconds: concurrent requests then bind the same cutoffs, so identical aggregates waiting in
  // the heavy lane run once for all of them.
  const now = new Date(Math.floor(Date.now() / 1000) * 1000);
  const cutoffs = livenessCutoffs(now, liveness);
  return { inventory, loaders: createLoaders(inventory, cutoffs, now), snapshots, now, cutoffs };
}

export interface Served<R> {
  rows: R[];
  /** When the rows were read: the snapshot's time, or this request's when read live. */
  asOf: Date;
}

/**
 * A dataset's rows (all of them, no parameters): from the background snapshot when it holds a fresh
 * successful read and the caller did not ask for `live`; otherwise one live statement with `params`
 * (the snapshot's reads bind the same ones, e.g. the server's liveness cutoffs). The rows are copies,
 * so a resolver may sort them.
 */
export async function fromSnapshot<N extends DatasetName>(
  ctx: GraphQLContext,
  dataset: N,
  live = false,
  params?: Params<N>,
): Promise<Served<Row<N>>> {
  return snapshotOnly(ctx, dataset, live) ?? { rows: await ctx.inventory.all(dataset, params), asOf: ctx.now };
}

/** The snapshot part of fromSnapshot alone: the fresh rows, or undefined (never a statement). */
export function snapshotOnly<N extends DatasetName>(ctx: GraphQLContext, dataset: N, live = false): Served<Row<N>> | undefined {
  const fresh = live ? undefined : ctx.snapshots?.read(dataset);
  return fresh && { rows: [...(fresh.rows as Row<N>[])], asOf: fresh.asOf };
}

/** The oldest of the given times: what an object assembled from several reads is as fresh as. */
export const oldest = (...times: (Date | undefined)[]): Date =>
  new Date(Math.min(...times.filter((t): t is Date => t !== undefined).map((t) => t.getTime())));
