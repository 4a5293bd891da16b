// `gatewatch diagnose NAME|GUID [--db URL] [--json] [--all] [--probe [--probe-timeout MS]]`: one agent's
// troubleshooting checklist, answer first (render.ts); --probe adds a live TLS check of its gateway (probe.ts). Exit codes from exit-codes.ts: OK healthy, FINDING a check fails, USAGE a
// wrong argument or setting, UNAVAILABLE an unknown computer or an inventory that does not answer.
// Its flags are parsed by cli-args.ts as the other commands' are (commands.ts holds its entry).
import { existsSync } from 'node:fs';
import { LINK_ENV, withLinksFrom } from '../alerts/config.js';
import { CHECK_FLAGS, ConfigError, loadInventorySettings, loadLiveness, wholeNumber, type Flags } from '../config.js';
import { EXIT } from '../exit-codes.js';
import { closestNames, neighbourComputerNames } from '../inventory/closest.js';
import { isInventoryError } from '../inventory/errors.js';
import { isGuid, type Inventory } from '../inventory/inventory.js';
import type { Cutoffs } from '../inventory/liveness.js';
import { openInventory } from '../inventory/index.js';
import { noGateway, probeGateway, PROBE_TIMEOUT_MS, renderProbe, type ProbeResult } from './probe.js';
import { render } from './render.js';
import { diagnoseByKeys, diagnosisTime, type Diagnosis } from './run.js';

export const DIAGNOSE_FLAGS = {
  ...CHECK_FLAGS,
  json: 'boolean',
  all: 'boolean',
  'runbook-base-url': 'string',
  'late-after-hours': 'string',
  'inactive-after-days': 'string',
  probe: 'boolean',
  'probe-timeout': 'string',
} as const;

/** The computer asked for is not in the inventory: no answer, not a wrong command line. */
class UnknownComputer extends Error {}

/** The runbooks shipped beside the code (a checkout, the image): a URL that opens wherever diagnose runs. */
const LOCAL_RUNBOOKS = new URL('../../docs/runbooks.md', import.meta.url);

/**
 * The runbooks' base URL: --runbook-base-url, else GATEWATCH_RUNBOOK_BASE_URL (the one setting the alert
 * rules' runbook_url and the dashboards' links are generated from, read the same way), else the
 * runbooks shipped beside the code, else the alert rules' default.
 */
export function runbookBase(flags: Flags, env: NodeJS.ProcessEnv = process.env, local: URL = LOCAL_RUNBOOKS): string {
  const name = LINK_ENV.runbookBaseUrl;
  const flag = typeof flags['runbook-base-url'] === 'string' ? flags['runbook-base-url'] : undefined;
  if (flag === undefined && !env[name] && existsSync(local)) return local.href;
  try {
    return withLinksFrom({ [name]: flag ?? env[name] }).runbookBaseUrl;
  } catch (e) {
    throw new ConfigError(`--runbook-base-url (${name})${(e as Error).message.slice(name.length)}`);
  }
}

/** The page a verdict's runbook section opens at; null for a healthy agent. */
export const runbookUrl = (d: Diagnosis, base: string): string | null => {
  const failed = d.checks.find((c) => c.id === d.verdict);
  return failed ? `${base}#${failed.runbook}` : null;
};

/** The JSON answer: the verdict, the failing and warning check ids and the runbook at the top, for scripts; `probe` with --probe. */
export function toJson(d: Diagnosis, base: string, at: Date, probe?: ProbeResult) {
  const ids = (s: string) => d.checks.filter((c) => c.status === s).map((c) => c.id);
  return { name: d.name, guid: d.guid, verdict: d.verdict, summary: d.summary, failing: ids('FAIL'), warnings: ids('WARN'), runbookUrl: runbookUrl(d, base), at: at.toISOString(), ...(probe ? { probe } : {}), checks: d.checks };
}

/** --probe-timeout in ms (default 5000), which only goes with --probe; undefined without --probe. */
export function probeTimeout(flags: Flags): number | undefined {
  const text = flags['probe-timeout'];
  if (!flags.probe) {
    if (typeof text === 'string') throw new ConfigError('--probe-timeout goes with --probe');
    return undefined;
  }
  return typeof text === 'string' ? wholeNumber(PROBE_TIMEOUT_MS.min, PROBE_TIMEOUT_MS.max)(text, '--probe-timeout') : PROBE_TIMEOUT_MS.default;
}

