// What to suggest when a name matched nothing: operators type host names from memory, from a ticket or
// from a console that spells them differently ("igw-fra-01" for igw-fra-01.corp.example, a digit
// swapped in lt-ams-001005). A miss costs a bounded look-up of its neighbours, never a scan.
import type { Params } from './datasets.js';
import type { Inventory } from './inventory.js';

/** Case-insensitive Levenshtein distance: SQL Server's default collation would not tell case apart either. */
export function editDistance(a: string, b: string): number {
  const x = a.toUpperCase();
  const y = b.toUpperCase();
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    for (let j = 1; j <= y.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[y.length]!;
}

/** The part of a host name before its first dot: what consoles and tickets usually show. */
export const shortHostName = (name: string): string => name.split('.', 1)[0]!;

/**
 * Up to `max` candidates nearest `name`, nearest first; a host name's short form counts as much as
 * its full name. Far-off names (more than about half the name changed) are no help and are left out.
 */
export function closestNames(name: string, candidates: Iterable<string>, max = 5): string[] {
  const limit = Math.max(2, Math.ceil(name.length / 2));
  const scored = new Map<string, number>();
  for (const c of candidates) {
    const d = Math.min(editDistance(name, c), editDistance(name, shortHostName(c)));
    if (d <= limit) scored.set(c, Math.min(d, scored.get(c) ?? Infinity));
  }
  return [...scored].sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0])).slice(0, max).map(([c]) => c);
}

/** The lowest GUID: a keyset bound that is valid as a UNIQUEIDENTIFIER on SQL Server too. */
const NO_GUID = '00000000-0000-0000-0000-000000000000';

/**
 * Names of the computers that sort just before and just after `name` (case-insensitively on both
 * engines), managed or not: two keyset pages of `around` rows on the name index. Typing errors near
 * the end of a name (the usual kind: a digit) land among them.
 */
export async function neighbourComputerNames(
  inventory: Inventory,
  name: string,
  params: Params<'computers'>,
  around = 10,
): Promise<string[]> {
  const key = [name, NO_GUID];
  const [before, after] = await Promise.all([
    inventory.page('computers', params, { order: 'NAME', direction: 'ASC', last: around, before: key, columns: ['Name'] }),
    inventory.page('computers', params, { order: 'NAME', direction: 'ASC', first: around, after: key, columns: ['Name'] }),
  ]);
  return [...before.rows, ...after.rows].map((r) => r.Name);
}
