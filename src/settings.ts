// Each setting of `serve` and `check`: its flag, its environment variable (flags win) and the parser
// that checks its text, plus the flag tables the argument parser and the commands' help are built
// from. config.ts turns them into a ServeConfig; importers keep using config.ts.
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { knownTimeZone } from './csa/zone.js';
import { VALUES } from './metrics/names.js';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export type Mode = 'demo' | 'production';

/** One setting: its flag, its environment variable, and how to read it. */
interface Setting<T> {
  flag: string;
  env: string;
  parse: (text: string, name: string) => T;
}

export const label = (s: Setting<unknown>) => `--${s.flag} (${s.env})`;

export const bool = (text: string, name: string): boolean => {
  if (/^(1|true|yes|on)$/i.test(text)) return true;
  if (/^(0|false|no|off)$/i.test(text)) return false;
  throw new ConfigError(`${name}: expected true or false, got ${JSON.stringify(text)}`);
};

export const wholeNumber =
  (min: number, max: number) =>
  (text: string, name: string): number => {
    const n = Number(text);
    if (!/^\d+$/.test(text.trim()) || n < min || n > max) {
      throw new ConfigError(`${name}: expected a whole number from ${min} to ${max}, got ${JSON.stringify(text)}`);
    }
    return n;
  };

/** An instant written as ISO-8601 with a zone, e.g. 2026-11-25T10:00:00Z. */
export function isoInstant(text: string, name: string): Date {
  const d = new Date(text);
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/.test(text) || Number.isNaN(d.getTime())) {
    throw new ConfigError(`${name}: expected an ISO-8601 time with a zone, e.g. 2026-11-25T10:00:00Z, got ${JSON.stringify(text)}`);
  }
  return d;
}

/** A bearer token: long enough that guessing it is no way in. */
const token =
  (kind: string) =>
  (text: string, name: string): string => {
    if (text.length < 16) throw new ConfigError(`${name}: the ${kind} token must be at least 16 characters`);
    return text;
  };

export function parseListen(text: string, name: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:\s]+)):(\d{1,5})$/.exec(text.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) throw new ConfigError(`${name}: expected HOST:PORT (e.g. 127.0.0.1:4000 or [::1]:4000), got ${JSON.stringify(text)}`);
  return { host: (m[1] ?? m[2])!, port };
}

/** Per-dataset refresh intervals: `computers_by_state=60,cem_summary=60`. */
export function datasetIntervals(text: string, name: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of text.split(',')) {
    const m = /^\s*([a-z_]+)\s*=\s*(\d+)\s*$/.exec(part);
    if (!m || !(VALUES.collector as readonly string[]).includes(m[1]!) || Number(m[2]) < 1 || Number(m[2]) > 3600) {
      throw new ConfigError(`${name}: expected dataset=seconds pairs (1 to 3600) for the datasets ${VALUES.collector.join(', ')}, got ${JSON.stringify(part.trim())}`);
    }
    out[m[1]!] = Number(m[2]);
  }
  return out;
}

/**
 * Gateways to probe beyond the CMDB's: `host:port` (labelled gateway=host) or `name=host:port`,
 * comma-separated, e.g. `csa.corp.example:443,igw-2=10.0.0.7:443`.
 */
export function gatewayTargets(text: string, name: string): { gateway: string; host: string; port: number }[] {
  return text
    .split(',')
    .filter((part) => part.trim())
    .map((part) => {
      const m = /^\s*(?:([^=\s]+)=)?(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?):(\d{1,5})\s*$/.exec(part);
      const port = m ? Number(m[3]) : NaN;
      if (!m || port < 1 || port > 65535) throw new ConfigError(`${name}: expected host:port or name=host:port (e.g. csa.corp.example:443), got ${JSON.stringify(part.trim())}`);
      const host = m[2]!.replace(/^\[|\]$/g, '');
      return { gateway: m[1] ?? host, host, port };
    });
}

