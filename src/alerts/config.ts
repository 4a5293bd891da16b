// Every threshold, window and `for:` of the alert rules, in one place (a mixin's `_config`). The rules
// read thresholds the vendor articles name from THRESHOLDS in src/metrics/names.ts; the rest is decided here.
// Durations are seconds; `dur()` spells them the way PromQL and the rule files do.
import { THRESHOLDS } from '../metrics/names.js';

const MIN = 60;
const HOUR = 60 * MIN;

export const defaultConfig = {
  /**
   * Runbook links: `${runbookBaseUrl}#<alert name lowercased>` (docs/runbooks.md, wherever it is
   * published). `npm run alerts` / `npm run dashboards` take GATEWATCH_RUNBOOK_BASE_URL instead.
   */
  runbookBaseUrl: 'https://github.com/gatewatch/gatewatch/blob/main/docs/runbooks.md',
  /**
   * Grafana dashboards the alerts link to (annotations `dashboard_uid` and `dashboard_url`): each rule
   * group's topic dashboard. src/dashboards/config.ts takes its uids from here.
   */
  dashboards: { overview: 'gatewatch-cem-overview', gateways: 'gatewatch-gateways', relays: 'gatewatch-relays', self: 'gatewatch-self' },
  /**
   * Where Grafana answers, for `dashboard_url` (the docker-compose stack's address by default;
   * GATEWATCH_GRAFANA_URL when generating).
   */
  grafanaUrl: 'http://127.0.0.1:3000',
  /**
   * Prometheus's own scrape health for the gatewatch target. `up` and `job` belong to Prometheus, not to
   * the gatewatch metric contract, so they are named here.
   */
  scrape: { upMetric: 'up', jobLabel: 'job', job: 'gatewatch' },

  spike: {
    /** Denials are counted over this recent window… */
    window: 5 * MIN,
    /** …and compared with the gateway's own rate over this longer window, ending where the recent one begins. */
    baseline: 1 * HOUR,
    /** Fire only above this multiple of the baseline's expected count for one window… */
    multiplier: 4,
    /** …and only with at least this many denials in the window (a quiet gateway going 0 → 2 is no spike). */
    minDenials: 20,
    for: 2 * MIN,
  },
  awaitingApproval: {
    /**
     * The oldest pending entry on a gateway's Access Troubleshooting list has waited this long. Its age,
     * not the count: a list that is worked through is a normal queue, one that is left alone is not
     * (a sudden flood of denials is GatewatchBlockedAgentSpike's).
     */
    maxWait: 4 * HOUR,
    for: 5 * MIN,
  },
  broker: {
    minPerCore: THRESHOLDS.minBrokerConnectionsPerCore,
    /** Ivanti's CSA troubleshooting guide: after restarting the Management Gateway service, connections take up to 5 minutes. */
    for: 10 * MIN,
  },
  gatewayOfflineFor: 5 * MIN,
  gatewayNotRegisteredFor: 10 * MIN,
  /** A setting, not a flap: once it has read off for this long it was turned off. */
  ephemeralAuthDisabledFor: 10 * MIN,
  troubleshootingMode: {
    /** Troubleshooting mode off only matters while the gateway denies agents: denials over this window. */
    denialWindow: 1 * HOUR,
    for: 15 * MIN,
  },
  relay: {
    /** The Attendant Service pings each relay every 20 minutes: one missed ping reads 0 for a whole cycle… */
    pingInterval: THRESHOLDS.relayPingIntervalSeconds,
    /** …so the alert waits one cycle plus this margin, i.e. for the next ping to fail too. */
    offlineMargin: 5 * MIN,
    cacheMinFreeBytes: THRESHOLDS.relayCacheMinFreeBytes,
    /** HttpServerAttPlugin.dll checks cache space, cache folder and Apache every 10 minutes (GFI LanGuard's agent communications article): two checks. */
    checkFor: 2 * 10 * MIN,
  },
  silence: {
    /** Agents newly not reporting are counted over this window… */
    window: 1 * HOUR,
    /** …against the growth the same series showed over this longer window before it, scaled to one window. */
    baseline: 24 * HOUR,
    /** Fire only above this multiple of that expected growth… */
    multiplier: 3,
    /** …and with at least this many more silent agents behind one gateway… */
    minAgents: 25,
    /** …or, fleet-wide (every gateway and the LAN), at least this many. */
    fleetMinAgents: 100,
    for: 15 * MIN,
  },
  /** blackbox_exporter's probes of the gateways (job gateway-probes). */
  probes: {
    /** Probes fail every 30 s for this long: not one lost packet. */
    unreachableFor: 5 * MIN,
    certificate: {
      /** Days before expiry: a warning from here… */
      warnDays: 14,
      /** …and critical from here (expired is critical too). */
      criticalDays: 3,
      /** Two probes agree: a certificate being replaced does not page. */
      for: 1 * MIN,
    },
    handshake: {
      /** The recent average connect and handshake time… */
      window: 10 * MIN,
      /** …against the gateway's own median over this window… */
      baseline: 24 * HOUR,
      /** …times this… */
      multiplier: 3,
      /** …and at least this many seconds (a 20 ms gateway taking 70 ms is no news). */
      floorSeconds: 0.5,
      for: 15 * MIN,
    },
  },
  inventoryDownFor: 5 * MIN,
  stale: {
    /** A collector whose last success is older than this is stale even if it does not report failing (hung). */
    after: 15 * MIN,
    /** A collector reporting failure (or stale) this long pages. */
    for: 10 * MIN,
  },
};

