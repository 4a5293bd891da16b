// The Pothos builder: context and scalars only. Types live one per file under schema/, each with
// the query fields that return it, so a type and its entry points are read together.
import SchemaBuilder from '@pothos/core';
import { Kind, print } from 'graphql';
import type { GraphQLContext } from './context.js';
import { parseInstant } from './datetime.js';
import { userInputError } from './errors.js';

export const builder = new SchemaBuilder<{
  Context: GraphQLContext;
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    ID: { Input: string; Output: string | number };
  };
  // Non-null unless a field says otherwise: absence must be a decision, not an accident.
  DefaultFieldNullability: false;
}>({ defaultFieldNullability: false });

builder.queryType({ description: 'Read-only views of the endpoint-management inventory (CMDB).' });

/** A DateTime argument or variable: strict ISO-8601 with a zone (see datetime.ts), else BAD_USER_INPUT. */
export function parseDateTime(value: unknown): Date {
  const date = typeof value === 'string' ? parseInstant(value.trim()) : undefined;
  if (!date) {
    const shown = JSON.stringify(value) ?? String(value);
    throw userInputError(
      `DateTime must be ISO-8601 with a time zone, e.g. 2026-11-25T10:00:00Z, got ${shown.length > 64 ? `${shown.slice(0, 64)}...` : shown}`,
    );
  }
  return date;
}

builder.scalarType('DateTime', {
  description: 'An instant as an ISO-8601 string; always returned in UTC (2026-11-25T10:00:00.000Z).',
  serialize: (value) => {
    if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw new TypeError('DateTime cannot represent a non-date value');
    return value.toISOString();
  },
  parseValue: parseDateTime,
  parseLiteral: (ast) => parseDateTime(ast.kind === Kind.STRING ? ast.value : print(ast)),
});
