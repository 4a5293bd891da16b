// The one HTTP listener: /graphql (graphql-yoga), /metrics (Prometheus), /healthz (process alive),
// /readyz (the latest background round reached the inventory and its core dataset). Each GraphQL
// request runs in its own statement scope so its SQL statements can be counted.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import { createGraphQLHandler } from '../graphql/yoga.js';
import type { GraphQLLimits } from '../graphql/limits.js';
import type { Inventory } from '../inventory/index.js';
import { withStatementScope } from '../inventory/stats.js';
import { COLLECTORS } from '../metrics/collectors/index.js';
import { createExporter, type ExporterOptions, type MetricSource } from '../metrics/exporter.js';
import { Refresher } from '../metrics/refresher.js';
import type { LivenessThresholds } from '../inventory/liveness.js';
import { measureResponse } from '../metrics/requests.js';
import { DEFAULT_MAX_BODY_BYTES, readBodyWithin } from './body-limit.js';
import { hasQuery, sendGraphiQL, sendGraphiQLOff, wantsPage } from './pages.js';
import { TurnGate } from './turn-gate.js';
import { SD_GATEWAYS_PATH, serveGatewaySd, type GatewayTarget } from './sd-gateways.js';
import { isLoopbackAddress, isLoopbackHostHeader } from './loopback.js';
import { crossSiteRefusal } from './csrf.js';

export interface ServerOptions {
  inventory: Inventory;
  host: string;
  /** 0 picks a free port. */
  port: number;
  graphiql: boolean;
  introspection: boolean;
  exposeStatementCount: boolean;
  /** When set, /graphql and /metrics need `Authorization: Bearer <token>`. */
  apiToken?: string;
  /** Browser origins allowed to call /graphql (CORS). */
  corsOrigins?: string[];
  /** Opens /metrics (as the API token also does) but not /graphql. */
  metricsToken?: string;
  /** The background refresh behind /metrics and the GraphQL aggregates: intervals, timeouts (defaults when left out). */
  metrics?: ExporterOptions;
  /** Families beside the inventory's (the CSA broker log); their owner starts and closes them. */
  metricSources?: MetricSource[];
  /** Largest request body accepted, in bytes (default 1 MiB); larger ones get 413. */
  maxBodyBytes?: number;
  /** GraphQL document, cost and per-request budgets (src/graphql/limits.ts). */
  graphqlLimits?: Partial<GraphQLLimits>;
  /** When an agent counts as LATE / INACTIVE, for GraphQL and /metrics alike. */
  liveness?: LivenessThresholds;
  /** Gateways /sd/gateways lists beyond the CMDB's (--gateway-targets). */
  gatewayTargets?: GatewayTarget[];
}

