// Per-request context: the shared Inventory plus DataLoaders that live for one request only, so
// batching never leaks rows between clients and a retry always sees fresh data.
import type { Inventory } from '../inventory/inventory.js';
import { DEFAULT_LIVENESS, livenessCutoffs, type Cutoffs, type LivenessThresholds } from '../inventory/liveness.js';
import { createLoaders, type Loaders } from './loaders.js';

export interface GraphQLContext {
  inventory: Inventory;
  loaders: Loaders;
  /** One clock reading per request, so ages computed in different fields agree. */
  now: Date;
  /** The liveness cutoffs from `now`: every field of a response classifies agents alike. */
  cutoffs: Cutoffs;
}

export function createContext(inventory: Inventory, liveness: LivenessThresholds = DEFAULT_LIVENESS): GraphQLContext {
  const now = new Date();
  const cutoffs = livenessCutoffs(now, liveness);
  return { inventory, loaders: createLoaders(inventory, cutoffs, now), now, cutoffs };
}