export const S = {
  db: { flag: 'db', env: 'GATEWATCH_DB', parse: (t: string) => t },
  listen: { flag: 'listen', env: 'GATEWATCH_LISTEN', parse: parseListen },
  mode: {
    flag: 'mode',
    env: 'GATEWATCH_MODE',
    parse: (t: string, name: string): Mode => {
      if (t === 'demo' || t === 'production') return t;
      throw new ConfigError(`${name}: expected demo or production, got ${JSON.stringify(t)}`);
    },
  },
  demoLive: { flag: 'demo-live', env: 'GATEWATCH_DEMO_LIVE', parse: bool },
  graphiql: { flag: 'graphiql', env: 'GATEWATCH_GRAPHIQL', parse: bool },
  introspection: { flag: 'introspection', env: 'GATEWATCH_INTROSPECTION', parse: bool },
  apiToken: { flag: 'api-token', env: 'GATEWATCH_API_TOKEN', parse: token('API') },
  metricsToken: { flag: 'metrics-token', env: 'GATEWATCH_METRICS_TOKEN', parse: token('metrics') },
  allowAnonymous: { flag: 'allow-anonymous', env: 'GATEWATCH_ALLOW_ANONYMOUS', parse: bool },
  requestTimeout: { flag: 'request-timeout', env: 'GATEWATCH_REQUEST_TIMEOUT_MS', parse: wholeNumber(100, 600_000) },
  sqliteInline: { flag: 'sqlite-inline', env: 'GATEWATCH_SQLITE_INLINE', parse: bool },
  queriesDir: {
    flag: 'queries-dir',
    env: 'GATEWATCH_QUERIES_DIR',
    parse: (t: string, name: string) => {
      if (!statSync(t, { throwIfNoEntry: false })?.isDirectory()) throw new ConfigError(`${name}: ${JSON.stringify(t)} is not a directory`);
      return resolve(t);
    },
  },
  metricsRefreshSeconds: { flag: 'metrics-refresh-seconds', env: 'GATEWATCH_METRICS_REFRESH_SECONDS', parse: wholeNumber(1, 3600) },
  // The name of the setting before reads moved to the background; same meaning, kept for old configs.
  metricsCacheSeconds: { flag: 'metrics-cache-seconds', env: 'GATEWATCH_METRICS_CACHE_SECONDS', parse: wholeNumber(1, 3600) },
  metricsRefreshDatasets: { flag: 'metrics-refresh-datasets', env: 'GATEWATCH_METRICS_REFRESH_DATASETS', parse: datasetIntervals },
  maxBodyBytes: { flag: 'max-body-bytes', env: 'GATEWATCH_MAX_BODY_BYTES', parse: wholeNumber(1024, 64 * 1024 * 1024) },
  // GraphQL limits (src/graphql/limits.ts, whose LIMIT_SETTINGS names these in its errors).
  maxDocumentBytes: { flag: 'max-document-bytes', env: 'GATEWATCH_MAX_DOCUMENT_BYTES', parse: wholeNumber(1024, 64 * 1024 * 1024) },
  maxTokens: { flag: 'max-document-tokens', env: 'GATEWATCH_MAX_DOCUMENT_TOKENS', parse: wholeNumber(100, 10_000_000) },
  maxOperations: { flag: 'max-operations', env: 'GATEWATCH_MAX_OPERATIONS', parse: wholeNumber(1, 100_000) },
  maxFragments: { flag: 'max-fragments', env: 'GATEWATCH_MAX_FRAGMENTS', parse: wholeNumber(0, 100_000) },
  maxFields: { flag: 'max-fields', env: 'GATEWATCH_MAX_FIELDS', parse: wholeNumber(10, 1_000_000) },
  maxDepth: { flag: 'max-depth', env: 'GATEWATCH_MAX_DEPTH', parse: wholeNumber(2, 100) },
  maxAliases: { flag: 'max-aliases', env: 'GATEWATCH_MAX_ALIASES', parse: wholeNumber(0, 100_000) },
  maxQueryCost: { flag: 'max-query-cost', env: 'GATEWATCH_MAX_QUERY_COST', parse: wholeNumber(100, 1_000_000_000) },
  maxRequestStatements: { flag: 'max-request-statements', env: 'GATEWATCH_MAX_REQUEST_STATEMENTS', parse: wholeNumber(1, 1_000_000) },
  maxRequestRows: { flag: 'max-request-rows', env: 'GATEWATCH_MAX_REQUEST_ROWS', parse: wholeNumber(1000, 1_000_000_000) },
  parseCacheBytes: { flag: 'parse-cache-bytes', env: 'GATEWATCH_PARSE_CACHE_BYTES', parse: wholeNumber(0, 4 * 1024 * 1024 * 1024) },
  lateAfterHours: { flag: 'late-after-hours', env: 'GATEWATCH_LATE_AFTER_HOURS', parse: wholeNumber(1, 24 * 365) },
  inactiveAfterDays: { flag: 'inactive-after-days', env: 'GATEWATCH_INACTIVE_AFTER_DAYS', parse: wholeNumber(1, 3650) },
  gatewayTargets: { flag: 'gateway-targets', env: 'GATEWATCH_GATEWAY_TARGETS', parse: gatewayTargets },
  corsOrigins: {
    flag: 'cors-origin',
    env: 'GATEWATCH_CORS_ORIGINS',
    parse: (t: string, name: string) =>
      t.split(',').map((o) => {
        const origin = o.trim();
        if (!/^https?:\/\/[^/\s]+$/.test(origin)) throw new ConfigError(`${name}: expected origins like https://grafana.corp.example, got ${JSON.stringify(origin)}`);
        return origin;
      }),
  },
  // The core's BrokerService logs (docs/csa-broker-log.md) and the zone of their local timestamps.
  csaBrokerLog: {
    flag: 'csa-broker-log',
    env: 'GATEWATCH_CSA_BROKER_LOG',
    parse: (t: string, name: string) => {
      if (!statSync(t, { throwIfNoEntry: false })?.isDirectory()) throw new ConfigError(`${name}: ${JSON.stringify(t)} is not a directory (the core's log folder, e.g. mounted read-only)`);
      return resolve(t);
    },
  },
  csaTimeZone: {
    flag: 'csa-time-zone',
    env: 'GATEWATCH_CSA_TIME_ZONE',
    parse: (t: string, name: string) => {
      if (!knownTimeZone(t)) throw new ConfigError(`${name}: expected an IANA time zone such as Europe/Berlin or UTC, got ${JSON.stringify(t)}`);
      return t;
    },
  },
} satisfies Record<string, Setting<unknown>>;

