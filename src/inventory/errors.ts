// Errors the inventory layer raises. Their messages are safe to show an API client: they name the
// dataset and the cause, never SQL text or credentials.

export type InventoryErrorCode =
  | 'UNREACHABLE' // the database cannot be reached or opened
  | 'DATASET_UNAVAILABLE' // a table or column a dataset needs is missing
  | 'TIMEOUT' // the statement ran past the request timeout
  | 'BUSY' // the statement waited past its queue bound for a free connection/worker: retry later
  | 'CANCELLED' // the client went away; nobody sees this but the log
  | 'CONTRACT_VIOLATION' // a row breaks the dataset contract (docs/inventory.md): NULL where required, bad timestamp text
  | 'QUERY_FAILED'; // anything else the database refused

export class InventoryError extends Error {
  override readonly name = 'InventoryError';
  constructor(
    readonly code: InventoryErrorCode,
    message: string,
    readonly dataset?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isInventoryError(e: unknown): e is InventoryError {
  return e instanceof InventoryError;
}

/** The refusals every driver shares (driver.ts StatementRefused), or undefined for its own errors. */
export function refusalCode(error: unknown): InventoryErrorCode | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'GATEWATCH_BUSY' ? 'BUSY' : code === 'GATEWATCH_CANCELLED' ? 'CANCELLED' : undefined;
}
