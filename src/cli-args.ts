// A command's arguments: its flags (--x VALUE, --x=VALUE, boolean --x / --no-x), its positional
// arguments, and --help. Mistakes are UsageErrors: one line naming the flag and the command's help.
import { parseArgs } from 'node:util';
import type { Flags } from './config.js';

export type FlagSpec = Record<string, 'string' | 'boolean'>;

/** A mistake on the command line; printed as one line with a pointer to `gatewatch <command> --help`. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(
    readonly command: string | undefined,
    message: string,
  ) {
    super(`${command ? `${command}: ` : ''}${message} (see gatewatch${command ? ` ${command}` : ''} --help)`);
  }
}

export interface ParsedArgs {
  flags: Flags;
  positionals: string[];
  /** --help or -h was given: show the command's help and do nothing else. */
  help: boolean;
}

/**
 * Parses `args` against `spec`. node's parseArgs runs non-strict with tokens, and the tokens are
 * checked here: its own strict errors are long, quote oddly and do not name the command.
 */
export function parseCommandArgs(command: string, args: string[], spec: FlagSpec, maxPositionals = 0): ParsedArgs {
  const options: Record<string, { type: 'string' | 'boolean' }> = {};
  for (const [name, type] of Object.entries(spec)) {
    options[name] = { type };
    if (type === 'boolean') options[`no-${name}`] = { type: 'boolean' };
  }
  const { tokens } = parseArgs({ args, options, strict: false, allowPositionals: true, tokens: true });
  const flags: Flags = {};
  const positionals: string[] = [];
  let help = false;
  for (const t of tokens) {
    if (t.kind === 'option-terminator') continue;
    if (t.kind === 'positional') {
      positionals.push(t.value);
      continue;
    }
    if (t.name === 'help' || t.rawName === '-h') {
      help = true;
      continue;
    }
    const type = options[t.name]?.type;
    if (!type || t.rawName.length === 2) throw new UsageError(command, `unknown option ${t.rawName}`);
    if (type === 'boolean') {
      if (t.inlineValue) throw new UsageError(command, `${t.rawName} takes no value: use --${t.name.replace(/^no-/, '')} or --no-${t.name.replace(/^no-/, '')}`);
      if (t.name.startsWith('no-') && spec[t.name.slice(3)] === 'boolean') flags[t.name.slice(3)] = false;
      else flags[t.name] = true;
      continue;
    }
    // `--db --listen x` would take "--listen" as the URL: a value that looks like a flag is a missing
    // one. A negative number is a value, so that its own setting can say what it expects instead.
    if (t.value === undefined || (!t.inlineValue && t.value.startsWith('-') && !/^-\d/.test(t.value))) {
      throw new UsageError(command, `${t.rawName} needs a value: ${t.rawName} VALUE or ${t.rawName}=VALUE`);
    }
    flags[t.name] = t.value;
  }
  if (!help && positionals.length > maxPositionals) {
    throw new UsageError(command, `unexpected argument ${JSON.stringify(positionals[maxPositionals])}`);
  }
  return { flags, positionals, help };
}
