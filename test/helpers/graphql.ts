// A demo inventory plus the real HTTP server (src/http/server.ts) on 127.0.0.1, and a small fetch
// client: every GraphQL test talks to the API the way a dashboard would.
import { mkdtempSync, rmSync } from 'node:fs';
import { after, before } from 'node:test';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Database from 'better-sqlite3';
import { buildDemoInventory, defaultNow } from '../../src/demo/generate.js';
import { createGraphQLHandler, type GraphQLHandlerOptions } from '../../src/graphql/yoga.js';
import { startServer } from '../../src/http/server.js';
import { openInventory, type Inventory } from '../../src/inventory/index.js';

/** The demo's clock is the real one, so ages computed against the server's clock make sense. */
export const DEMO_NOW = defaultNow();
export const DEMO_COMPUTERS = 2000;

export interface GraphQLResponse<D = any> {
  status: number;
  data?: D | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
  extensions?: { sqlStatements?: number } & Record<string, unknown>;
}

export interface TestApi {
  /** The server root, e.g. http://127.0.0.1:40123 */
  url: string;
  endpoint: string;
  dbPath: string;
  inventory: Inventory;
  gql<D = any>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<D>>;
  close(): Promise<void>;
}

/** Builds a fresh demo file in its own temp dir; `mutate` may alter it before the server opens it. */
export async function demoDb(name: string, computers = DEMO_COMPUTERS): Promise<{ dir: string; path: string }> {
  const dir = mkdtempSync(join(tmpdir(), `gatewatch-${name}-`));
  const path = join(dir, 'demo.sqlite');
  await buildDemoInventory(path, { computers, seed: 11, now: DEMO_NOW });
  return { dir, path };
}

export async function startApi(
  dbPath: string,
  opts: { introspection?: boolean; graphiql?: boolean; exposeStatementCount?: boolean } = {},
): Promise<TestApi> {
  const inventory = openInventory({ kind: 'sqlite', path: dbPath }, {});
  const server = await startServer({
    inventory,
    host: '127.0.0.1',
    port: 0,
    graphiql: opts.graphiql ?? false,
    introspection: opts.introspection ?? true,
    exposeStatementCount: opts.exposeStatementCount ?? true,
  });
  const endpoint = `${server.url}/graphql`;
  return {
    url: server.url,
    endpoint,
    dbPath,
    inventory,
    async gql(query, variables) {
      const res = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
        body: JSON.stringify({ query, variables }),
      });
      return { status: res.status, ...((await res.json()) as object) };
    },
    async close() {
      await server.close();
      await inventory.close();
    },
  };
}

/**
 * The GraphQL handler alone on a plain Node listener, for handler options the server does not pass
 * through (yet). Returns the /graphql URL.
 */
export async function startHandler(
  opts: Pick<GraphQLHandlerOptions, 'inventory'> & Partial<GraphQLHandlerOptions>,
): Promise<{ endpoint: string; close(): Promise<void> }> {
  const yoga = createGraphQLHandler({ graphiql: false, introspection: true, exposeStatementCount: false, ...opts });
  const server = createServer(yoga);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}/graphql`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A browser's CORS preflight for a POST with a bearer token, from `origin`. */
export const corsPreflight = (endpoint: string, origin: string) =>
  fetch(endpoint, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, authorization' },
  });

/** The names of a response's Access-Control-* headers. */
export const corsHeaders = (res: Response) => [...res.headers.keys()].filter((h) => h.startsWith('access-control-'));

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** The data of a response that must have succeeded; fails with the errors otherwise. */
export function ok<D>(r: GraphQLResponse<D>): D {
  if (r.errors?.length || !r.data) throw new Error(`GraphQL errors (HTTP ${r.status}): ${JSON.stringify(r.errors)}`);
  return r.data;
}

/** The single error of a response that must have failed. */
export function oneError(r: GraphQLResponse): { message: string; extensions?: Record<string, unknown> } {
  if (!r.errors || r.errors.length !== 1) throw new Error(`expected one error, got ${JSON.stringify(r)}`);
  return r.errors[0]!;
}

/** Reads the demo file directly, to check the API against the tables rather than against itself. */
export function sqlReader(path: string) {
  const db = new Database(path, { readonly: true });
  return {
    num: (sql: string, ...args: unknown[]) => Number(Object.values(db.prepare(sql).get(...args) as object)[0]),
    rows: <T>(sql: string, ...args: unknown[]) => db.prepare(sql).all(...args) as T[],
    get: <T>(sql: string, ...args: unknown[]) => db.prepare(sql).get(...args) as T,
    close: () => db.close(),
  };
}

export interface DemoFixture {
  api: TestApi;
  sql: ReturnType<typeof sqlReader>;
  dir: string;
  path: string;
}

/**
 * One demo file and server for the whole test file: built in a `before` hook, torn down (temp dir
 * included) in an `after` hook. `prepare` may alter the file before the server opens it. The
 * returned object is filled in once the hook has run. (Node 20 does not wait for one root-level
 * `before` hook before starting the next, so a test file must not add its own setup hook.)
 */
export function demoFixture(name: string, opts: { computers?: number; prepare?: (path: string) => void } = {}): DemoFixture {
  const f = {} as DemoFixture;
  before(async () => {
    const db = await demoDb(name, opts.computers);
    opts.prepare?.(db.path);
    Object.assign(f, { dir: db.dir, path: db.path, api: await startApi(db.path), sql: sqlReader(db.path) });
  });
  after(async () => {
    f.sql?.close();
    await f.api?.close();
    if (f.dir) removeDir(f.dir);
  });
  return f;
}
