// `gatewatch check --csa-broker-log DIR`: reads the newest BrokerService*.log in DIR with the same code
// `serve` follows it with, and says what gatewatch made of it: lines, requests per CSA and feature,
// rejected lines by reason and the first of them, so an admin can hold the parser against real files.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadCsaSettings, type Flags } from '../config.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { BrokerCounts } from './counts.js';
import { DEFAULT_PATTERN, DirTail } from './tail.js';

const SHOWN_REJECTS = 10;

export async function runBrokerLogCheck(flags: Flags, print: (line: string) => void = console.log): Promise<ExitCode> {
  const settings = loadCsaSettings(flags);
  if (!settings) return EXIT.USAGE;
  const { dir, zone } = settings;
  const files = readdirSync(dir)
    .filter((n) => DEFAULT_PATTERN.test(n))
    .map((name) => ({ name, st: statSync(join(dir, name), { throwIfNoEntry: false }) }))
    .filter((f) => f.st?.isFile())
    .sort((a, b) => b.st!.mtimeMs - a.st!.mtimeMs);
  const newest = files[0];
  if (!newest) {
    print(`CSA broker log: no BrokerService*.log file in ${dir} (the core writes BrokerService.log in its log folder).`);
    return EXIT.FINDING;
  }
  const counts = new BrokerCounts(zone, Date.now, SHOWN_REJECTS);
  const only = new RegExp(`^${newest.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  const tail = new DirTail(dir, { line: (b) => counts.line(b), dropped: (r) => counts.dropped(r), bytes: (n) => (counts.bytes += n) }, only);
  // A poll reads at most 16 MiB: poll until a poll adds nothing.
  for (let before = -1; before !== counts.bytes; ) {
    before = counts.bytes;
    const r = await tail.poll();
    if (!r.ok) {
      print(`CSA broker log: cannot read ${dir}: ${r.error}`);
      return EXIT.UNAVAILABLE;
    }
  }
  // The reader keeps an unfinished last line pending; say so rather than let it vanish from the count.
  const unfinished = tail.pendingBytes > 0;
  const rejected = Object.entries(counts.rejected).filter(([, n]) => n > 0);
  const totalRejected = rejected.reduce((a, [, n]) => a + n, 0);
  const perCsa = [...counts.requests].map(([csa, byFeature]) => `${csa} (${[...byFeature].map(([f, n]) => `${f} ${n}`).join(', ')})`);
  const last = [...counts.lastRequest].map(([csa, at]) => `${csa} ${new Date(at).toISOString()}`);
  print(`CSA broker log ${join(dir, newest.name)} (newest of ${files.length} BrokerService*.log), local times read in ${zone}:`);
  print(`  lines:    ${counts.lines} (${counts.bytes} bytes)${unfinished ? '; the last line has no line break yet and is not counted' : ''}`);
  print(`  requests: ${counts.parsed}${perCsa.length ? ` — ${perCsa.join('; ')}` : ''}`);
  if (last.length) print(`  last request (UTC): ${last.join('; ')}`);
  print(`  rejected: ${totalRejected}${rejected.length ? ` — ${rejected.map(([r, n]) => `${r} ${n}`).join(', ')}` : ''}`);
  if (counts.samples.length) {
    print(`  first rejected lines:`);
    for (const s of counts.samples) print(`    line ${s.lineNumber} ${s.reason}: ${JSON.stringify(s.line)}`);
  }
  print('docs/csa-broker-log.md says what each reason means and which spellings are read.');
  return totalRejected || !counts.parsed ? EXIT.FINDING : EXIT.OK;
}
