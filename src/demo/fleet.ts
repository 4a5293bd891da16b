// The demo estate's fixed parts: gateways, cores, relays, sites and the agent message kinds. The
// generator and the simulator share them, and tests and docs name them, so they live in one place.
import { hash32 } from './rng.js';
import { THRESHOLDS } from '../metrics/names.js';

export interface GatewayDef {
  name: string;
  port: number;
  version: string;
  /** Off at one gateway on purpose: its denied agents never reach the Access Troubleshooting page. */
  troubleshootingMode: boolean;
  /** Problems planted for the diagnosis verdicts (src/demo/diagnosis.ts); healthy when left out. */
  online?: boolean;
  registered?: boolean;
  ephemeralAuth?: boolean;
  /** Broker connections of every core, held there by the simulator (an offline gateway has none). */
  broker?: number;
  /**
   * Percent of the Internet agents it carries. The problem gateways get theirs at build time, so their
   * panels and alerts show the problem; the simulator's roaming agents choose gateways by it.
   */
  share: number;
}

export const GATEWAYS: readonly GatewayDef[] = [
  { name: 'igw-ams-01.corp.example', port: 443, version: '8.8.1.4231', troubleshootingMode: true, share: 38 },
  { name: 'igw-nyc-01.corp.example', port: 443, version: '8.8.1.4231', troubleshootingMode: false, share: 26 },
  { name: 'igw-sgp-01.corp.example', port: 443, version: '8.8.1.4187', troubleshootingMode: true, share: 21 },
  // Gateways no site uses as home, each with a problem planted since PROBLEM_SINCE_MS ago.
  { name: 'igw-fra-01.corp.example', port: 443, version: '8.8.1.4231', troubleshootingMode: true, online: false, broker: 0, share: 5 },
  { name: 'igw-lon-01.corp.example', port: 443, version: '8.8.0.3601', troubleshootingMode: true, ephemeralAuth: false, broker: 2, share: 5 },
  { name: 'igw-dub-01.corp.example', port: 443, version: '8.8.1.4231', troubleshootingMode: true, registered: false, share: 5 },
];

/** The gateways with a planted problem (not the site gateways) and how long ago each problem began. */
export const PROBLEM_GATEWAYS: readonly GatewayDef[] = GATEWAYS.filter((g) => g.online === false || g.registered === false || g.ephemeralAuth === false);
export const PROBLEM_SINCE_MS = 3 * 3600_000;
/** Offline gateways: nobody connects. */
export const OFFLINE_GATEWAYS: readonly string[] = GATEWAYS.filter((g) => g.online === false).map((g) => g.name);
/** Online gateways refusing ephemeral certificates: unregistered (Broadcom ITMS CEM, Part 1 step 1 note) or with ephemeral auth off. */
export const EPHEMERAL_REFUSED: readonly string[] = GATEWAYS.filter((g) => g.online !== false && (g.registered === false || g.ephemeralAuth === false)).map((g) => g.name);

/** Whether an agent with this auth cannot get through this gateway (agents with `both` fall back to their permanent certificate). */
export function blocks(gateway: string, auth: string): boolean {
  return OFFLINE_GATEWAYS.includes(gateway) || (auth === 'ephemeral' && EPHEMERAL_REFUSED.includes(gateway));
}

/** The gateways without a planted problem: the ones agents roam between and sites call home. */
export const SITE_GATEWAYS: readonly GatewayDef[] = GATEWAYS.filter((g) => g.online !== false && g.registered !== false && g.ephemeralAuth !== false && g.broker === undefined);

/** A gateway whose broker connections are planted low (or none): the simulator leaves them there. */
export const plantedBroker = (gateway: string): boolean => GATEWAYS.some((g) => g.name === gateway && g.broker !== undefined);

export const CORES = ['NS-CORE-01', 'NS-CORE-02'] as const;

/** The CSA "Gateway service status" levels; `broker` is always the sum of the cores' connections. */
export const CONNECTION_LEVELS = ['broker', 'client', 'admin', 'console', 'unprivileged'] as const;

/** A core holding fewer broker connections than this to a gateway is unhealthy (Ivanti CSA article: at least 5 per core). */
export const MIN_BROKER_CONNECTIONS = THRESHOLDS.minBrokerConnectionsPerCore;
export const MAX_BROKER_CONNECTIONS = 8;

export interface SiteDef {
  code: string;
  domain: string;
  /** Second octet of the site's 10.x.0.0/16. */
  net: number;
  /** Index into GATEWAYS of the gateway the site's laptops normally use. */
  home: number;
  weight: number;
}

export const SITES: readonly SiteDef[] = [
  { code: 'AMS', domain: 'emea.corp.example', net: 16, home: 0, weight: 30 },
  { code: 'LON', domain: 'emea.corp.example', net: 17, home: 0, weight: 15 },
  { code: 'NYC', domain: 'amer.corp.example', net: 32, home: 1, weight: 30 },
  { code: 'SGP', domain: 'apac.corp.example', net: 48, home: 2, weight: 25 },
];

