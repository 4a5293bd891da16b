// What one request may ask for, and the errors that say so. Every bound exists because something
// grows with it: a document's text and tokens cost parse time and heap (kept by the parse cache),
// operations, fields and fragments cost validation time, depth and aliases cost statements (every
// nested list level is a batched statement, every alias runs its own), and the cost estimate, the
// statement and the row budgets bound what execution reads. Introspection is switched off in
// hardened deployments.
import { GraphQLError, NoSchemaIntrospectionCustomRule, type ExecutionResult, type ValidationRule } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';

export interface GraphQLLimits {
  /** Largest document text, in UTF-8 bytes, checked before parsing. */
  maxDocumentBytes: number;
  /** Most lexical tokens the parser reads before giving up (graphql-js `maxTokens`). */
  maxTokens: number;
  /** Most operations (query/mutation/subscription definitions) in one document. */
  maxOperations: number;
  /** Most fragment definitions in one document. */
  maxFragments: number;
  /** Most fields one operation selects, fragments counted where spread (introspection fields not). */
  maxFields: number;
  /** Deepest field nesting. */
  maxDepth: number;
  /** Most aliased fields one operation may hold. */
  maxAliases: number;
  /** Highest estimated cost (query-cost.ts) a request may have before it runs. */
  maxQueryCost: number;
  /** Most SQL statements one request may run. */
  maxRequestStatements: number;
  /** Most rows one request may read from the inventory. */
  maxRequestRows: number;
  /** Parsed documents (and parse errors) kept for reuse, in estimated heap bytes (parse-cache.ts). */
  parseCacheBytes: number;
}

export const DEFAULT_MAX_DEPTH = 12;
export const DEFAULT_MAX_ALIASES = 20;

export const DEFAULT_LIMITS: GraphQLLimits = {
  maxDocumentBytes: 64 * 1024,
  maxTokens: 5_000,
  maxOperations: 32,
  maxFragments: 64,
  maxFields: 500,
  maxDepth: DEFAULT_MAX_DEPTH,
  maxAliases: DEFAULT_MAX_ALIASES,
  maxQueryCost: 100_000,
  maxRequestStatements: 250,
  maxRequestRows: 50_000,
  parseCacheBytes: 32 * 1024 * 1024,
};

/** Each limit's flag and environment variable, named in its error so an operator knows what to raise. */
export const LIMIT_SETTINGS: Record<keyof GraphQLLimits, string> = {
  maxDocumentBytes: '--max-document-bytes, GATEWATCH_MAX_DOCUMENT_BYTES',
  maxTokens: '--max-document-tokens, GATEWATCH_MAX_DOCUMENT_TOKENS',
  maxOperations: '--max-operations, GATEWATCH_MAX_OPERATIONS',
  maxFragments: '--max-fragments, GATEWATCH_MAX_FRAGMENTS',
  maxFields: '--max-fields, GATEWATCH_MAX_FIELDS',
  maxDepth: '--max-depth, GATEWATCH_MAX_DEPTH',
  maxAliases: '--max-aliases, GATEWATCH_MAX_ALIASES',
  maxQueryCost: '--max-query-cost, GATEWATCH_MAX_QUERY_COST',
  maxRequestStatements: '--max-request-statements, GATEWATCH_MAX_REQUEST_STATEMENTS',
  maxRequestRows: '--max-request-rows, GATEWATCH_MAX_REQUEST_ROWS',
  parseCacheBytes: '--parse-cache-bytes, GATEWATCH_PARSE_CACHE_BYTES',
};

export function resolveLimits(given: Partial<GraphQLLimits> = {}): GraphQLLimits {
  const out = { ...DEFAULT_LIMITS };
  for (const [k, v] of Object.entries(given) as [keyof GraphQLLimits, number | undefined][]) if (v !== undefined) out[k] = v;
  return out;
}

/**
 * Brackets nest at most this deep before parsing: graphql-js parses recursively and overflows its
 * stack a few thousand levels down. Field depth has its own limit; inline fragments, arguments and
 * input objects nest brackets too, so this leaves them room.
 */
export const nestingLimit = (limits: GraphQLLimits) => Math.max(64, 4 * limits.maxDepth);

/**
 * A refusal of the request as a whole: a coded GraphQLError answered as graphql-js's own parse and
 * validation errors are, per GraphQL over HTTP: 400 to clients accepting
 * application/graphql-response+json, 200 to those asking for plain application/json (its `http`
 * extension is not sent to the client).
 */
export function limitError(code: string, message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extensions, http: { status: 400, spec: true } } });
}

/** A request stopped while it ran: its partial data stands, so it is no refusal of the whole (no 400). */
export function budgetError(code: string, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code } });
}

export function useValidationRules(rules: ValidationRule[]): Plugin {
  return {
    onValidate({ addValidationRule }) {
      for (const rule of rules) addValidationRule(rule);
    },
  };
}

/** graphql-js's ` Did you mean "x"?`, on unknown fields, arguments, types and enum values. */
const SUGGESTION = / Did you mean [^?]*\?/g;

function withoutSuggestion(e: GraphQLError): GraphQLError {
  if (!e.message.includes(' Did you mean ')) return e;
  const { nodes, source, positions, path, originalError, extensions } = e;
  return new GraphQLError(e.message.replace(SUGGESTION, ''), { nodes, source, positions, path, originalError, extensions });
}

/**
 * Strips the suggestions from every error, validation and variable coercion alike: with introspection
 * off they would still spell out the schema a misspelling at a time.
 */
export const hideSuggestions: Plugin = {
  onResultProcess({ result, setResult }) {
    if (isAsyncIterable(result)) return;
    const strip = <R extends ExecutionResult>(r: R): R => (r.errors ? { ...r, errors: r.errors.map(withoutSuggestion) } : r);
    setResult(Array.isArray(result) ? result.map(strip) : strip(result));
  },
};

export { NoSchemaIntrospectionCustomRule };
