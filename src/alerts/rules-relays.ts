// The relay alerts (GFI, "LanGuard Agent Communications Workflow and Diagnostic", relay health
// errors): missed pings, cache drive and folder, Apache errors.
import { L, M } from '../metrics/names.js';
import { dur, type AlertConfig } from './config.js';
import { COUNT, type Spec } from './spec.js';

export function relayRules(c: AlertConfig): Spec[] {
  const relay = `{{ $labels.${L.relay} }}`;
  return [
    {
      alert: 'GatewatchRelayOffline',
      expr: `${M.relayUp} == 0`,
      for: c.relay.pingInterval + c.relay.offlineMargin,
      severity: 'warning',
      summary: 'A relay agent has not answered the LanGuard server ping for more than one ping cycle.',
      description:
        `Relay ${relay} did not answer the Attendant Service ping (AgentManager.dll, every ` +
        `${dur(c.relay.pingInterval)}) twice in a row; agents assigned to it cannot download through it.`,
    },
    {
      alert: 'GatewatchRelayCacheDiskLow',
      expr: `${M.relayCacheFreeBytes} < ${c.relay.cacheMinFreeBytes}`,
      for: c.relay.checkFor,
      severity: 'warning',
      summary: 'A relay cache drive has less free space than the relay needs.',
      description: `Relay ${relay} has {{ $value | humanize1024 }}B free on its cache drive (it needs at least ${c.relay.cacheMinFreeBytes / 1024 ** 3}GiB).`,
    },
    {
      alert: 'GatewatchRelayCacheFolderInvalid',
      expr: `${M.relayCacheFolderValid} == 0`,
      for: c.relay.checkFor,
      severity: 'warning',
      summary: 'A relay cache folder does not exist or is invalid.',
      description: `Relay ${relay} reports an invalid cache folder; Apache caches in the fallback %DataFolder%\\Cache\\Http instead.`,
    },
    {
      alert: 'GatewatchRelayHttpServerErrors',
      expr: `${M.relayHttpServerErrors} > 0`,
      for: c.relay.checkFor,
      severity: 'warning',
      summary: 'A relay reports errors from its Apache HTTP server.',
      description: `Relay ${relay} reports ${COUNT} HTTP server (Apache) errors; agents may fail to download through it.`,
    },
  ];
}

