// Wording of facts for check details: deterministic text, no judgement (the SQL decides statuses).
export const age = (at: Date): string => `at ${at.toISOString()}`;

export function bytes(n: number): string {
  const gib = n / 1024 ** 3;
  return gib >= 1 ? `${gib.toFixed(1)} GiB` : `${(n / 1024 ** 2).toFixed(0)} MiB`;
}

/** Access request reasons (gatewatch_AccessRequest.Reason) as seed 001 explains them. */
export const REASONS: Record<string, string> = {
  registration_not_found: 'registration not found (a CMDB rollback?)',
  time_skew: 'time skew between agent, gateway and Notification Server',
  version_mismatch: 'version mismatch (NS and gateway not both at 8.8.1)',
  gateway_not_registered: 'the gateway is not registered with the NS',
  blocked: 'blocked by an administrator',
};
