// When each demo agent last reported, and why some stopped. Every managed computer gets one agent
// version (Inv_AeX_AC_Client_Agent) and, unless it never reported, a handful of data-class arrivals
// (ResourceUpdateSummary) whose latest is its last report. Silence is decided by SILENCE_RULES, first
// match wins: each rule is one failure situation with a cause the vendor articles describe. To add a situation,
// add a fact to AgentFacts (estate.ts fills it) and a rule here; tests see the cause via livenessOf.
import * as F from './fleet.js';
import type { Rng } from './rng.js';
import { THRESHOLDS } from '../metrics/names.js';
import type { DemoRow } from './estate.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const LATE = THRESHOLDS.reportingLateAfterHours * HOUR;
const INACTIVE = THRESHOLDS.reportingInactiveAfterDays * DAY;

/** Inventory data classes (fixed GUIDs, so every build and the simulator name the same ones). */
export const DATA_CLASSES = {
  basicInventory: { guid: '5A8F2C1E-3B4D-4E6F-8A9B-0C1D2E3F4A01', name: 'Basic Inventory' },
  clientAgent: { guid: '5A8F2C1E-3B4D-4E6F-8A9B-0C1D2E3F4A02', name: 'AeX AC Client Agent' },
  networkZone: { guid: '5A8F2C1E-3B4D-4E6F-8A9B-0C1D2E3F4A03', name: 'AeX AC Network Zone' },
  gatewayDetails: { guid: '5A8F2C1E-3B4D-4E6F-8A9B-0C1D2E3F4A04', name: 'AeX AC Internet Gateway Details' },
} as const;

/** The core agent's row names; agents upgraded from 8.7 keep the old name. Plug-ins have rows too. */
export const CORE_AGENT_NAMES = ['Symantec Management Agent', 'Altiris Agent'] as const;
export const INVENTORY_PLUGIN = 'Altiris Inventory Agent';

/** Ephemeral certificates need NS, gateway and agent at 8.8.1 or later (Broadcom ITMS CEM article, Scope). */
export const EPHEMERAL_MIN_VERSION = '8.8.1';
export const AGENT_VERSIONS: readonly (readonly [string, number])[] = [
  ['8.7.1.3155', 4],
  ['8.7.2.4082', 8],
  ['8.8.0.3601', 16],
  ['8.8.1.4187', 27],
  ['8.8.1.4231', 45],
];

const compared = new Map<string, boolean>();

/** Numeric comparison of dotted versions ('8.10' is after '8.9'); memoized, as a fleet has few versions. */
export function versionAtLeast(version: string, min: string): boolean {
  const key = `${version}>=${min}`;
  let known = compared.get(key);
  if (known === undefined) compared.set(key, (known = compare(version, min)));
  return known;
}

function compare(version: string, min: string): boolean {
  const a = version.split('.').map(Number);
  const b = min.split('.').map(Number);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d > 0;
  }
  return true;
}

/** The gateway whose agents lost their registrations in the CMDB rollback (access requests name it). */
export const ROLLBACK_GATEWAY = F.GATEWAYS[0]!.name;
/** How long ago the CMDB was rolled back: its agents went silent then, so they read LATE. */
export const ROLLBACK_AGE_MS = 2 * DAY;

export interface AgentFacts {
  laptop: boolean;
  onInternet: boolean;
  /** The current Internet Gateway's name, when on the Internet. */
  gateway: string | null;
  auth: (typeof F.AUTH_TYPES)[number] | 'none';
  version: string;
}

export interface SilenceRule {
  cause: string;
  applies: (f: AgentFacts) => boolean;
  /** Share of the agents it applies to that are silent. */
  chance: number;
  /** How long ago the last report was, [min, max) in ms; null = never reported. */
  silentFor: readonly [number, number] | null;
}

