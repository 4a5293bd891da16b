// The GraphQL endpoint: graphql-yoga over the Pothos schema, a fresh context (and DataLoaders) per
// request, masked errors, and the hardening switches a production deployment turns off.
import { createYoga, isAsyncIterable, type Plugin, type YogaServerOptions } from 'graphql-yoga';
import type { Inventory } from '../inventory/inventory.js';
import type { LivenessThresholds } from '../inventory/liveness.js';
import { currentStatementScope } from '../inventory/stats.js';
import type { Snapshots } from '../metrics/snapshots.js';
import { createContext, type GraphQLContext } from './context.js';
import { compress, MIN_COMPRESS_BYTES, negotiate } from '../http/compress.js';
import { maskError, yogaLogger } from './errors.js';
import { graphiqlOptions, renderOfflineGraphiQL } from './graphiql.js';
import { boundedDocuments } from './document-bounds.js';
import { hideSuggestions, NoSchemaIntrospectionCustomRule, resolveLimits, useValidationRules, type GraphQLLimits } from './limits.js';
import { parseCaches } from './parse-cache.js';
import { queryCost } from './query-cost.js';
import { schema } from './schema/index.js';

export interface GraphQLHandlerOptions {
  inventory: Inventory;
  /** The background refresh that aggregate fields serve from (none: always live). */
  snapshots?: Snapshots;
  graphiql: boolean;
  introspection: boolean;
  /** Adds `extensions.sqlStatements` to each result: statements the request ran (tests, benchmarks). */
  exposeStatementCount: boolean;
  /** Bounds on documents, their cost and what a request may read (limits.ts; DEFAULT_LIMITS where left out). */
  limits?: Partial<GraphQLLimits>;
  /**
   * Browser origins (scheme://host[:port], compared exactly) whose pages may read responses. Empty
   * or undefined: none, so no page on another origin can read the inventory through a user's browser.
   */
  corsOrigins?: readonly string[];
  /** When an agent counts as LATE / INACTIVE (THRESHOLDS' defaults when left out). */
  liveness?: LivenessThresholds;
}

/**
 * yoga's `cors` as a per-request factory: an allowed Origin gets exactly itself back, anything else
 * `false`, i.e. no Access-Control-Allow-* header at all (preflights included). A static option would
 * not do: `origin: []` echoes every origin, and a one-element list is sent to every origin.
 */
function corsFor(origins: readonly string[] = []): NonNullable<YogaServerOptions<Record<string, unknown>, GraphQLContext>['cors']> {
  for (const o of origins) {
    let canonical: string | undefined;
    try {
      canonical = new URL(o).origin;
    } catch {
      canonical = undefined;
    }
    if (canonical !== o) throw new Error(`CORS origin ${JSON.stringify(o)} is not an origin like https://dashboard.example.com`);
  }
  const allowed = new Set(origins);
  return (request) => {
    const origin = request.headers.get('origin');
    if (origin === null || !allowed.has(origin)) return false;
    // Bearer tokens travel in a header, so pages never need cookies (credentials) sent along.
    return { origin: [origin], methods: ['GET', 'POST'], allowedHeaders: ['authorization', 'content-type', 'accept'], credentials: false, maxAge: 600 };
  };
}

/** With allowed origins the CORS headers depend on the Origin, which caches must know. */
const varyOnOrigin: Plugin = {
  onResponse: ({ response }) => response.headers.append('vary', 'Origin'),
};

/**
 * Reports the statements counted in the request's statement scope, which the HTTP server opens
 * around each request (withStatementScope); outside one there is nothing to report.
 */
const statementCount: Plugin = {
  onExecute: () => ({
    onExecuteDone({ result, setResult }) {
      const scope = currentStatementScope();
      if (!scope || isAsyncIterable(result)) return;
      setResult({ ...result, extensions: { ...result.extensions, sqlStatements: scope.statements } });
    },
  }),
};

/**
 * Compresses JSON answers of MIN_COMPRESS_BYTES or more when the client asks (src/http/compress.ts);
 * smaller ones, and clients that did not ask, get identity. Every answer varies on Accept-Encoding.
 * The GraphiQL page is left alone: the HTTP server sends it precompressed.
 */
const compressAnswers: Plugin = {
  async onResponse({ request, response, setResponse, fetchAPI }) {
    if (!response.body || response.headers.has('content-encoding') || !/json/.test(response.headers.get('content-type') ?? '')) return;
    const encoding = negotiate(request.headers.get('accept-encoding') ?? undefined);
    // A client that asked for no encoding gets yoga's answer as it is: no copy of the body.
    if (!encoding) return void response.headers.append('vary', 'Accept-Encoding');
    const headers = new fetchAPI.Headers(response.headers);
    headers.append('vary', 'Accept-Encoding');
    let body: Buffer = Buffer.from(await response.arrayBuffer());
    if (body.length >= MIN_COMPRESS_BYTES) {
      body = await compress(body, encoding);
      headers.set('content-encoding', encoding);
    }
    headers.set('content-length', String(body.length));
    setResponse(new fetchAPI.Response(body as Uint8Array<ArrayBuffer>, { status: response.status, statusText: response.statusText, headers }));
  },
};

export function createGraphQLHandler(opts: GraphQLHandlerOptions) {
  const limits = resolveLimits(opts.limits);
  const rules = opts.introspection ? [] : [NoSchemaIntrospectionCustomRule];
  return createYoga<Record<string, unknown>, GraphQLContext>({
    schema,
    graphqlEndpoint: '/graphql',
    graphiql: opts.graphiql ? graphiqlOptions : false,
    renderGraphiQL: renderOfflineGraphiQL,
    landingPage: false,
    cors: corsFor(opts.corsOrigins),
    logging: yogaLogger(),
    maskedErrors: { maskError },
    context: () => createContext(opts.inventory, opts.snapshots, opts.liveness),
    // yoga's default keeps 1,024 documents whatever their size; these are bounded by bytes.
    parserAndValidationCache: parseCaches(limits.parseCacheBytes).options,
    plugins: [
      // Before yoga's parse cache (user plugins come first): every miss parses within the bounds.
      boundedDocuments(limits),
      useValidationRules(rules),
      queryCost(limits),
      // Suggestions name fields and enum values: where introspection is closed, so are they.
      ...(opts.introspection ? [] : [hideSuggestions]),
      ...(opts.corsOrigins?.length ? [varyOnOrigin] : []),
      ...(opts.exposeStatementCount ? [statementCount] : []),
      // Last: it reads the finished body.
      compressAnswers,
    ],
  });
}

export type GraphQLHandler = ReturnType<typeof createGraphQLHandler>;
