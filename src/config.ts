// `gatewatch serve` settings: each flag has an environment variable, flags win. Everything is checked
// here, at start, so a bad value stops the process with one line naming the setting instead of
// failing later. Production (any non-demo inventory) keeps closed what the demo leaves open.
import type { GraphQLLimits } from './graphql/limits.js';
import { isLoopbackAddress } from './http/loopback.js';
import { parseDbUrl, type DbTarget } from './inventory/index.js';
import { DEFAULT_LIVENESS, livenessProblem, type LivenessThresholds } from './inventory/liveness.js';
import { ConfigError, label, parseListen, read, S, type Flags, type Mode } from './settings.js';

// The settings, their parsers and the flag tables live in settings.ts; importers keep this path.
export { bool, CHECK_FLAGS, ConfigError, datasetIntervals, isoInstant, parseListen, SERVE_FLAGS, SETTING_ENV, wholeNumber, type Flags, type Mode } from './settings.js';

export const DEFAULT_DEMO_PATH = 'data/demo.sqlite';
export const DEFAULT_LISTEN = '127.0.0.1:4000';

/** The settings (named as in settings.ts's S) that are GraphQL limits. */
const LIMIT_KEYS = [
  'maxDocumentBytes', 'maxTokens', 'maxOperations', 'maxFragments', 'maxFields', 'maxDepth', 'maxAliases',
  'maxQueryCost', 'maxRequestStatements', 'maxRequestRows', 'parseCacheBytes',
] as const satisfies readonly (keyof GraphQLLimits & keyof typeof S)[];

export interface ServeConfig extends InventorySettings {
  host: string;
  port: number;
  mode: Mode;
  demoLive: boolean;
  graphiql: boolean;
  introspection: boolean;
  exposeStatementCount: boolean;
  apiToken?: string;
  /** A token that opens /metrics only, so Prometheus need not hold one that reads the inventory. */
  metricsToken?: string;
  allowAnonymous: boolean;
  /** Browser origins allowed to call the API (CORS); none by default. */
  corsOrigins: string[];
  /** Seconds between two background reads of each metrics dataset; the refresher's default (15) when unset. */
  metricsRefreshSeconds?: number;
  /** Per-dataset intervals that override it (sql_exporter's min_interval), seconds. */
  metricsRefreshDatasets?: Record<string, number>;
  /** Largest request body accepted (bytes); the server's default (1 MiB) when unset. */
  maxBodyBytes?: number;
  /** GraphQL document, cost and per-request budgets; the defaults (src/graphql/limits.ts) where unset. */
  graphqlLimits: Partial<GraphQLLimits>;
  /** When an agent stops counting as REPORTING (LATE), then as LATE (INACTIVE). */
  liveness: LivenessThresholds;
  /** The BrokerService log folder and the core's time zone (src/csa); no log is read when unset. */
  csa?: CsaSettings;
  /** Gateways /sd/gateways lists beyond the CMDB's (--gateway-targets). */
  gatewayTargets: { gateway: string; host: string; port: number }[];
}

/** The settings that say which inventory to read and how: shared by `serve` and `check`. */
export interface InventorySettings {
  db: DbTarget;
  /** The embedded demo inventory, created on first start when missing. */
  embeddedDemo: boolean;
  requestTimeoutMs?: number;
  queriesDir?: string;
  /** SQLite: provably cheap statements on the server's thread (sqlite-inline.ts); on unless false. */
  sqliteInline?: boolean;
}

export function loadInventorySettings(flags: Flags, env: NodeJS.ProcessEnv = process.env): InventorySettings {
  const dbText = read(S.db, flags, env);
  let db: DbTarget;
  try {
    db = parseDbUrl(dbText ?? `sqlite:${DEFAULT_DEMO_PATH}`);
  } catch (e) {
    throw new ConfigError(`${label(S.db)}: ${(e as Error).message}`);
  }
  return {
    db,
    embeddedDemo: dbText === undefined,
    requestTimeoutMs: read(S.requestTimeout, flags, env),
    queriesDir: read(S.queriesDir, flags, env),
    sqliteInline: read(S.sqliteInline, flags, env),
  };
}

export function loadServeConfig(flags: Flags, env: NodeJS.ProcessEnv = process.env): ServeConfig {
  const inventory = loadInventorySettings(flags, env);
  const { db, embeddedDemo } = inventory;
  const mode = read(S.mode, flags, env) ?? (embeddedDemo ? 'demo' : 'production');
  const demo = mode === 'demo';
  const { host, port } = read(S.listen, flags, env) ?? parseListen(DEFAULT_LISTEN, 'default');
  const demoLive = read(S.demoLive, flags, env) ?? false;
  if (demoLive && !(demo && db.kind === 'sqlite')) {
    throw new ConfigError(`${label(S.demoLive)}: the live simulator writes to the inventory; it runs only on a SQLite demo inventory in demo mode`);
  }
  const apiToken = read(S.apiToken, flags, env);
  const allowAnonymous = read(S.allowAnonymous, flags, env) ?? false;
  // Whatever the mode, a real inventory is never served beyond this machine without a decision.
  if (!embeddedDemo && !isLoopbackAddress(host) && !apiToken && !allowAnonymous) {
    throw new ConfigError(
      `${label(S.listen)}: serving an inventory on ${host} needs ${label(S.apiToken)}, or ${label(S.allowAnonymous)}=true to serve it without authentication`,
    );
  }
  return {
    ...inventory,
    host,
    port,
    mode,
    demoLive,
    graphiql: read(S.graphiql, flags, env) ?? demo,
    introspection: read(S.introspection, flags, env) ?? demo,
    exposeStatementCount: demo,
    apiToken,
    metricsToken: read(S.metricsToken, flags, env),
    allowAnonymous,
    corsOrigins: read(S.corsOrigins, flags, env) ?? [],
    metricsRefreshSeconds: read(S.metricsRefreshSeconds, flags, env) ?? read(S.metricsCacheSeconds, flags, env),
    metricsRefreshDatasets: read(S.metricsRefreshDatasets, flags, env),
    maxBodyBytes: read(S.maxBodyBytes, flags, env),
    graphqlLimits: Object.fromEntries(LIMIT_KEYS.map((k) => [k, read(S[k], flags, env)])),
    liveness: loadLiveness(flags, env),
    csa: loadCsaSettings(flags, env),
    gatewayTargets: read(S.gatewayTargets, flags, env) ?? [],
  };
}

export function loadLiveness(flags: Flags, env: NodeJS.ProcessEnv = process.env): LivenessThresholds {
  const liveness = {
    lateAfterHours: read(S.lateAfterHours, flags, env) ?? DEFAULT_LIVENESS.lateAfterHours,
    inactiveAfterDays: read(S.inactiveAfterDays, flags, env) ?? DEFAULT_LIVENESS.inactiveAfterDays,
  };
  const problem = livenessProblem(liveness);
  if (problem) throw new ConfigError(`${label(S.inactiveAfterDays)}: ${problem}`);
  return liveness;
}

export interface CsaSettings {
  dir: string;
  /** IANA zone of the core's clock (default UTC). */
  zone: string;
}

/** --csa-broker-log and --csa-time-zone; the zone is checked even without a folder, so a typo never waits. */
export function loadCsaSettings(flags: Flags, env: NodeJS.ProcessEnv = process.env): CsaSettings | undefined {
  const zone = read(S.csaTimeZone, flags, env) ?? 'UTC';
  const dir = read(S.csaBrokerLog, flags, env);
  return dir === undefined ? undefined : { dir, zone };
}
