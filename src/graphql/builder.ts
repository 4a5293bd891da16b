// The Pothos builder: context and scalars only. Types live one per file under schema/, each with
// the query fields that return it, so a type and its entry points are read together.
import SchemaBuilder from '@pothos/core';
import { GraphQLError, Kind, print } from 'graphql';
import type { GraphQLContext } from './context.js';

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

// An explicit zone is required: a bare local time would silently mean the server's zone.
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;

export function parseDateTime(value: unknown): Date {
  const text = typeof value === 'string' ? value.trim() : undefined;
  const date = text !== undefined && ISO_UTC.test(text) ? new Date(text) : undefined;
  if (!date || Number.isNaN(date.getTime())) {
    throw new GraphQLError(
      `DateTime must be an ISO-8601 timestamp with a zone, e.g. 2026-11-25T10:00:00Z; got ${JSON.stringify(value)}`,
      { extensions: { code: 'BAD_USER_INPUT' } },
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
