// The GraphQL endpoint: graphql-yoga over the Pothos schema, a fresh context (and DataLoaders) per
// request, masked errors, and the hardening switches a production deployment turns off.
import { createYoga, isAsyncIterable, type Plugin } from 'graphql-yoga';
import type { Inventory } from '../inventory/inventory.js';
import { currentStatementScope } from '../inventory/stats.js';
import { createContext, type GraphQLContext } from './context.js';
import { maskError } from './errors.js';
import { DEFAULT_MAX_DEPTH, maxDepthRule, NoSchemaIntrospectionCustomRule, useValidationRules } from './limits.js';
import { schema } from './schema/index.js';

export interface GraphQLHandlerOptions {
  inventory: Inventory;
  graphiql: boolean;
  introspection: boolean;
  /** Adds `extensions.sqlStatements` to each result: statements the request ran (tests, benchmarks). */
  exposeStatementCount: boolean;
  /** Deepest field nesting accepted (default 12). */
  maxDepth?: number;
}

/**
 * Reports the statements counted in the request's statement scope, which the HTTP server opens
 * around each request (withStatementScope); outside one there is nothing to report.
 */
const statementCount: Plugin = {
  onExecute: () => ({
    onExecuteDone({ result, setResult }) {
      const scope = currentStatementScope();
      if (!scope || isAsyncIterable(result)) return;
      setResult({ ...result, extensions: { ...result.extensions, sqlStatements: scope.statements } });
    },
  }),
};

export function createGraphQLHandler(opts: GraphQLHandlerOptions) {
  const rules = [maxDepthRule(opts.maxDepth ?? DEFAULT_MAX_DEPTH)];
  if (!opts.introspection) rules.push(NoSchemaIntrospectionCustomRule);
  return createYoga<Record<string, unknown>, GraphQLContext>({
    schema,
    graphqlEndpoint: '/graphql',
    graphiql: opts.graphiql,
    landingPage: false,
    maskedErrors: { maskError },
    context: () => createContext(opts.inventory),
    plugins: [useValidationRules(rules), ...(opts.exposeStatementCount ? [statementCount] : [])],
  });
}

export type GraphQLHandler = ReturnType<typeof createGraphQLHandler>;