/** Flag values as parsed from the command line (strings, or booleans for --x / --no-x). */
export type Flags = Record<string, string | boolean | undefined>;

export function read<T>(s: Setting<T>, flags: Flags, env: NodeJS.ProcessEnv): T | undefined {
  const f = flags[s.flag];
  if (typeof f === 'boolean') return s.parse(String(f), label(s));
  if (typeof f === 'string') return s.parse(f, `--${s.flag}`);
  const e = env[s.env];
  if (e !== undefined && e !== '') return s.parse(e, s.env);
  return undefined;
}

/** The flags `check` accepts. */
export const CHECK_FLAGS: Record<string, 'string' | 'boolean'> = { db: 'string', 'queries-dir': 'string', 'request-timeout': 'string', 'sqlite-inline': 'boolean', 'csa-broker-log': 'string', 'csa-time-zone': 'string' };

/** Each setting's environment variable, by flag: the commands' help lists them. */
export const SETTING_ENV: Record<string, string> = Object.fromEntries(Object.values(S).map((s) => [s.flag, s.env]));

/** The flags `serve` accepts, for the argument parser: name -> takes a value. */
export const SERVE_FLAGS: Record<string, 'string' | 'boolean'> = Object.fromEntries(
  Object.values(S).map((s) => [s.flag, s.parse === bool ? 'boolean' : 'string']),
);
