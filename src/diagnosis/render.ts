// `gatewatch diagnose` as text: the answer first (computer, verdict, summary), then what is wrong
// (FAIL, WARN, UNKNOWN rows), the remedy and the runbook URL; passing and not-applicable rows only with
// --all. Everything the terminal decides (width, colour) is passed in, so tests can render for any.
import { citedArticles } from '../articles.js';
import type { CheckResult, Diagnosis } from './run.js';
import type { Status } from './sql-parts.js';
import { wrap } from '../text.js';

export interface RenderOptions {
  /** Lines are wrapped at word boundaries to this many characters (a URL is never broken). */
  width: number;
  /** ANSI colours and bold; off when not a terminal or NO_COLOR is set. */
  colour: boolean;
  /** Also the PASS and NOT_APPLICABLE rows. */
  all: boolean;
  /** Where the verdict's runbook section opens; null when healthy. */
  runbookUrl: string | null;
  /** The `probe:` section (--probe, probe.ts renders it), shown after the checks. */
  probe?: readonly string[];
}

const COLOUR: Record<Status, string> = { PASS: '32', FAIL: '31', WARN: '33', UNKNOWN: '35', NOT_APPLICABLE: '2' };
const LABEL: Record<Status, string> = { PASS: 'PASS', FAIL: 'FAIL', WARN: 'WARN', UNKNOWN: '????', NOT_APPLICABLE: 'n/a ' };
/** Rows shown without --all: what needs attention, or could not be told. */
const ATTENTION: readonly Status[] = ['FAIL', 'WARN', 'UNKNOWN'];
const ROW_INDENT = ' '.repeat(8);

export function render(d: Diagnosis, o: RenderOptions): string[] {
  const sgr = (codes: string, text: string) => (o.colour ? `\x1b[${codes}m${text}\x1b[0m` : text);
  const healthy = d.verdict === 'HEALTHY';
  // The head line's plain text is wrapped first, then painted, so escapes never count toward the width.
  const head = wrap(`${d.verdict} — ${d.name} (${d.guid})`, o.width);
  head[0] = sgr(healthy ? '1;32' : '1;31', d.verdict) + head[0]!.slice(d.verdict.length);
  const lines = [...head, ...wrap(summary(d), o.width, '', '  ')];

  const shown = d.checks.filter((c) => o.all || ATTENTION.includes(c.status));
  if (shown.length) lines.push('');
  for (const c of shown) lines.push(...row(c, o, sgr));
  if (o.probe?.length) lines.push('', ...o.probe);

  const failed = d.checks.find((c) => c.id === d.verdict);
  if (failed) lines.push('', ...wrap(failed.remedy, o.width, 'remedy:  '));
  // A URL is never broken (it would no longer open): when it does not fit after the label, it gets its own line.
  if (o.runbookUrl) lines.push(...(`runbook: ${o.runbookUrl}`.length <= o.width ? [`runbook: ${o.runbookUrl}`] : ['runbook:', o.runbookUrl]));

  const hidden = d.checks.length - shown.length;
  if (hidden) {
    const pass = d.checks.filter((c) => c.status === 'PASS').length;
    const parts = [pass ? `${pass} pass` : '', hidden - pass ? `${hidden - pass} do not apply` : ''].filter(Boolean);
    lines.push('', ...wrap(`${hidden} more check(s): ${parts.join(', ')} (--all lists them).`, o.width));
  }
  const articles = citedArticles(shown.map((c) => c.source));
  if (articles.length) lines.push('', ...articles.flatMap((a) => wrap(`${a.short}: ${a.title}`, o.width, '', '  ').map((l) => sgr('2', l))));
  return lines;
}

/** One line: the verdict's check and how many others need attention (its detail is in its row below). */
function summary(d: Diagnosis): string {
  const failed = d.checks.find((c) => c.id === d.verdict);
  if (!failed) return d.summary;
  const n = (s: Status) => d.checks.filter((c) => c.status === s).length;
  const fails = n('FAIL');
  const warns = n('WARN');
  const more = [fails > 1 ? `${fails} failing` : '', warns ? `${warns} warning${warns > 1 ? 's' : ''}` : ''].filter(Boolean);
  return `${failed.title}: FAIL${more.length ? ` (${more.join(', ')})` : ''}`;
}

/** `  FAIL  Title: detail`, wrapped under the title, then its source on its own indented line. */
function row(c: CheckResult, o: RenderOptions, sgr: (codes: string, text: string) => string): string[] {
  const label = `  ${LABEL[c.status]}  `;
  const text = wrap(`${c.title}: ${c.detail}`, o.width, label, ROW_INDENT);
  text[0] = `  ${sgr(COLOUR[c.status], LABEL[c.status])}  ${text[0]!.slice(label.length)}`;
  return [...text, ...wrap(c.source, o.width, ROW_INDENT).map((l) => sgr('2', l))];
}
