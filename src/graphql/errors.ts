// What a client may see of an error. Our own input checks and InventoryErrors (whose messages are
// written to be shown: dataset and cause, never SQL) pass through with a code, except QUERY_FAILED:
// its message carries the database's own error text, which may quote data values, so the client gets
// a fixed sentence and the log gets the original. Anything else is a bug or a driver surprise and
// becomes "Unexpected error." (the original is logged by yoga).
import { GraphQLError } from 'graphql';
import { createLogger, type YogaLogger } from 'graphql-yoga';
import { isInventoryError, type InventoryError } from '../inventory/errors.js';

export function userInputError(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}

/** True for a GraphQLError raised on purpose (not one graphql-js wrapped around a thrown Error). */
function isDeliberate(error: unknown): error is GraphQLError {
  if (!(error instanceof GraphQLError)) return false;
  return error.originalError == null || isDeliberate(error.originalError);
}

/** QUERY_FAILED errors already logged: a failed batch fails every field that waited on it. */
const logged = new WeakSet<InventoryError>();

function refused(error: InventoryError): string {
  if (!logged.has(error)) {
    logged.add(error);
    console.error(`gatewatch: ${error.message}`);
  }
  return `${error.dataset ? `dataset ${error.dataset}: ` : ''}the database refused the statement (see the gatewatch log)`;
}

const isQueryFailed = (e: unknown): boolean => {
  const cause = e instanceof GraphQLError ? e.originalError : e;
  return isInventoryError(cause) && cause.code === 'QUERY_FAILED';
};

/**
 * yoga's logger, except that it leaves QUERY_FAILED to maskError, which logs each once: yoga logs
 * every error it masks, i.e. once per field that shared a failed statement.
 */
export function yogaLogger(): YogaLogger {
  const base = createLogger();
  return { ...base, error: (...args: unknown[]) => (args.length === 1 && isQueryFailed(args[0]) ? undefined : base.error(...args)) };
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