export const RELAYS: readonly string[] = ['AMS', 'LON', 'NYC', 'SGP'].flatMap((site) =>
  [1, 2, 3].map((n) => `RELAY-${site}-0${n}`),
);
/** The one relay below the 2 GB cache-space threshold in the healthy demo. */
export const LOW_DISK_RELAY = 'RELAY-SGP-02';
/** The relay that does not answer the ping, and the one whose cache folder does not exist. */
export const OFFLINE_RELAY = 'RELAY-LON-02';
export const BAD_CACHE_RELAY = 'RELAY-AMS-03';
export const APACHE_ERRORS_RELAY = 'RELAY-NYC-03';

export const GIB = 1024 ** 3;
export const RELAY_PING_MS = 20 * 60_000;

/**
 * The last time the Attendant Service's 20-minute ping loop reached a relay at or before `now`.
 * Each relay gets its own phase in the loop, so pings (and a dead relay's silence) are staggered.
 */
export function relayPingAt(relay: string, now: Date): Date {
  const phase = (hash32(relay) % (RELAY_PING_MS / 1000)) * 1000;
  const t = now.getTime();
  return new Date(t - ((((t - phase) % RELAY_PING_MS) + RELAY_PING_MS) % RELAY_PING_MS));
}

export const AUTH_TYPES = ['permanent', 'ephemeral', 'both'] as const;
/** Ephemeral certificates live about six hours (Broadcom ITMS CEM article, Part 1). */
export const EPHEMERAL_LIFETIME_MS = 6 * 3600_000;

export type DenialReason = 'registration_not_found' | 'time_skew' | 'version_mismatch' | 'gateway_not_registered' | 'blocked';
export type AccessStatus = 'pending' | 'approved' | 'blocked';

export interface MessageKind {
  id: string;
  component: string;
  type: 0 | 1;
  priority: number;
  text: (subject: string) => string;
}

// MessageTypeId is the message type's UID in toolcfg_agentmessages.xml: one fixed GUID per kind.
export const MESSAGES = {
  relayOffline: {
    id: 'A3F1C2D4-5B6E-4F70-8192-A3B4C5D6E7F8',
    component: 'AgentManager.dll',
    type: 0,
    priority: 3,
    text: (relay) => `Relay agent is offline: ${relay} did not answer the 20-minute ping`,
  },
  lowDisk: {
    id: '1C2D3E4F-5A6B-4C7D-8E9F-0A1B2C3D4E5F',
    component: 'HttpServerAttPlugin.dll',
    type: 1,
    priority: 2,
    text: () => 'Not enough disk space for caching: less than 2 GB free on the cache drive',
  },
  cacheFolder: {
    id: '7E8F9A0B-1C2D-4E3F-9A5B-6C7D8E9F0A1B',
    component: 'HttpServerAttPlugin.dll',
    type: 0,
    priority: 2,
    text: () => 'The specified cache folder does not exist',
  },
  apache: {
    id: 'B0C1D2E3-F4A5-4B6C-8D7E-8F9A0B1C2D3E',
    component: 'HttpServerAttPlugin.dll',
    type: 0,
    priority: 1,
    text: () => 'Apache error: the HTTP server failed to start (port 1070 already in use)',
  },
  cacheFallback: {
    id: 'C8D9EAFB-0C1D-4E2F-8A3B-4C5D6E7F8091',
    component: 'HttpServerOp.dll',
    type: 1,
    priority: 1,
    text: () => 'The specified cache folder is invalid; Apache caches in %DataFolder%\\Cache\\Http instead',
  },
  updateViaRelay: {
    id: '4D5E6F70-8192-4A3B-9C4D-5E6F708192A3',
    component: 'Update.exe',
    type: 0,
    priority: 1,
    text: (relay) => `The Agent cannot connect to Server via Relay ${relay}: update download failed`,
  },
  patchViaRelay: {
    id: 'E5F60718-293A-4B4C-9D5E-6F708192A3B4',
    component: 'PatchAgent.exe',
    type: 0,
    priority: 1,
    text: (relay) => `The Agent cannot connect to Server via Relay ${relay}: patch download failed`,
  },
  updateSlow: {
    id: '92A3B4C5-D6E7-4F80-9112-23344556677A',
    component: 'Update.exe',
    type: 1,
    priority: 0,
    text: () => 'Definitions update postponed: outside the configured update window',
  },
} as const satisfies Record<string, MessageKind>;

/** SQLite application_id stamped on demo inventories ("gwdm"); the simulator writes to nothing else. */
export const DEMO_APPLICATION_ID = 0x6777646d;
