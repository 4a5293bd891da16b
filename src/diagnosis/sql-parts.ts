// The parameters the checks' SQL uses beyond the facts dataset's own, and the portable dotted-version
// comparison. Thresholds come from THRESHOLDS and are bound, never written into SQL text.
import type { BoundParam } from '../inventory/driver.js';
import { THRESHOLDS } from '../metrics/names.js';

export const STATUSES = ['PASS', 'FAIL', 'WARN', 'UNKNOWN', 'NOT_APPLICABLE'] as const;
export type Status = (typeof STATUSES)[number];

/**
 * LIKE patterns matching every dotted version below `min`: for each part, the smaller values after
 * the same prefix ('8.7' and '8.7.%' below '8.8.1'), and the bare prefixes ('8', '8.8'). SQLite has no
 * PARSENAME and T-SQL no INSTR, but both have LIKE, and '.' and digits are not special to either.
 */
export function versionsBelow(min: string): string[] {
  const parts = min.split('.').map(Number);
  if (!parts.length || parts.some((p) => !Number.isInteger(p) || p < 0)) throw new Error(`not a dotted version: ${min}`);
  const out: string[] = [];
  parts.forEach((part, i) => {
    const prefix = parts.slice(0, i).join('.');
    if (i > 0) out.push(prefix);
    for (let v = 0; v < part; v++) {
      const head = i > 0 ? `${prefix}.${v}` : String(v);
      out.push(head, `${head}.%`);
    }
  });
  return out;
}

const lit = (s: Status) => `'${s}'`;
/** CASE WHEN c1 THEN s1 ... ELSE otherwise END, over the facts' columns. */
export const cases = (arms: readonly (readonly [string, Status])[], otherwise: Status): string =>
  `CASE ${arms.map(([c, s]) => `WHEN ${c} THEN ${lit(s)}`).join(' ')} ELSE ${lit(otherwise)} END`;

export const EPHEMERAL = `[AuthType] IN ('ephemeral', 'both')`;
export const EPHEMERAL_ONLY = `[AuthType] = 'ephemeral'`;
/** Gateway checks apply to agents on the Internet through a gateway gatewatch knows; relay checks to agents with a relay. */
export const onInternet = [['[IsOnInternet] = 0', 'NOT_APPLICABLE']] as const;
export const viaGateway = [...onInternet, ['[CurrentGateway] IS NULL', 'NOT_APPLICABLE'], ['[GatewayKnown] = 0', 'UNKNOWN']] as const;
export const viaRelay = [['[HasRelay] = 0', 'NOT_APPLICABLE'], ['[Relay] IS NULL', 'UNKNOWN']] as const;

const PATTERNS = versionsBelow(THRESHOLDS.ephemeralMinVersion);
const patternName = (i: number) => `dxVer${i}`;

/** SQL: the version in `column` is below THRESHOLDS.ephemeralMinVersion (NULL when the column is). */
export function below(column: string): string {
  return `(${PATTERNS.map((_, i) => `${column} LIKE @${patternName(i)}`).join(' OR ')})`;
}

/** Every parameter the checks' SQL names besides the facts dataset's: bound once per statement. */
export function checkParams(now: Date): BoundParam[] {
  return [
    { name: 'dxNow', type: 'datetime', value: now },
    { name: 'dxMinCacheFreeBytes', type: 'int', value: THRESHOLDS.relayCacheMinFreeBytes },
    ...PATTERNS.map((value, i): BoundParam => ({ name: patternName(i), type: 'string', value })),
  ];
}
