// One table of exit codes for every subcommand, so scripts and schedulers can branch on them alike.
// README "Exit codes" documents the same table (test/check.test.ts holds the two together); the
// commands' own tests check the codes they return.
export const EXIT = {
  /** Done, and nothing wrong: `check` found every dataset, `diagnose` a HEALTHY agent. */
  OK: 0,
  /** Done, and it found a problem: datasets unavailable, a failing diagnosis check. */
  FINDING: 1,
  /** The command line or a setting is wrong: one line says which (and where `--help` is). */
  USAGE: 2,
  /** No answer could be had: the inventory is unreachable, or the computer asked for is unknown. */
  UNAVAILABLE: 3,
  /** A bug in gatewatch: the stack is printed (EX_SOFTWARE of sysexits.h). */
  INTERNAL: 70,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
