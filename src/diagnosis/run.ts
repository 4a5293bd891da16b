// Runs the checklist through the Inventory. Every statement is generated from CHECKS: the per-agent
// view selects one status column per check plus the verdict, the fleet view counts the same verdict
// CASE per value, and the verdict filter selects the keys whose verdict CASE equals a parameter.
import type { Params } from '../inventory/datasets.js';
import type { Dialect } from '../inventory/driver.js';
import type { Inventory, Restriction } from '../inventory/inventory.js';
import { DEFAULT_LIVENESS, livenessCutoffs, type Cutoffs, type LivenessThresholds } from '../inventory/liveness.js';
import { THRESHOLDS } from '../metrics/names.js';
import { CHECKS, FLEET_VERDICTS, runbookAnchor, type Check, type Facts } from './checks.js';
import { checkParams, STATUSES, type Status } from './sql-parts.js';

export interface CheckResult {
  id: string;
  title: string;
  status: Status;
  detail: string;
  remedy: string;
  source: string;
  /** Anchor of its section of the runbooks (docs/runbooks.md); the CLI joins it to the runbook base URL. */
  runbook: string;
}

export interface Diagnosis {
  guid: string;
  name: string;
  verdict: string;
  summary: string;
  checks: CheckResult[];
}

export interface VerdictCount {
  verdict: string;
  count: number;
}

/** When the diagnosis is made: the clock reading and the liveness cutoffs from it. */
export interface DiagnosisTime {
  now: Date;
  cutoffs: Cutoffs;
}

export function diagnosisTime(now: Date, liveness: LivenessThresholds = DEFAULT_LIVENESS): DiagnosisTime {
  return { now, cutoffs: livenessCutoffs(now, liveness) };
}

const statusColumn = (c: Check) => `Status_${c.id}`;
const VERDICT = 'Verdict';

/** The verdict: the id of the first check whose status is FAIL, in CHECKS order. */
export function verdictSql(): string {
  const arms = CHECKS.filter((c) => !c.informational).map((c) => `WHEN (${c.status}) = 'FAIL' THEN '${c.id}'`);
  return `CASE ${arms.join(' ')} ELSE 'HEALTHY' END`;
}

const factsParams = (t: DiagnosisTime): Params<'diagnosis_facts'> => ({ ...t.cutoffs, minBrokerConnections: THRESHOLDS.minBrokerConnectionsPerCore });

/** Diagnoses of the computers whose Guid (or Name) is one of `keys`: one statement per 2,000 keys. */
export async function diagnoseByKeys(inventory: Inventory, column: 'Guid' | 'Name', keys: readonly string[], t: DiagnosisTime): Promise<Diagnosis[]> {
  if (!keys.length) return [];
  const columns = [...CHECKS.map((c) => ({ name: statusColumn(c), sql: c.status })), { name: VERDICT, sql: verdictSql() }];
  const rows = await inventory.derive('diagnosis_facts', factsParams(t), { columns, params: checkParams(t.now), keys: { column, values: keys } });
  return rows.map(({ row, computed }) => diagnosis(row, computed));
}

function diagnosis(f: Facts, computed: Record<string, unknown>): Diagnosis {
  const checks = CHECKS.map((c): CheckResult => {
    const raw = String(computed[statusColumn(c)]);
    const status = (STATUSES as readonly string[]).includes(raw) ? (raw as Status) : 'UNKNOWN';
    const detail = status === 'NOT_APPLICABLE' && !c.informational ? `does not apply: ${whyNotApplicable(c, f)}` : c.detail(f, status);
    return { id: c.id, title: c.title, status, detail, remedy: typeof c.remedy === 'function' ? c.remedy(f) : c.remedy, source: c.source, runbook: runbookAnchor(c.id) };
  });
  const verdict = String(computed[VERDICT]);
  const failed = checks.find((c) => c.id === verdict);
  const warnings = checks.filter((c) => c.status === 'WARN').length;
  const summary = failed
    ? `${failed.title}: FAIL — ${failed.detail}`
    : `healthy: no check fails${warnings ? ` (${warnings} warning${warnings > 1 ? 's' : ''})` : ''}`;
  return { guid: f.Guid, name: f.Name, verdict, summary, checks };
}

function whyNotApplicable(c: Check, f: Facts): string {
  if (c.id.startsWith('RELAY_')) return 'no relay, updates come from the server';
  if (!f.IsOnInternet) return 'on the LAN';
  if (!f.CurrentGateway) return 'no current gateway';
  return `the agent uses ${f.AuthType} certificates`;
}

/**
 * The fleet count runs as one GROUP BY per slice of GUIDs (the first slice has no lower bound, the last
 * no upper one, so together they cover every value once). At 1,000,000 computers the whole count is
 * ~40 s of one SQLite worker; a slice is a few seconds, so the background's other aggregates get the
 * heavy lane in between and never age out behind it. Each slice seeks its GUID range on the computers
 * table, which also makes the whole count cheaper than one statement (9.9 s → 3.3 s at 200,000).
 * The boundaries step the GUID's most significant digit in the database's own order: SQLite compares
 * the text, SQL Server's uniqueidentifier compares the last group first.
 */
export function sliceBoundaries(dialect: Dialect): string[] {
  const digits = [...'123456789ABCDEF'];
  return dialect === 'mssql'
    ? digits.map((d) => `00000000-0000-0000-0000-${d}00000000000`)
    : digits.map((d) => `${d}0000000-0000-0000-0000-000000000000`);
}
export const FLEET_SLICES = sliceBoundaries('sqlite').length + 1;

/**
 * Managed agents per verdict, every fleet verdict present (0 when none): FLEET_SLICES GROUP BY
 * statements, one after the other. The GraphQL summary and the metric read it through here, so it can
 * be swapped for a cached snapshot.
 */
export async function fleetVerdicts(inventory: Inventory, t: DiagnosisTime): Promise<VerdictCount[]> {
  const counts = new Map<string, number>();
  const boundaries = sliceBoundaries(inventory.dialect);
  for (let i = 0; i < FLEET_SLICES; i++) {
    const lo = boundaries[i - 1];
    const hi = boundaries[i];
    const rows = await inventory.tally('diagnosis_facts', factsParams(t), {
      columns: [{ name: VERDICT, sql: verdictSql() }],
      params: [
        ...checkParams(t.now),
        ...(lo ? [{ name: '__sliceFrom', type: 'guid' as const, value: lo }] : []),
        ...(hi ? [{ name: '__sliceTo', type: 'guid' as const, value: hi }] : []),
      ],
      where: ['q.[IsManaged] = 1', ...(lo ? ['q.[Guid] >= @__sliceFrom'] : []), ...(hi ? ['q.[Guid] < @__sliceTo'] : [])].join(' AND '),
      groupBy: [VERDICT],
    });
    for (const r of rows) counts.set(String(r[VERDICT]), (counts.get(String(r[VERDICT])) ?? 0) + Number(r.Count));
  }
  return FLEET_VERDICTS.map((verdict) => ({ verdict, count: counts.get(verdict) ?? 0 }));
}

/** Restricts a computers page to the agents with this verdict (the `verdict` filter). */
export function verdictRestriction(verdict: string, t: DiagnosisTime): Restriction {
  return {
    column: 'Guid',
    dataset: 'diagnosis_facts',
    params: factsParams(t),
    key: 'Guid',
    condition: `(${verdictSql()}) = @dxVerdict`,
    conditionParams: [...checkParams(t.now), { name: 'dxVerdict', type: 'string', value: verdict }],
  };
}
