// What a client may see of an error, and what the log gets. Our own input checks and InventoryErrors
// (whose messages are written to be shown: dataset and cause, never SQL) pass through with a code,
// except QUERY_FAILED: its message carries the database's own error text, which may quote data
// values, so the client gets a fixed sentence and only the log gets the original. Anything else is a
// bug or a driver surprise and becomes "Unexpected error.". yoga logs every error it masks, i.e. every
// failed field of every request: yogaLogger turns that into one line per distinct failure per minute.
import { GraphQLError } from 'graphql';
import { createLogger, type YogaLogger } from 'graphql-yoga';
import { isInventoryError, type InventoryError } from '../inventory/errors.js';
import { RateLimitedLog } from './log-limit.js';

export function userInputError(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}

/**
 * A name that matched nothing, with the nearest known names (`extensions.closest`) so a script can
 * offer them as the message does to a person: a silent null reads as "nothing wrong there".
 */
export function notFoundError(what: string, name: string, closest: readonly string[]): GraphQLError {
  const hint = closest.length ? `; closest: ${closest.join(', ')}` : '';
  return new GraphQLError(`no ${what} named ${JSON.stringify(name)}${hint}`, { extensions: { code: 'NOT_FOUND', closest } });
}

/** True for a GraphQLError raised on purpose (not one graphql-js wrapped around a thrown Error). */
function isDeliberate(error: unknown): error is GraphQLError {
  if (!(error instanceof GraphQLError)) return false;
  return error.originalError == null || isDeliberate(error.originalError);
}

function refused(error: InventoryError): string {
  return `${error.dataset ? `dataset ${error.dataset}: ` : ''}the database refused the statement (see the gatewatch log)`;
}

/** The error a masked GraphQLError was raised for. */
function causeOf(error: unknown): unknown {
  let e = error;
  while (e instanceof GraphQLError && e.originalError) e = e.originalError;
  return e;
}

/**
 * yoga's logger, with its error() rate-limited per distinct message (RateLimitedLog, one minute): an
 * InventoryError (database unreachable, timeout, missing table, refused statement) is one line with
 * its code and no stack, since the stack says nothing about a database that is down; anything
 * else is unexpected and keeps its stack. Repeats are counted and reported when the minute ends.
 */
export function yogaLogger(opts: { windowMs?: number } = {}): YogaLogger {
  const base = createLogger();
  const limit = new RateLimitedLog(opts.windowMs);
  const seconds = Math.round(limit.windowMs / 1000);
  const again = (what: string) => (n: number) => console.error(`gatewatch: ${what} (${n} more time${n === 1 ? '' : 's'} in the last ${seconds} s)`);
  const error = (...args: unknown[]): void => {
    if (args.length !== 1) return base.error(...args);
    const cause = causeOf(args[0]);
    if (isInventoryError(cause)) {
      const line = `${cause.message} [${cause.code}]`;
      return limit.note(line, () => console.error(`gatewatch: ${line}`), again(line));
    }
    const what = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    limit.note(`unexpected ${what}`, () => base.error(args[0]), again(`unexpected error ${what}`));
  };
  return { ...base, error };
}

export function maskError(error: unknown, message: string): Error {
  if (isDeliberate(error)) return error;
  const located = error instanceof GraphQLError ? error : undefined;
  const cause = located ? located.originalError : error;
  const where = { nodes: located?.nodes, source: located?.source, positions: located?.positions, path: located?.path };
  if (isInventoryError(cause)) {
    const extensions = cause.dataset ? { code: cause.code, dataset: cause.dataset } : { code: cause.code };
    return new GraphQLError(cause.code === 'QUERY_FAILED' ? refused(cause) : cause.message, { ...where, extensions });
  }
  return new GraphQLError(message, { ...where, extensions: { code: 'INTERNAL_SERVER_ERROR' } });
}
