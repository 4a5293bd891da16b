// Each subcommand has its own --help listing its flags and environment variables, and a mistake on
// the command line is one line naming the command's help, exit code 2. Real processes (dist/cli.js).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { COMMANDS } from '../src/commands.js';
import { SETTING_ENV } from '../src/config.js';
import { runCli } from './helpers/cli.js';

const balanced = (line: string) => (line.match(/'/g) ?? []).length % 2 === 0 && (line.match(/"/g) ?? []).length % 2 === 0;

test('gatewatch <command> --help lists every flag of the command and its environment variable', () => {
  for (const [name, command] of Object.entries(COMMANDS)) {
    const r = runCli([name, '--help']);
    assert.equal(r.code, 0, `${name} --help: ${r.stderr}`);
    assert.equal(r.stderr, '');
    assert.ok(r.stdout.startsWith(`Usage:\n  gatewatch ${name}`), r.stdout);
    for (const [flag, type] of Object.entries(command.flags)) {
      assert.match(r.stdout, new RegExp(`^  --${flag}\\b`, 'm'), `${name} --help lists --${flag}`);
      // …with a description: the line after it is not empty.
      if (name !== 'demo') assert.match(r.stdout, new RegExp(`^  --${flag}\\b.*\n {6}\\S`, 'm'), `${name} --help describes --${flag}`);
      if (SETTING_ENV[flag] && name !== 'demo') assert.match(r.stdout, new RegExp(`--${flag}\\b.*\\(${SETTING_ENV[flag]}\\)`), `${name}: --${flag} names ${SETTING_ENV[flag]}`);
      if (type === 'boolean' && name === 'serve') assert.match(r.stdout, new RegExp(`--no-${flag} turns it off`));
    }
    // -h, `gatewatch help <command>`, and --help among other flags print the same and run nothing.
    for (const args of [[name, '-h'], ['help', name], [name, '--db', 'sqlite:/nowhere/x.sqlite', '--help']]) {
      const again = runCli(args);
      assert.equal(again.code, 0, args.join(' '));
      assert.equal(again.stdout, r.stdout, args.join(' '));
    }
  }
  assert.match(runCli(['demo', '--help']).stdout, /--db URL {2}\(GATEWATCH_DEMO_DB\)/);
  assert.match(runCli(['serve', '--help']).stdout, /GATEWATCH_API_TOKEN/);
});

test('gatewatch --help lists every command and points to the commands\' help', () => {
  const r = runCli(['--help']);
  assert.equal(r.code, 0);
  for (const [name, command] of Object.entries(COMMANDS)) {
    assert.match(r.stdout, new RegExp(`^ {2}${name} +${command.summary.replace(/[()/.]/g, '\\$&')}$`, 'm'), name);
  }
  assert.match(r.stdout, /gatewatch <command> --help/);
});

test('parser mistakes: one line with balanced quotes, naming the command and its --help, exit 2', () => {
  for (const [args, message] of [
    [['serve', '--help-me'], 'serve: unknown option --help-me'],
    [['serve', '--bogus'], 'serve: unknown option --bogus'],
    [['serve', '--bogus=1'], 'serve: unknown option --bogus'],
    [['serve', '-x'], 'serve: unknown option -x'],
    [['serve', '--db'], 'serve: --db needs a value: --db VALUE or --db=VALUE'],
    [['serve', '--db', '--listen', '127.0.0.1:0'], 'serve: --db needs a value: --db VALUE or --db=VALUE'],
    [['serve', '--demo-live=yes'], 'serve: --demo-live takes no value: use --demo-live or --no-demo-live'],
    [['demo', '--replace=1'], 'demo: --replace takes no value: use --replace or --no-replace'],
    [['demo', '--out'], 'demo: --out needs a value: --out VALUE or --out=VALUE'],
    [['check', 'extra'], 'check: unexpected argument "extra"'],
    [['check', '--listen', '127.0.0.1:0'], 'check: unknown option --listen'],
  ] as const) {
    const r = runCli([...args]);
    const cmd = args[0];
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, `gatewatch: ${message} (see gatewatch ${cmd} --help)\n`, args.join(' '));
    assert.ok(balanced(r.stderr), r.stderr);
  }
  const unknown = runCli(['frobnicate', '--help']);
  assert.equal(unknown.code, 2);
  assert.equal(unknown.stderr, 'gatewatch: unknown command "frobnicate"; commands: serve, demo, check, diagnose (see gatewatch --help)\n');
  // A value that starts with a dash can still be given inline; a negative number needs no `=`.
  assert.match(runCli(['demo', '--computers=-5']).stderr, /^gatewatch: --computers: expected a whole number/);
  const negative = runCli(['demo', '--computers', '-5']);
  assert.equal(negative.code, 2);
  assert.equal(negative.stderr, 'gatewatch: --computers: expected a whole number from 1 to 10000000, got "-5"\n');
});
