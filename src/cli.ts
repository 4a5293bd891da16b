#!/usr/bin/env node
// gatewatch command line. The subcommands are the table in commands.ts; this file finds the one
// asked for, parses its arguments and runs it. Errors a user can fix end the process with one line
// and exit code 2 (src/exit-codes.ts); `gatewatch <command> --help` shows what the command takes.
import './runtime-env.js';
import { parseCommandArgs, UsageError } from './cli-args.js';
import { commandHelp, COMMANDS, topHelp } from './commands.js';
import { ConfigError } from './config.js';
import { EXIT } from './exit-codes.js';
import { VERSION } from './version.js';

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || (name === 'help' && !rest.length)) {
    console.log(topHelp(VERSION));
    return 0;
  }
  if (name === '--version' || name === '-v') {
    console.log(VERSION);
    return 0;
  }
  // `gatewatch help serve` is `gatewatch serve --help`.
  const [commandName, args] = name === 'help' ? [rest[0]!, ['--help']] : [name, rest];
  const command = Object.hasOwn(COMMANDS, commandName) ? COMMANDS[commandName] : undefined;
  if (!command) throw new UsageError(undefined, `unknown command ${JSON.stringify(commandName)}; commands: ${Object.keys(COMMANDS).join(', ')}`);
  const parsed = parseCommandArgs(commandName, args, command.flags, command.maxPositionals);
  if (parsed.help) {
    console.log(commandHelp(command));
    return 0;
  }
  return command.run(parsed.flags, parsed.positionals);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    // Mistakes in flags or settings get one line; anything else is a bug and keeps its stack, with a
    // code of its own so a scheduler does not take it for a finding.
    const userError = e instanceof ConfigError || e instanceof UsageError;
    console.error(userError ? `gatewatch: ${(e as Error).message}` : e);
    process.exitCode = userError ? EXIT.USAGE : EXIT.INTERNAL;
  },
);
