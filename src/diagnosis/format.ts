// Wording of facts for check details: deterministic text, no judgement (the SQL decides statuses).
import { cite } from '../articles.js';
import type { Row } from '../inventory/datasets.js';

type Facts = Row<'diagnosis_facts'>;

export const age = (at: Date): string => `at ${at.toISOString()}`;

export function bytes(n: number): string {
  const gib = n / 1024 ** 3;
  return gib >= 1 ? `${gib.toFixed(1)} GiB` : `${(n / 1024 ** 2).toFixed(0)} MiB`;
}

export interface Reason {
  /** What the gateway recorded, in the past tense: a reason describes the moment of the denial, not now. */
  recorded: string;
  /** What to do about it; `reporter` is the gateway that recorded it. */
  remedy: (reporter: string) => string;
}

const approve = 'approve the agent on the Cloud-enabled Agents Access Troubleshooting page';
const causes = cite('itms', 'Part 1: why the Internet Gateway blocks agents');

/**
 * Access request reasons (gatewatch_AccessRequest.Reason), as the Broadcom ITMS article's Part 1 gives
 * the causes of a denial: registration not found (most often a CMDB rollback), NS and gateway not both
 * at 8.8.1, time skew, and, in its step 1 note, a gateway not registered with the NS.
 */
export const REASONS: Record<string, Reason> = {
  registration_not_found: {
    recorded: 'the gateway found no registration for the agent on the Notification Server, most often after a CMDB rollback',
    remedy: () => `If the CMDB was rolled back (disaster recovery), the agent's registration is gone: ${approve}, then wait for the next policy update (${causes}).`,
  },
  version_mismatch: {
    recorded: 'the Notification Server and the Internet Gateway were not both at 8.8.1',
    remedy: (r) => `Upgrade the Notification Server and ${r} both to 8.8.1 or later, then ${approve} (${causes}).`,
  },
  time_skew: {
    recorded: 'the clocks of agent, gateway and Notification Server were apart, so the ephemeral certificate did not validate',
    remedy: (r) => `Synchronise the agent, ${r} and the Notification Server to one time source (the agent syncs with the NS in its health reports, every 30 minutes), then ${approve} (${causes}).`,
  },
  gateway_not_registered: {
    recorded: 'the reporting gateway was not registered with the Notification Server at that time',
    remedy: (r) => `Check that ${r} is registered with the Notification Server in Internet Gateway Manager (unregistered, it rejects every ephemeral certificate), then ${approve} (${cite('itms', 'Part 1 step 1, note')}).`,
  },
  blocked: {
    recorded: 'an administrator blocked the agent on the Access Troubleshooting page',
    remedy: () => `An administrator blocked this agent: if that was a mistake, approve it on the Cloud-enabled Agents Access Troubleshooting page (${cite('itms', 'Part 1 step 2')}).`,
  },
};

/** The access request as the gateway recorded it: who reported it, why and when, never as a present fact. */
export function accessDetail(f: Facts): string {
  if (!f.AccessStatus) return 'no access request';
  const reason = f.AccessReason ? REASONS[f.AccessReason] : undefined;
  const when = f.AccessCreatedAt ? ` ${age(f.AccessCreatedAt)}` : '';
  const other = f.CurrentGateway && f.AccessReportedBy && f.CurrentGateway !== f.AccessReportedBy ? `; the agent's current gateway is ${f.CurrentGateway}` : '';
  return `${f.AccessStatus} request reported by ${f.AccessReportedBy ?? 'an unknown gateway'} with reason ${f.AccessReason ?? 'none'}${when}${reason ? ` (${reason.recorded})` : ''}${other}`;
}

/** The remedy for the recorded reason; with no request on record, the remedy of every reason. */
export function accessRemedy(f: Facts): string {
  const reason = f.AccessReason ? REASONS[f.AccessReason] : undefined;
  if (f.AccessStatus && reason) return reason.remedy(f.AccessReportedBy ?? 'the reporting gateway');
  return `Act on the reason the gateway recorded: registration_not_found (a CMDB rollback) — approve the agent; time_skew — sync agent, gateway and NS to one time source; version_mismatch — upgrade NS and gateway to 8.8.1; gateway_not_registered — register the gateway with the NS; blocked — an administrator blocked it (${causes}).`;
}
