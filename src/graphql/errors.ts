// What a client may see of an error. Our own input checks and InventoryErrors (whose messages are
// written to be shown: dataset and cause, never SQL) pass through with a code; anything else is a
// bug or a driver surprise and becomes "Unexpected error." (the original is logged by yoga).
import { GraphQLError } from 'graphql';
import { isInventoryError } from '../inventory/errors.js';

export function userInputError(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}

/** True for a GraphQLError raised on purpose (not one graphql-js wrapped around a thrown Error). */
function isDeliberate(error: unknown): error is GraphQLError {
  if (!(error instanceof GraphQLError)) return false;
  return error.originalError == null || isDeliberate(error.originalError);
}

export function maskError(error: unknown, message: string): Error {
  if (isDeliberate(error)) return error;
  const located = error instanceof GraphQLError ? error : undefined;
  const cause = located ? located.originalError : error;
  const where = { nodes: located?.nodes, source: located?.source, positions: located?.positions, path: located?.path };
  if (isInventoryError(cause)) {
    const extensions = cause.dataset ? { code: cause.code, dataset: cause.dataset } : { code: cause.code };
    return new GraphQLError(cause.message, { ...where, extensions });
  }
  return new GraphQLError(message, { ...where, extensions: { code: 'INTERNAL_SERVER_ERROR' } });
}
