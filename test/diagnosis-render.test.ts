// `gatewatch diagnose`'s text without a database: the answer first, the width and colour the terminal
// allows, passing rows only with --all; the access request worded as the gateway recorded it; the
// runbook URL from the alert rules' one setting; the JSON answer's top-level fields.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ARTICLES } from '../src/articles.js';
import { CHECKS } from '../src/diagnosis/checks.js';
import { defaultConfig } from '../src/alerts/config.js';
import { runbookBase, runbookUrl, terminal, toJson } from '../src/diagnosis/command.js';
import { accessDetail, accessRemedy, REASONS } from '../src/diagnosis/format.js';
import { render } from '../src/diagnosis/render.js';
import { wrap } from '../src/text.js';
import type { Diagnosis } from '../src/diagnosis/run.js';
import type { Status } from '../src/diagnosis/sql-parts.js';
import type { Row } from '../src/inventory/datasets.js';

const ANSI = /\x1b\[/;
const long = 'pending request reported by igw-sgp-01.corp.example with reason gateway_not_registered at 2026-12-05T10:49:40.949Z (the reporting gateway was not registered then)';

/** A diagnosis with these statuses by check id, every other check PASS. */
function diagnosis(verdict: string, statuses: Record<string, Status>): Diagnosis {
  const checks = CHECKS.map((c) => ({
    id: c.id,
    title: c.title,
    status: statuses[c.id] ?? 'PASS',
    detail: c.id === 'ACCESS_BLOCKED' ? long : `detail of ${c.id}`,
    remedy: typeof c.remedy === 'string' ? c.remedy : 'approve the agent after checking the recorded reason '.repeat(3),
    source: c.source,
    runbook: `diagnosis-${c.id.toLowerCase()}`,
  }));
  return { guid: 'F94EEBD8-3577-4BD6-942E-93900C932901', name: 'LT-AMS-001123', verdict, summary: 'healthy: no check fails', checks };
}

const failing = diagnosis('ACCESS_BLOCKED', { ACCESS_BLOCKED: 'FAIL', RELAY_CACHE_FOLDER_INVALID: 'FAIL', VERSION_TOO_OLD: 'WARN', RELAY_OFFLINE: 'NOT_APPLICABLE', BROKER_CONNECTIONS_LOW: 'UNKNOWN' });
const url = 'https://wiki.corp.example/gw#diagnosis-access_blocked';
const rowsOf = (lines: string[]) => lines.filter((l) => /^ {2}(PASS|FAIL|WARN|\?\?\?\?|n\/a ) {2}\S/.test(l));

test('the verdict comes first, then only what needs attention; --all adds the passing and not-applicable rows', () => {
  const lines = render(failing, { width: 100, colour: false, all: false, runbookUrl: url });
  assert.equal(lines[0], 'ACCESS_BLOCKED — LT-AMS-001123 (F94EEBD8-3577-4BD6-942E-93900C932901)');
  assert.equal(lines[1], 'No access request pending or blocked: FAIL (2 failing, 1 warning)');
  assert.deepEqual(rowsOf(lines).map((l) => l.slice(2, 6)), ['FAIL', 'WARN', '????', 'FAIL']);
  assert.ok(lines.includes(`runbook: ${url}`), 'the runbook is a URL, whole');
  assert.ok(lines.some((l) => l.startsWith('remedy:  approve the agent')));
  assert.ok(lines.indexOf(`runbook: ${url}`) > lines.findIndex((l) => l.startsWith('remedy:')), 'the remedy after the checks, the runbook after it');
  assert.ok(lines.includes('16 more check(s): 15 pass, 1 do not apply (--all lists them).'));
  assert.ok(lines.some((l) => l.includes(ARTICLES.itms.short) && l.includes('Part 1 step 2')), 'the source of a shown row');
  assert.ok(lines.some((l) => l.startsWith(`${ARTICLES.itms.short}: Broadcom (Symantec) ITMS article`)), 'the full title of each cited article');
  assert.ok(lines.every((l) => !/\bseed\b/i.test(l)), 'no "seed" in what an operator reads');

  const all = render(failing, { width: 100, colour: false, all: true, runbookUrl: url });
  assert.equal(rowsOf(all).length, CHECKS.length);
  assert.ok(rowsOf(all).some((l) => l.startsWith('  PASS  ')) && rowsOf(all).some((l) => l.startsWith('  n/a   ')));
  assert.ok(!all.some((l) => l.includes('--all lists them')));
});

test('lines fit the width given, wrapped at word boundaries with a hanging indent', () => {
  // The URL (46 characters) fits alone from width 46, after its label from 55.
  for (const width of [48, 60, 80, 120]) {
    for (const all of [false, true]) {
      const lines = render(failing, { width, colour: false, all, runbookUrl: 'https://w.example/rb#diagnosis-access_blocked' });
      for (const l of lines) assert.ok(l.length <= width, `width ${width}: ${JSON.stringify(l)} is ${l.length}`);
      // Rewrapped, the detail reads as it was written: no word broken, the continuation indented under the title.
      const at = lines.findIndex((l) => l.startsWith('  FAIL  No access request'));
      const cont = lines.slice(at + 1).findIndex((l) => !l.startsWith(' '.repeat(8)) || l.includes(ARTICLES.itms.short));
      const text = lines.slice(at, at + 1 + cont).map((l) => l.trim()).join(' ');
      assert.ok(text.includes(long), `width ${width}: ${text}`);
    }
  }
  const narrow = render(failing, { width: 48, colour: false, all: false, runbookUrl: 'https://w.example/rb#diagnosis-access_blocked' });
  assert.deepEqual(narrow.slice(narrow.indexOf('runbook:'), narrow.indexOf('runbook:') + 2), ['runbook:', 'https://w.example/rb#diagnosis-access_blocked']);
  assert.deepEqual(wrap('aaa bbb ccc', 7, '> '), ['> aaa', '  bbb', '  ccc']);
  assert.deepEqual(wrap('see Inv_AeX_AC_Network_Zone', 14, '    '), ['    see', '    Inv_AeX_AC', '    _Network_Z', '    one'], 'a word longer than a line is cut');
});

test('colour only when asked: bold verdict and coloured statuses on a terminal, plain text otherwise', () => {
  const plain = render(failing, { width: 80, colour: false, all: true, runbookUrl: url });
  assert.ok(plain.every((l) => !ANSI.test(l)));
  const coloured = render(failing, { width: 80, colour: true, all: true, runbookUrl: url });
  assert.ok(coloured[0]!.startsWith('\x1b[1;31mACCESS_BLOCKED\x1b[0m — LT-AMS-001123'));
  assert.ok(coloured.some((l) => l.startsWith('  \x1b[31mFAIL\x1b[0m  No access request pending or blocked')));
  assert.ok(coloured.some((l) => l.startsWith('  \x1b[32mPASS\x1b[0m  ')));
  assert.deepEqual(coloured.map((l) => l.replace(/\x1b\[[\d;]*m/g, '')), plain, 'the same text, only painted');
  const healthy = render(diagnosis('HEALTHY', {}), { width: 80, colour: true, all: false, runbookUrl: null });
  assert.ok(healthy[0]!.startsWith('\x1b[1;32mHEALTHY\x1b[0m'));
  assert.ok(!healthy.some((l) => /^(remedy|runbook):/.test(l)));

  assert.deepEqual(terminal({ isTTY: true, columns: 57 }, {}), { colour: true, width: 57 });
  assert.deepEqual(terminal({ isTTY: true, columns: 57 }, { NO_COLOR: '1' }), { colour: false, width: 57 });
  assert.deepEqual(terminal({ isTTY: true, columns: 57 }, { NO_COLOR: '' }), { colour: true, width: 57 }, 'NO_COLOR counts only when non-empty');
  assert.deepEqual(terminal({ isTTY: false, columns: 57 }, {}), { colour: false, width: 80 });
  assert.deepEqual(terminal({}, {}), { colour: false, width: 80 });
});

const facts = (over: Partial<Row<'diagnosis_facts'>>) => ({ CurrentGateway: 'igw-ams-01.corp.example', AccessStatus: null, AccessReason: null, AccessReportedBy: null, AccessCreatedAt: null, ...over }) as Row<'diagnosis_facts'>;

test('an access request reads as the gateway recorded it, and the remedy is the recorded reason\'s', () => {
  const f = facts({ AccessStatus: 'pending', AccessReason: 'gateway_not_registered', AccessReportedBy: 'igw-sgp-01.corp.example', AccessCreatedAt: new Date('2026-12-05T10:49:40.949Z') });
  const detail = accessDetail(f);
  assert.match(detail, /^pending request reported by igw-sgp-01\.corp\.example with reason gateway_not_registered at 2026-12-05T10:49:40\.949Z \(/);
  assert.match(detail, /was not registered with the Notification Server at that time/);
  assert.match(detail, /current gateway is igw-ams-01\.corp\.example$/, 'another gateway than its current one, said so');
  assert.doesNotMatch(detail, /: the gateway is not registered/, 'no present-tense claim about a gateway');
  assert.match(accessRemedy(f), /^Check that igw-sgp-01\.corp\.example is registered .* approve the agent/);
  for (const [reason, r] of Object.entries(REASONS)) {
    const remedy = accessRemedy(facts({ ...f, AccessReason: reason }));
    assert.equal(remedy, r.remedy('igw-sgp-01.corp.example'), reason);
    assert.match(remedy, new RegExp(ARTICLES.itms.short), `${reason}: cites the ITMS article`);
  }
  assert.deepEqual(Object.keys(REASONS).sort(), ['blocked', 'gateway_not_registered', 'registration_not_found', 'time_skew', 'version_mismatch']);
  assert.equal(accessDetail(facts({})), 'no access request');
  assert.match(accessRemedy(facts({})), /registration_not_found .* time_skew .* version_mismatch .* gateway_not_registered .* blocked/);
  assert.equal(accessDetail(facts({ ...f, CurrentGateway: 'igw-sgp-01.corp.example' })).includes('current gateway'), false);
});

test('every check cites its vendor article, never a file number', () => {
  const shorts = Object.values(ARTICLES).map((a) => a.short);
  for (const c of CHECKS) {
    assert.ok(shorts.some((s) => c.source.startsWith(`${s}, `)), `${c.id}: ${c.source}`);
    assert.doesNotMatch(`${c.source} ${typeof c.remedy === 'string' ? c.remedy : ''}`, /\bseed\b|below|above/i, c.id);
  }
});

test('the runbook URL: --runbook-base-url, else GATEWATCH_RUNBOOK_BASE_URL, else the alert rules\' default; JSON puts the answer on top', () => {
  assert.equal(runbookBase({ 'runbook-base-url': 'https://wiki.example/rb/' }, { GATEWATCH_RUNBOOK_BASE_URL: 'https://other.example' }), 'https://wiki.example/rb');
  assert.equal(runbookBase({}, { GATEWATCH_RUNBOOK_BASE_URL: 'https://other.example/runbooks' }), 'https://other.example/runbooks');
  assert.equal(runbookBase({}, {}), new URL('../docs/runbooks.md', import.meta.url).href, 'unset: the runbooks shipped beside the code');
  assert.equal(runbookBase({}, {}, new URL('file:///no/such/runbooks.md')), defaultConfig.runbookBaseUrl, 'none shipped: the rules\' default');
  assert.throws(() => runbookBase({ 'runbook-base-url': 'docs/runbooks.md' }, {}), /^ConfigError: --runbook-base-url \(GATEWATCH_RUNBOOK_BASE_URL\): not a URL/);
  assert.throws(() => runbookBase({}, { GATEWATCH_RUNBOOK_BASE_URL: 'https://x.example/#a' }), /without \? or #/);
  assert.equal(runbookUrl(failing, 'https://wiki.example'), 'https://wiki.example#diagnosis-access_blocked');

  const at = new Date('2026-12-08T04:00:00Z');
  const j = toJson(failing, 'https://wiki.example', at);
  assert.deepEqual(Object.keys(j).slice(0, 8), ['name', 'guid', 'verdict', 'summary', 'failing', 'warnings', 'runbookUrl', 'at']);
  assert.deepEqual(j.failing, ['ACCESS_BLOCKED', 'RELAY_CACHE_FOLDER_INVALID']);
  assert.deepEqual(j.warnings, ['VERSION_TOO_OLD']);
  assert.equal(j.runbookUrl, 'https://wiki.example#diagnosis-access_blocked');
  assert.equal(j.at, '2026-12-08T04:00:00.000Z');
  assert.equal(j.checks.length, CHECKS.length);
  assert.equal(toJson(diagnosis('HEALTHY', {}), 'https://wiki.example', at).runbookUrl, null);
});
