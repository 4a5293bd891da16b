// Alertmanager inhibit rules: while a cause fires, the alerts it explains stay quiet, so an on-call
// engineer sees the offline gateway, not five symptoms of it. Declared by alert name and checked
// against the rules (every name must exist); alertmanager.ts renders them into alertmanager.yml.
import { L } from '../metrics/names.js';
import { defaultConfig, type AlertConfig } from './config.js';
import { probeRules } from './rules-probes.js';
import { allRules } from './rules.js';

export interface Inhibition {
  /** The cause. */
  source: string;
  /** The alerts it explains; 'all others' = every gatewatch alert but the source (and but `except`). */
  targets: readonly string[] | 'all others';
  /** With 'all others': the alerts it does not explain, from the rules of the given configuration. */
  except?: (config: AlertConfig) => readonly string[];
  /** Labels that must match between cause and symptom (e.g. the same gateway); [] = any. */
  equal: readonly string[];
  why: string;
}

export const INHIBITIONS: readonly Inhibition[] = [
  {
    source: 'GatewatchGatewayOffline',
    targets: [
      'GatewatchGatewayNotRegistered',
      'GatewatchTroubleshootingModeOff',
      'GatewatchBrokerConnectionsLow',
      'GatewatchBlockedAgentSpike',
      'GatewatchAgentsAwaitingApproval',
      'GatewatchGatewayAgentsGoingSilent',
    ],
    equal: [L.gateway],
    why: 'an offline gateway explains its own registration, mode, broker connections, denials and the agents behind it going silent',
  },
  {
    source: 'GatewatchInventoryDown',
    targets: 'all others',
    // The probe alerts read blackbox_exporter's probes of the gateways, not gatewatch's inventory: an
    // unreachable gateway or an expiring certificate is still true, and still news, while gatewatch is blind.
    except: (c) => probeRules(c).map((s) => s.alert),
    // One gatewatch per Alertmanager: the gateway and relay alerts aggregate away job and instance.
    equal: [],
    why: "gatewatch blind or unscraped: every other gatewatch alert reads missing or stale data (but the gateway probes', which blackbox_exporter makes)",
  },
];

export interface InhibitRule {
  source_matchers: string[];
  target_matchers: string[];
  equal?: string[];
}

const anyOf = (names: readonly string[]) => `alertname=~"${names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')}"`;

/** The inhibit_rules section of alertmanager.yml; a name no rule defines is an error. */
export function inhibitRules(config: AlertConfig = defaultConfig, inhibitions: readonly Inhibition[] = INHIBITIONS): InhibitRule[] {
  const names = allRules(config).map((r) => r.alert);
  return inhibitions.map((i) => {
    const except = i.except?.(config) ?? [];
    if (except.length && i.targets !== 'all others') throw new Error(`${i.source}: except goes with 'all others' only`);
    const targets = i.targets === 'all others' ? names.filter((n) => n !== i.source && !except.includes(n)) : [...i.targets];
    for (const n of [i.source, ...targets, ...except]) if (!names.includes(n)) throw new Error(`inhibit rule names no alert rule: ${n}`);
    if (targets.includes(i.source)) throw new Error(`${i.source} would inhibit itself`);
    return { source_matchers: [`alertname="${i.source}"`], target_matchers: [anyOf(targets)], ...(i.equal.length ? { equal: [...i.equal] } : {}) };
  });
}
