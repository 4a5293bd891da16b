// The Prometheus alerting rules, as plain objects built from the metric contract (names.ts) and the
// settings in config.ts: one rules-*.ts per group. `npm run alerts` writes them to
// dashboards/prometheus/alerts.yml.
import { defaultConfig, type AlertConfig } from './config.js';
import { gatewayRules } from './rules-gateways.js';
import { inventoryRules } from './rules-inventory.js';
import { probeRules } from './rules-probes.js';
import { csaRules } from './rules-csa.js';
import { relayRules } from './rules-relays.js';
import { rule, type AlertRule, type RuleGroup } from './spec.js';

export { is, sel, type AlertRule, type RuleGroup, type Severity } from './spec.js';
export { spikeExpr } from './rules-gateways.js';
import { silenceRules } from './silence.js';

export function ruleGroups(config: AlertConfig = defaultConfig): RuleGroup[] {
  return [
    { name: 'gatewatch-gateways', rules: gatewayRules(config).map((s) => rule(config, s, 'gateways')) },
    { name: 'gatewatch-gateway-probes', rules: probeRules(config).map((s) => rule(config, s, 'gateways')) },
    { name: 'gatewatch-relays', rules: relayRules(config).map((s) => rule(config, s, 'relays')) },
    { name: 'gatewatch-csa', rules: csaRules(config).map((s) => rule(config, s, 'gateways')) },
    { name: 'gatewatch-inventory', rules: inventoryRules(config).map((s) => rule(config, s, 'self')) },
    { name: 'gatewatch-agents', rules: silenceRules(config).map((s) => rule(config, s, 'overview')) },
  ];
}

export function allRules(config: AlertConfig = defaultConfig): AlertRule[] {
  return ruleGroups(config).flatMap((g) => g.rules);
}
