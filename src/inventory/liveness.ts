// Agent liveness: when an agent last reported (MAX(ResourceUpdateSummary.ModifiedDate)) read against
// two cutoffs. The datasets take the cutoffs as datetime parameters computed here from "now" in UTC,
// so the SQL never does date arithmetic (which SQLite and T-SQL spell differently) and every reader —
// GraphQL, the exporter — classifies an agent the same way for the same thresholds.
import { THRESHOLDS, VALUES } from '../metrics/names.js';

/** REPORTING: last report newer than the late cutoff; LATE: newer than the inactive one; NEVER: no row. */
export const REPORTING_STATES = VALUES.state;
export type ReportingState = (typeof REPORTING_STATES)[number];
/** The states of an agent that is not reporting. */
export const SILENT_STATES: readonly ReportingState[] = VALUES.silent;

export interface LivenessThresholds {
  lateAfterHours: number;
  inactiveAfterDays: number;
}

export const DEFAULT_LIVENESS: LivenessThresholds = {
  lateAfterHours: THRESHOLDS.reportingLateAfterHours,
  inactiveAfterDays: THRESHOLDS.reportingInactiveAfterDays,
};

const HOUR = 3_600_000;

/** Why these thresholds cannot classify anything, or undefined when they can. */
export function livenessProblem(t: LivenessThresholds): string | undefined {
  if (!(t.lateAfterHours > 0) || !(t.inactiveAfterDays > 0)) return 'thresholds must be positive';
  if (t.inactiveAfterDays * 24 <= t.lateAfterHours) {
    return `inactive after ${t.inactiveAfterDays} days is not later than late after ${t.lateAfterHours} hours, so no agent could be LATE`;
  }
  return undefined;
}

/** The parameters every liveness dataset takes: a report at or after a cutoff is newer than it. */
export interface Cutoffs {
  lateSince: Date;
  inactiveSince: Date;
}

/** The parameters bound on every read, filter or not: they classify rows, and filter none on their own. */
export const CUTOFF_PARAMS: ReadonlySet<string> = new Set<keyof Cutoffs>(['lateSince', 'inactiveSince']);

export function livenessCutoffs(now: Date, t: LivenessThresholds = DEFAULT_LIVENESS): Cutoffs {
  return {
    lateSince: new Date(now.getTime() - t.lateAfterHours * HOUR),
    inactiveSince: new Date(now.getTime() - t.inactiveAfterDays * 24 * HOUR),
  };
}

/** One bit per state, as the SQL's CASE numbers them: a set of states is one int parameter. */
export const STATE_BIT: Record<ReportingState, number> = { reporting: 1, late: 2, inactive: 4, never: 8 };

/** The `reportingStates` parameter: null (no filter) for no list; 0 for an empty list (nothing matches). */
export function stateMask(states: readonly ReportingState[] | null | undefined): number | null {
  if (states == null) return null;
  return states.reduce((m, s) => m | STATE_BIT[s], 0);
}

/** The state of one last report, as the SQL computes it (tests compare the two). */
export function stateOf(lastReport: Date | null, c: Cutoffs): ReportingState {
  if (lastReport === null) return 'never';
  if (lastReport >= c.lateSince) return 'reporting';
  return lastReport >= c.inactiveSince ? 'late' : 'inactive';
}