export type AlertConfig = typeof defaultConfig;

/** `defaultConfig` with some settings replaced (one level deep for the grouped ones), like `_config+::`. */
export function withConfig(overrides: { [K in keyof AlertConfig]?: Partial<AlertConfig[K]> }): AlertConfig {
  const out: Record<string, unknown> = { ...defaultConfig };
  for (const [k, v] of Object.entries(overrides)) {
    const base = (defaultConfig as Record<string, unknown>)[k];
    out[k] = typeof base === 'object' && base !== null ? { ...base, ...(v as object) } : v;
  }
  return out as AlertConfig;
}

/** Seconds as a Prometheus duration: 3600 → `1h`, 1500 → `25m`, 90 → `90s`. */
export function dur(seconds: number): string {
  if (!Number.isInteger(seconds) || seconds <= 0) throw new Error(`not a duration in seconds: ${seconds}`);
  if (seconds % HOUR === 0) return `${seconds / HOUR}h`;
  if (seconds % MIN === 0) return `${seconds / MIN}m`;
  return `${seconds}s`;
}

export function runbookUrl(config: AlertConfig, alert: string): string {
  return `${config.runbookBaseUrl}#${alert.toLowerCase()}`;
}

/** The environment variables that move the links when generating (committed files use the defaults). */
export const LINK_ENV = { runbookBaseUrl: 'GATEWATCH_RUNBOOK_BASE_URL', grafanaUrl: 'GATEWATCH_GRAFANA_URL' } as const;

/** An absolute http(s) URL without a trailing slash or fragment, else an error naming the variable. */
function linkUrl(name: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${name}: not a URL: ${JSON.stringify(value)}`);
  }
  if (!/^https?:$/.test(url.protocol) || url.hash || url.search) throw new Error(`${name}: an http(s) URL without ? or #, not ${JSON.stringify(value)}`);
  return url.href.replace(/\/+$/, '');
}

/** `config` with the links the environment sets (LINK_ENV); unset or empty variables keep the defaults. */
export function withLinksFrom(env: NodeJS.ProcessEnv, config: AlertConfig = defaultConfig): AlertConfig {
  const out = { ...config };
  for (const [key, name] of Object.entries(LINK_ENV) as [keyof typeof LINK_ENV, string][]) {
    const v = env[name]?.trim();
    if (v) out[key] = linkUrl(name, v);
  }
  return out;
}
