// Per-request context: the shared Inventory plus DataLoaders that live for one request only, so
// batching never leaks rows between clients and a retry always sees fresh data.
import type { Inventory } from '../inventory/inventory.js';
import { createLoaders, type Loaders } from './loaders.js';

export interface GraphQLContext {
  inventory: Inventory;
  loaders: Loaders;
  /** One clock reading per request, so ages computed in different fields agree. */
  now: Date;
}

export function createContext(inventory: Inventory): GraphQLContext {
  return { inventory, loaders: createLoaders(inventory), now: new Date() };
}
