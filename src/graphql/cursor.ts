// Opaque keyset cursors. A cursor is base64url(JSON) of a version, the list and order it was issued
// for, and the row's key values, plus a short checksum: enough to reject a cursor that was mangled
// or belongs to another list, while keeping it readable to us. The checksum is not a secret;
// tampering that passes it only moves the position, because every value is re-checked against
// the order's column kinds and bound as a parameter.
import { createHash } from 'node:crypto';
import type { ParamType } from '../inventory/datasets.js';
import { isGuid, type KeyValue } from '../inventory/inventory.js';
import { parseInstant } from './datetime.js';
import { userInputError } from './errors.js';

const VERSION = 1;
const MAX_CURSOR_LENGTH = 2048;

export interface CursorColumn {
  name: string;
  kind: ParamType;
}

/** What a cursor is valid for: a list (e.g. "computers") under one order and direction. */
export interface CursorScope {
  list: string;
  order: string;
}

type Wire = string | number;

const checksum = (body: unknown) => createHash('sha256').update(JSON.stringify(body)).digest('base64url').slice(0, 10);

function toWire(value: KeyValue): Wire {
  return value instanceof Date ? value.toISOString() : value;
}

/** Cursors encoded since start: tests check that none is made for a page that selects none. */
export const cursorStats = { encoded: 0 };

export function encodeCursor(scope: CursorScope, values: readonly KeyValue[]): string {
  cursorStats.encoded++;
  const body = [VERSION, scope.list, scope.order, values.map(toWire)];
  return Buffer.from(JSON.stringify([...body, checksum(body)]), 'utf8').toString('base64url');
}

function fromWire(column: CursorColumn, value: unknown): KeyValue {
  switch (column.kind) {
    case 'int':
      if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
      break;
    case 'datetime': {
      const instant = typeof value === 'string' ? parseInstant(value) : undefined;
      if (instant) return instant;
      break;
    }
    case 'guid':
      if (typeof value === 'string' && isGuid(value)) return value.toUpperCase();
      break;
    case 'string':
      if (typeof value === 'string') return value;
      break;
    case 'bool':
      break;
  }
  throw new Error(`key ${column.name} is not a valid ${column.kind}`);
}

function decode(scope: CursorScope, columns: readonly CursorColumn[], cursor: string): KeyValue[] {
  if (cursor.length === 0 || cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) {
    throw new Error('not a cursor this API issued');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new Error('not a cursor this API issued');
  }
  if (!Array.isArray(parsed) || parsed.length !== 5) throw new Error('not a cursor this API issued');
  const [version, list, order, values, sum] = parsed as unknown[];
  if (sum !== checksum(parsed.slice(0, 4))) throw new Error('checksum mismatch (the cursor was altered or truncated)');
  if (version !== VERSION) throw new Error(`cursor version ${String(version)} is not supported`);
  if (list !== scope.list) throw new Error(`it was issued for ${String(list)}`);
  if (order !== scope.order) throw new Error(`it was issued for order ${String(order)}, this request orders by ${scope.order}`);
  if (!Array.isArray(values) || values.length !== columns.length) throw new Error(`expected ${columns.length} key value(s)`);
  return columns.map((c, i) => fromWire(c, values[i]));
}

/** The key values a cursor holds; a clear BAD_USER_INPUT error for anything we did not issue here. */
export function decodeCursor(scope: CursorScope, columns: readonly CursorColumn[], cursor: string, arg: string): KeyValue[] {
  try {
    return decode(scope, columns, cursor);
  } catch (e) {
    throw userInputError(`Invalid cursor for ${scope.list}: ${(e as Error).message} (argument ${arg})`);
  }
}
