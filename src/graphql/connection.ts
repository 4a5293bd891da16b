// Keyset connections, written once for every paged list. A page is one Inventory.page() statement
// whatever its size; totalCount is a thunk so the COUNT statement runs only when a client selects it.
import type { ArgBuilder, ObjectRef } from '@pothos/core';
import type { DatasetName, OrderName, Params, Row } from '../inventory/datasets.js';
import type { Direction, Inventory, KeyValue, Restriction } from '../inventory/inventory.js';
import { builder } from './builder.js';
import { decodeCursor, encodeCursor, type CursorScope } from './cursor.js';
import { userInputError } from './errors.js';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 1000;

type Types = typeof builder.$inferSchemaTypes;

export interface PagingArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

interface PageInfoShape {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

interface Edge<T> {
  readonly cursor: string;
  node: T;
}

/** An edge whose cursor is encoded only when a client selects it (a checksum per edge is not free). */
class LazyEdge<T> implements Edge<T> {
  private encoded: string | undefined;
  constructor(
    readonly node: T,
    private readonly encode: (node: T) => string,
  ) {}
  get cursor(): string {
    return (this.encoded ??= this.encode(this.node));
  }
}

export interface Connection<T> {
  edges: Edge<T>[];
  pageInfo: PageInfoShape;
  totalCount: () => Promise<number>;
}

/** Datasets that declare at least one keyset order. */
export type PagedDataset = { [N in DatasetName]: [OrderName<N>] extends [never] ? never : N }[DatasetName];

export interface ListSpec<N extends PagedDataset> {
  /** The GraphQL field name: cursors are only valid for the list that issued them. */
  list: string;
  dataset: N;
  params: Params<N>;
  order: OrderName<N>;
  direction: Direction;
  /** A filter another dataset decides (the diagnosis verdict). */
  restrict?: Restriction;
  /** The columns the selected fields read (projection.ts); all when undefined. */
  columns?: readonly string[];
}

function pageSize(name: 'first' | 'last', value: number | null | undefined): number | undefined {
  if (value === null || value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 0 || value > MAX_PAGE_SIZE) {
    throw userInputError(`${name} must be between 0 and ${MAX_PAGE_SIZE}, got ${value}`);
  }
  return value;
}

export async function loadConnection<N extends PagedDataset>(
  inventory: Inventory,
  spec: ListSpec<N>,
  args: PagingArgs,
): Promise<Connection<Row<N>>> {
  const first = pageSize('first', args.first);
  const last = pageSize('last', args.last);
  if (first !== undefined && last !== undefined) {
    throw userInputError('first and last cannot be used together: page forwards with first/after or backwards with last/before');
  }
  const columns = inventory.orderColumns(spec.dataset, spec.order);
  const scope: CursorScope = { list: spec.list, order: `${spec.order} ${spec.direction}` };
  const cursor = (name: 'after' | 'before') => {
    const value = args[name];
    return value === null || value === undefined ? undefined : decodeCursor(scope, columns, value, name);
  };
  const page = await inventory.page(spec.dataset, spec.params, {
    order: spec.order,
    direction: spec.direction,
    first: last === undefined ? (first ?? DEFAULT_PAGE_SIZE) : undefined,
    last,
    after: cursor('after'),
    before: cursor('before'),
    restrict: spec.restrict,
    columns: spec.columns,
  });
  const encode = (row: Row<N>) => encodeCursor(scope, columns.map((c) => (row as Record<string, unknown>)[c.name] as KeyValue));
  const edges = page.rows.map((row) => new LazyEdge(row, encode));
  let count: Promise<number> | undefined;
  return {
    edges,
    pageInfo: {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: page.hasPreviousPage,
      get startCursor() {
        return edges[0]?.cursor ?? null;
      },
      get endCursor() {
        return edges.at(-1)?.cursor ?? null;
      },
    },
    totalCount: () => (count ??= inventory.count(spec.dataset, spec.params, spec.restrict)),
  };
}

export function pagingArgs(arg: ArgBuilder<Types>) {
  return {
    first: arg.int({ description: `Rows after \`after\` (default ${DEFAULT_PAGE_SIZE}, at most ${MAX_PAGE_SIZE}).` }),
    after: arg.string({ description: 'A cursor from this list: start after that row.' }),
    last: arg.int({ description: `Rows before \`before\`, paging backwards (at most ${MAX_PAGE_SIZE}).` }),
    before: arg.string({ description: 'A cursor from this list: end before that row.' }),
  };
}

const PageInfo = builder.objectRef<PageInfoShape>('PageInfo').implement({
  description: 'Where this page sits in the list, and the cursors to fetch the next or previous one.',
  fields: (t) => ({
    hasNextPage: t.exposeBoolean('hasNextPage', { description: 'More rows follow: ask again with after: endCursor.' }),
    hasPreviousPage: t.exposeBoolean('hasPreviousPage', { description: 'Rows come before this page: ask with before: startCursor (and last).' }),
    startCursor: t.exposeString('startCursor', { nullable: true, description: "The first row's cursor; null on an empty page." }),
    endCursor: t.exposeString('endCursor', { nullable: true, description: "The last row's cursor; null on an empty page." }),
  }),
});

/** `<Name>Connection` and `<Name>Edge` over a node type. */
export function connectionType<T>(name: string, node: ObjectRef<Types, T>) {
  const edge = builder.objectRef<Edge<T>>(`${name}Edge`).implement({
    description: `One ${name} of a page, with its cursor.`,
    fields: (t) => ({
      cursor: t.exposeString('cursor', { description: 'Opaque position of this row: pass it as after or before to page from here.' }),
      node: t.expose('node', { type: node, description: `The ${name}.` }),
    }),
  });
  return builder.objectRef<Connection<T>>(`${name}Connection`).implement({
    description: `A page of ${name} rows, read now (never from the background snapshot).`,
    fields: (t) => ({
      edges: t.field({ type: [edge], description: 'The rows with their cursors.', resolve: (c) => c.edges }),
      nodes: t.field({ type: [node], description: 'The rows alone, when no cursor is needed.', resolve: (c) => c.edges.map((e) => e.node) }),
      pageInfo: t.field({ type: PageInfo, description: 'Whether more pages exist, and the cursors to reach them.', resolve: (c) => c.pageInfo }),
      totalCount: t.int({
        description: 'Rows matching the filter, across all pages (runs a COUNT only when selected).',
        resolve: (c) => c.totalCount(),
      }),
    }),
  });
}