/**
 * The agent's current gateway and its port, from Inv_AeX_AC_InternetGatewayDetails (dataset
 * gateway_assignments, one light look-up by the agent's GUID), chosen as diagnosis_facts.sql chooses it:
 * the current row, the first by name if there are two. Then the probe, within timeoutMs.
 */
async function probeCurrentGateway(inventory: Inventory, guid: string, timeoutMs: number): Promise<ProbeResult> {
  let rows;
  try {
    rows = await inventory.byKeys('gateway_assignments', 'ResourceGuid', [guid]);
  } catch (e) {
    if (!isInventoryError(e)) throw e;
    return noGateway(`cannot look up the current gateway: ${e.message}`);
  }
  const current = rows.filter((r) => r.Current).sort((a, b) => (a.Gateway < b.Gateway ? -1 : a.Gateway > b.Gateway ? 1 : 0))[0];
  return current ? probeGateway(current.Gateway, current.Port, timeoutMs) : noGateway();
}

/** Colour on a terminal unless NO_COLOR is set to anything (no-color.org); width the terminal's. */
export function terminal(stream: { isTTY?: boolean; columns?: number } = process.stdout, env: NodeJS.ProcessEnv = process.env) {
  const tty = Boolean(stream.isTTY);
  return { colour: tty && !env.NO_COLOR, width: tty && stream.columns ? stream.columns : 80 };
}

/** `; closest: A, B` from the computers whose names sort next to the one typed (a bounded look-up). */
async function didYouMean(inventory: Inventory, key: string, cutoffs: Cutoffs): Promise<string> {
  if (isGuid(key)) return '';
  const near = closestNames(key, await neighbourComputerNames(inventory, key, { managed: null, ...cutoffs }));
  return near.length ? `; closest: ${near.join(', ')}` : '';
}

export async function runDiagnose(
  flags: Flags,
  positionals: string[],
  out: (line: string) => void = console.log,
  err: (line: string) => void = console.error,
): Promise<number> {
  let inventory: ReturnType<typeof openInventory> | undefined;
  try {
    if (positionals.length !== 1) throw new ConfigError(`diagnose takes one computer name or GUID, got ${positionals.length} (see gatewatch diagnose --help)`);
    const key = positionals[0]!.trim();
    const settings = loadInventorySettings(flags);
    const base = runbookBase(flags);
    const t = diagnosisTime(new Date(), loadLiveness(flags));
    const timeoutMs = probeTimeout(flags);
    inventory = openInventory(settings.db, settings);
    const found = await diagnoseByKeys(inventory, isGuid(key) ? 'Guid' : 'Name', [key], t);
    if (!found.length) throw new UnknownComputer(`no computer named ${JSON.stringify(key)} in ${inventory.description}${await didYouMean(inventory, key, t.cutoffs)}`);
    if (found.length > 1) throw new ConfigError(`${found.length} computers are named ${JSON.stringify(key)}; give a GUID (${found.map((d) => d.guid).join(', ')})`);
    const d = found[0]!;
    const probe = timeoutMs === undefined ? undefined : await probeCurrentGateway(inventory, d.guid, timeoutMs);
    const term = terminal();
    if (flags.json) out(JSON.stringify(toJson(d, base, t.now, probe), null, 2));
    else for (const line of render(d, { ...term, all: Boolean(flags.all), runbookUrl: runbookUrl(d, base), probe: probe && renderProbe(probe, timeoutMs!, term) })) out(line);
    // The probe never changes the verdict or the exit code: it connects from where this command runs,
    // not from the agent, so a gateway unreachable from here may well be reachable from the Internet
    // (and the reverse); the verdict is what the inventory says the agent sees.
    return d.verdict === 'HEALTHY' ? EXIT.OK : EXIT.FINDING;
  } catch (e) {
    // A wrong argument or setting is the caller's to fix, an unknown computer or an inventory error
    // means no answer could be had; anything else is a bug, for cli.ts to report with its stack.
    if (!(e instanceof ConfigError || e instanceof UnknownComputer || isInventoryError(e))) throw e;
    err(`gatewatch: ${e.message}`);
    return e instanceof ConfigError ? EXIT.USAGE : EXIT.UNAVAILABLE;
  } finally {
    await inventory?.close();
  }
}
