// Alertmanager inhibit rules: while a cause fires, the alerts it explains stay quiet, so an on-call
// engineer sees the offline gateway, not five symptoms of it. Declared by alert name and checked
// against the rules (every name must exist); alertmanager.ts renders them into alertmanager.yml.
import { L } from '../metrics/names.js';
import { defaultConfig, type AlertConfig } from './config.js';
import { allRules } from './rules.js';

export interface Inhibition {
  /** The cause. */
  source: string;
  /** The alerts it explains; 'all others' = every gatewatch alert but the source. */
  targets: readonly string[] | 'all others';
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
    // One gatewatch per Alertmanager: the gateway and relay alerts aggregate away job and instance.
    equal: [],
    why: 'gatewatch blind or unscraped: every other gatewatch alert reads missing or stale data',
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
    const targets = i.targets === 'all others' ? names.filter((n) => n !== i.source) : [...i.targets];
    for (const n of [i.source, ...targets]) if (!names.includes(n)) throw new Error(`inhibit rule names no alert rule: ${n}`);
    if (targets.includes(i.source)) throw new Error(`${i.source} would inhibit itself`);
    return { source_matchers: [`alertname="${i.source}"`], target_matchers: [anyOf(targets)], ...(i.equal.length ? { equal: [...i.equal] } : {}) };
  });
}