export const SILENCE_RULES: readonly SilenceRule[] = [
  // Pushed, but the first inventory never arrived (blocked port, broken install).
  { cause: 'never-reported', applies: () => true, chance: 0.02, silentFor: null },
  // Ephemeral-certificate agents the gateway cannot find in the rolled-back CMDB (Broadcom ITMS CEM article, Part 1).
  { cause: 'rollback', applies: (f) => f.onInternet && f.gateway === ROLLBACK_GATEWAY && (f.auth === 'ephemeral' || f.auth === 'both'), chance: 0.4, silentFor: [ROLLBACK_AGE_MS, ROLLBACK_AGE_MS + 6 * HOUR] },
  // An ephemeral-only policy on an agent older than 8.8.1: it cannot make the certificate.
  { cause: 'ephemeral-old-agent', applies: (f) => f.auth === 'ephemeral' && !versionAtLeast(f.version, EPHEMERAL_MIN_VERSION), chance: 0.9, silentFor: [LATE, 3 * INACTIVE] },
  // Desktops switched off or decommissioned without being retired in the console.
  { cause: 'lan-switched-off', applies: (f) => !f.onInternet && !f.laptop, chance: 0.06, silentFor: [INACTIVE, 120 * DAY] },
  // Laptops in a drawer over a holiday.
  { cause: 'laptop-away', applies: (f) => f.laptop, chance: 0.04, silentFor: [LATE, 2 * INACTIVE] },
  { cause: 'stale', applies: () => true, chance: 0.01, silentFor: [LATE, 60 * DAY] },
];

export interface Liveness {
  /** null: the agent never reported. */
  lastReport: Date | null;
  /** The SILENCE_RULES cause, or 'healthy'. */
  cause: string;
}

export function livenessOf(rng: Rng, f: AgentFacts, now: Date): Liveness {
  for (const rule of SILENCE_RULES) {
    if (!rule.applies(f) || !rng.chance(rule.chance)) continue;
    if (!rule.silentFor) return { lastReport: null, cause: rule.cause };
    return { lastReport: new Date(now.getTime() - rng.int(rule.silentFor[0], rule.silentFor[1] - 1)), cause: rule.cause };
  }
  // Most agents sent something within the last few hours; none is close to LATE.
  const ago = rng.chance(0.7) ? rng.int(MIN, 4 * HOUR) : rng.int(4 * HOUR, Math.floor(0.75 * LATE));
  return { lastReport: new Date(now.getTime() - ago), cause: 'healthy' };
}

export function pickVersion(rng: Rng): string {
  return rng.weighted(AGENT_VERSIONS);
}

/**
 * The agent's rows: its core agent (and, for some, the inventory plug-in) with its version, and one
 * ResourceUpdateSummary row per data class, the newest at `lastReport`. A never-reported agent has none.
 */
export function* reportRows(rng: Rng, guid: string, version: string, hasGatewayDetails: boolean, live: Liveness): Generator<DemoRow> {
  if (!live.lastReport) return;
  const coreName = versionAtLeast(version, '8.8') ? CORE_AGENT_NAMES[0] : CORE_AGENT_NAMES[1];
  yield { table: 'Inv_AeX_AC_Client_Agent', row: { _ResourceGuid: guid, 'Agent Name': coreName, 'Product Version': version } };
  if (rng.chance(0.3)) yield { table: 'Inv_AeX_AC_Client_Agent', row: { _ResourceGuid: guid, 'Agent Name': INVENTORY_PLUGIN, 'Product Version': version } };
  const classes: { guid: string }[] = [DATA_CLASSES.basicInventory, DATA_CLASSES.clientAgent, DATA_CLASSES.networkZone];
  if (hasGatewayDetails) classes.push(DATA_CLASSES.gatewayDetails);
  const newest = rng.int(0, classes.length - 1);
  const last = live.lastReport.getTime();
  for (const [i, c] of classes.entries()) {
    const at = i === newest ? last : last - rng.int(10 * MIN, 30 * HOUR);
    yield { table: 'ResourceUpdateSummary', row: { ResourceGuid: guid, InventoryClassGuid: c.guid, ModifiedDate: new Date(at) } };
  }
}