export interface RunningServer {
  url: string;
  /** The one background refresher that /metrics and the GraphQL aggregates read. */
  refresher: Refresher;
  close(): Promise<void>;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

function authorized(req: IncomingMessage, token: string | undefined): boolean {
  if (!token) return true;
  const [scheme, value] = (req.headers.authorization ?? '').split(/\s+/, 2);
  const given = Buffer.from(value ?? '');
  const expected = Buffer.from(token);
  return scheme?.toLowerCase() === 'bearer' && given.length === expected.length && timingSafeEqual(given, expected);
}

const TOKEN_MISSING = 'Missing or wrong bearer token (GATEWATCH_API_TOKEN).';

function unauthorized(res: ServerResponse, body: unknown): void {
  res.setHeader('www-authenticate', 'Bearer realm="gatewatch"');
  json(res, 401, body);
}

export async function startServer(o: ServerOptions): Promise<RunningServer> {
  const refresher = new Refresher(o.inventory, COLLECTORS, { liveness: o.liveness, ...o.metrics });
  const yoga = createGraphQLHandler({
    inventory: o.inventory,
    snapshots: refresher,
    graphiql: o.graphiql,
    introspection: o.introspection,
    exposeStatementCount: o.exposeStatementCount,
    corsOrigins: o.corsOrigins,
    liveness: o.liveness,
    limits: o.graphqlLimits,
  });
  // Bound to loopback, only loopback names may reach us: a web page that rebinds its own DNS name to
  // 127.0.0.1 must not be able to read the inventory through the operator's browser.
  const loopbackOnly = isLoopbackAddress(o.host);
  const exporter = createExporter(refresher, o.metricSources);

  // Few enough starts per turn that parsing and validating them leaves the loop free to accept new
  // connections; statements on the server's thread are paced on their own (inventory/turn-pace.ts).
  const turns = new TurnGate(8);
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const handle = async () => {
      if (loopbackOnly && !isLoopbackHostHeader(req.headers.host ?? '')) {
        return json(res, 421, { error: `this server answers to loopback host names only, not ${JSON.stringify(req.headers.host ?? '')}` });
      }
      if (path === '/healthz') return json(res, 200, { status: 'ok' });
      if (path === '/readyz') {
        // The background round's verdict, the one gatewatch_up follows: a probe of its own here could
        // pass on a cached handle while the rounds' reads fail, and a /readyz storm would reach the CMDB.
        const r = await refresher.readiness();
        if (r.ready) return json(res, 200, { status: 'ready' });
        // The reason names files and hosts: only for those allowed to query the inventory anyway.
        const reason = authorized(req, o.apiToken) ? r.reason : 'inventory unavailable (send the API token for the reason)';
        return json(res, 503, { status: 'unavailable', reason });
      }
      if (path === '/graphql') {
        // Every request that reaches the endpoint counts, refused ones too: a 401 storm is worth seeing.
        measureResponse(res, exporter.observeGraphQL);
        // Browsers send a CORS preflight without credentials: an allowed origin's must pass before the
        // token check, or no page could ever call the API. Others still get no Access-Control-* header.
        const preflight = req.method === 'OPTIONS' && !!o.corsOrigins?.includes(req.headers.origin ?? '');
        // Before the token check: it shows no data, and a browser could not send the token anyway.
        if (!o.graphiql && wantsPage(req) && !hasQuery(req)) return sendGraphiQLOff(req, res, !!o.apiToken);
        if (!preflight && !authorized(req, o.apiToken)) return unauthorized(res, { errors: [{ message: TOKEN_MISSING }] });
        if (o.graphiql && wantsPage(req)) return sendGraphiQL(req, res);
        // After the pages: a link from another site may open GraphiQL, which runs nothing by itself.
        const refused = crossSiteRefusal(req, o.corsOrigins);
        if (refused) {
          for (const [name, value] of Object.entries(refused.headers)) res.setHeader(name, value);
          return json(res, refused.status, refused.body);
        }
        if (!(await readBodyWithin(req, res, o.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES))) return;
        // A client that hangs up abandons its statements: those still queued are dropped.
        const gone = new AbortController();
        res.once('close', () => res.writableFinished || gone.abort());
        await turns.enter();
        // Gone while it waited: nothing to parse, run or answer.
        if (gone.signal.aborted) return;
        return withStatementScope(() => yoga(req, res), gone.signal);
      }
      if (path === '/metrics') {
        // Prometheus sends a bearer token (authorization.credentials in its scrape config): the metrics
        // token, so its config holds nothing that reads the inventory, or the API token.
        const tokens = [o.apiToken, o.metricsToken].filter((t): t is string => !!t);
        if (tokens.length && !tokens.some((t) => authorized(req, t))) {
          return unauthorized(res, { error: 'Missing or wrong bearer token (GATEWATCH_METRICS_TOKEN or GATEWATCH_API_TOKEN).' });
        }
        if (req.method !== 'GET' && req.method !== 'HEAD') {
          res.setHeader('allow', 'GET, HEAD');
          return json(res, 405, { error: 'use GET' });
        }
        const body = await exporter.metrics();
        res.writeHead(200, { 'content-type': exporter.contentType, 'cache-control': 'no-store' });
        return void res.end(req.method === 'HEAD' ? undefined : body);
      }
      if (path === SD_GATEWAYS_PATH) {
        // The gateway list names no more than /metrics does: the same tokens open it.
        const tokens = [o.apiToken, o.metricsToken].filter((t): t is string => !!t);
        if (tokens.length && !tokens.some((t) => authorized(req, t))) {
          return unauthorized(res, { error: 'Missing or wrong bearer token (GATEWATCH_METRICS_TOKEN or GATEWATCH_API_TOKEN).' });
        }
        return serveGatewaySd(req, res, refresher, o.gatewayTargets ?? []);
      }
      if (path === '/') return json(res, 200, { service: 'gatewatch', endpoints: ['/graphql', '/metrics', SD_GATEWAYS_PATH, '/healthz', '/readyz'] });
      return json(res, 404, { error: `no such endpoint: ${path}` });
    };
    handle().catch((e: unknown) => {
      // A handler bug must cost one request, never the process.
      console.error(`gatewatch: request ${req.method} ${path} failed: ${e instanceof Error ? e.message : String(e)}`);
      if (!res.headersSent) json(res, 500, { error: 'internal error' });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5_000;
  server.headersTimeout = 10_000;
  server.requestTimeout = 60_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  refresher.start();
  return {
    url: `http://${host}:${addr.port}`,
    refresher,
    close: () =>
      new Promise<void>((resolve) => {
        refresher.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
