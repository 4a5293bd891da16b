// `gatewatch diagnose NAME|GUID [--db URL] [--json]`: one agent's troubleshooting checklist, the remedy
// and runbook of its first failure. Exit 0 healthy, 1 a check fails, 2 the diagnosis could not be made.
// Its flags are parsed by cli-args.ts as the other commands' are (commands.ts holds its entry).
import { CHECK_FLAGS, ConfigError, loadInventorySettings, loadLiveness, type Flags } from '../config.js';
import { isGuid } from '../inventory/inventory.js';
import { openInventory } from '../inventory/index.js';
import { diagnoseByKeys, diagnosisTime, type Diagnosis } from './run.js';
import type { Status } from './sql-parts.js';

const RUNBOOKS = 'docs/runbooks.md';

export const DIAGNOSE_FLAGS = { ...CHECK_FLAGS, json: 'boolean', 'late-after-hours': 'string', 'inactive-after-days': 'string' } as const;

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
    const t = diagnosisTime(new Date(), loadLiveness(flags));
    inventory = openInventory(settings.db, settings);
    const found = await diagnoseByKeys(inventory, isGuid(key) ? 'Guid' : 'Name', [key], t);
    if (!found.length) throw new ConfigError(`no computer named ${JSON.stringify(key)} in ${inventory.description}`);
    if (found.length > 1) throw new ConfigError(`${found.length} computers are named ${JSON.stringify(key)}; give a GUID (${found.map((d) => d.guid).join(', ')})`);
    const d = found[0]!;
    if (flags.json) out(JSON.stringify({ ...d, at: t.now.toISOString() }, null, 2));
    else for (const line of render(d, Boolean(process.stdout.isTTY) && !process.env.NO_COLOR)) out(line);
    return d.verdict === 'HEALTHY' ? 0 : 1;
  } catch (e) {
    err(`gatewatch: ${(e as Error).message}`);
    return 2;
  } finally {
    await inventory?.close();
  }
}

const COLOUR: Record<Status, string> = { PASS: '32', FAIL: '31', WARN: '33', UNKNOWN: '35', NOT_APPLICABLE: '2' };
const LABEL: Record<Status, string> = { PASS: 'PASS', FAIL: 'FAIL', WARN: 'WARN', UNKNOWN: '????', NOT_APPLICABLE: 'n/a ' };

export function render(d: Diagnosis, colour: boolean): string[] {
  const paint = (s: Status, text: string) => (colour ? `\x1b[${COLOUR[s]}m${text}\x1b[0m` : text);
  const lines = [`${d.name} (${d.guid})`, `verdict: ${d.verdict} — ${d.summary}`, ''];
  for (const c of d.checks) lines.push(`  ${paint(c.status, LABEL[c.status])}  ${c.title}: ${c.detail}   [${c.source}]`);
  const failed = d.checks.find((c) => c.id === d.verdict);
  if (failed) lines.push('', `remedy:  ${failed.remedy}`, `runbook: ${RUNBOOKS}#${failed.runbook}`);
  return lines;
}
