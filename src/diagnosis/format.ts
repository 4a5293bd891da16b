// Wording of facts for check details: deterministic text, no judgement (the SQL decides statuses).
export const age = (at: Date): string => `at ${at.toISOString()}`;

export function bytes(n: number): string {
  const gib = n / 1024 ** 3;
  return gib >= 1 ? `${gib.toFixed(1)} GiB` : `${(n / 1024 ** 2).toFixed(0)} MiB`;
}
