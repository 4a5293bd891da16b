// `gatewatch demo --out PATH` replaces only a gatewatch demo file or creates a new regular file;
// anything else at PATH is refused in one line and left exactly as it was.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import * as F from '../src/demo/fleet.js';
import { checkDemoTarget, DemoTargetError, isDemoFile } from '../src/demo/target.js';
import { runCli } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'gatewatch-target-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const demo = (out: string) => runCli(['demo', '--computers', '50', '--out', out, '--now', '2026-11-25T10:00:00Z']);
const tmpLeft = (d: string) => readdirSync(d).filter((f) => f.endsWith('.tmp'));

/** One line on stderr, exit 2 (a wrong target), no stack, nothing on stdout. */
function refused(r: ReturnType<typeof runCli>, pattern: RegExp) {
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(r.stderr.trim(), pattern);
  assert.doesNotMatch(r.stderr, /\s+at\s|Error:/);
  assert.equal(r.stdout, '');
}

test('a new file is created, an earlier demo file replaced; a user file named like ours is kept', () => {
  const out = join(dir, 'new', 'demo.sqlite');
  assert.equal(demo(out).code, 0);
  assert.ok(isDemoFile(out));
  writeFileSync(`${out}.tmp`, 'my notes');
  const before = statSync(out).ino;
  const again = demo(out);
  assert.equal(again.code, 0, again.stderr);
  assert.notEqual(statSync(out).ino, before, 'replaced by a fresh file');
  assert.ok(isDemoFile(out));
  assert.equal(readFileSync(`${out}.tmp`, 'utf8'), 'my notes');
  assert.deepEqual(tmpLeft(join(dir, 'new')), ['demo.sqlite.tmp']);
});

test('another SQLite database is refused and keeps its tables', () => {
  const out = join(dir, 'other.sqlite');
  const db = new Database(out);
  db.exec('CREATE TABLE invoices (id INTEGER PRIMARY KEY, total INTEGER); INSERT INTO invoices (total) VALUES (42)');
  db.close();
  refused(demo(out), /^gatewatch: refusing to replace .*other\.sqlite: it is a file, not a gatewatch demo inventory/);
  const again = new Database(out, { readonly: true });
  assert.equal(again.prepare('SELECT total FROM invoices').pluck().get(), 42);
  again.close();
  assert.deepEqual(tmpLeft(dir), []);
});

test('a SQLite file whose application_id is not the demo one is refused', () => {
  const out = join(dir, 'foreign-app.sqlite');
  const db = new Database(out);
  db.pragma(`application_id = ${F.DEMO_APPLICATION_ID + 1}`);
  db.exec('CREATE TABLE t (x)');
  db.close();
  assert.throws(() => checkDemoTarget(out), DemoTargetError);
  refused(demo(out), /refusing to replace/);
});

test('a text file, an empty file and a symbolic link to a demo file are refused and left as they were', () => {
  const text = join(dir, 'notes.txt');
  writeFileSync(text, 'do not lose me\n');
  refused(demo(text), /notes\.txt: it is a file, not a gatewatch demo inventory/);
  assert.equal(readFileSync(text, 'utf8'), 'do not lose me\n');
  const empty = join(dir, 'empty');
  writeFileSync(empty, '');
  refused(demo(empty), /it is an empty file/);
  assert.equal(statSync(empty).size, 0);
  const target = join(dir, 'real-demo.sqlite');
  assert.equal(demo(target).code, 0);
  const link = join(dir, 'link.sqlite');
  symlinkSync(target, link);
  refused(demo(link), /link\.sqlite: it is a symbolic link/);
  assert.ok(lstatSync(link).isSymbolicLink());
  assert.deepEqual(tmpLeft(dir), []);
});

test('a FIFO and (as root) a device node are refused, and stay what they were', () => {
  // Never /dev/null itself: a build without this check would replace the machine's device node.
  const fifo = join(dir, 'pipe');
  assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
  refused(demo(fifo), /^gatewatch: refusing to replace .*pipe: it is not a regular file/);
  assert.ok(lstatSync(fifo).isFIFO());
  if (process.getuid?.() === 0) {
    const node = join(dir, 'null');
    assert.equal(spawnSync('mknod', ['-m', '666', node, 'c', '1', '3']).status, 0);
    refused(demo(node), /^gatewatch: refusing to replace .*null: it is not a regular file/);
    assert.ok(lstatSync(node).isCharacterDevice());
  }
});

test('a directory, a read-only place, or a path through a file: one clear line, no .tmp left behind', () => {
  const folder = join(dir, 'folder');
  mkdirSync(folder);
  refused(demo(folder), /^gatewatch: refusing to replace .*folder: it is a directory/);
  assert.deepEqual(readdirSync(folder), []);
  // sysfs refuses new files even to root: a read-only place on any Linux.
  refused(demo('/sys/gatewatch-demo.sqlite'), /^gatewatch: cannot write the demo inventory to \/sys\/gatewatch-demo\.sqlite: /);
  assert.deepEqual(readdirSync('/sys').filter((f) => f.includes('gatewatch')), []);
  const file = join(dir, 'plain');
  writeFileSync(file, 'x');
  refused(demo(join(file, 'demo.sqlite')), /^gatewatch: cannot write the demo inventory to .*: a part of the path is not a directory/);
  assert.equal(readFileSync(file, 'utf8'), 'x');
  assert.deepEqual(tmpLeft(dir), []);
  assert.ok(!existsSync(join(dir, 'folder.tmp')));
});

test('an empty --out is refused in one line before any computer is generated', () => {
  const cwd = mkdtempSync(join(dir, 'empty-out-'));
  for (const out of ['', '  ']) {
    // Progress lines go to stderr as the build runs: one line only means nothing was generated.
    refused(runCli(['demo', '--computers', '50', '--out', out], { cwd }), /^gatewatch: --out: expected a file path, got "\s*"/);
  }
  assert.deepEqual(readdirSync(cwd), [], 'no temporary file left where it ran');
});
