// What a request may read: its estimated cost is checked before anything runs, and what it actually
// runs and reads is counted against statement and row budgets while it runs. The estimate is about
// the values resolved: a field costs 1 plus its selections times the rows it stands for. A paged
// list stands for its page (`first`/`last`, else the default page), the other lists (a gateway's
// broker connections, a computer's gateway assignments) for UNPAGED_LIST_ROWS. Twenty aliases of a
// 1,000-row page with nested lists is millions; every example in the README is a few hundred.
import {
  getNamedType,
  getNullableType,
  getOperationAST,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { currentStatementScope } from '../inventory/stats.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './connection.js';
import { budgetError, LIMIT_SETTINGS, limitError, type GraphQLLimits } from './limits.js';

/** Rows an unpaged list is assumed to hold: the demo's gateways, cores, checks and assignments are fewer. */
export const UNPAGED_LIST_ROWS = 10;

type Variables = Record<string, unknown> | null | undefined;

/** The page a paged field asks for: its literal or variable `first` (else `last`), else the default. */
function pageSize(node: FieldNode, op: OperationDefinitionNode, variables: Variables): number {
  const arg = node.arguments?.find((a) => a.name.value === 'first') ?? node.arguments?.find((a) => a.name.value === 'last');
  let value: unknown;
  if (arg?.value.kind === Kind.INT) value = Number(arg.value.value);
  else if (arg?.value.kind === Kind.VARIABLE) {
    const name = arg.value.name.value;
    const def = op.variableDefinitions?.find((d) => d.variable.name.value === name);
    value = variables?.[name] ?? (def?.defaultValue?.kind === Kind.INT ? Number(def.defaultValue.value) : undefined);
  }
  // An out-of-range page is refused when the field runs; here it costs the most a page can.
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? Math.min(value, MAX_PAGE_SIZE) : DEFAULT_PAGE_SIZE;
}

function rowsOf(def: GraphQLField<unknown, unknown>, parent: GraphQLNamedType, node: FieldNode, op: OperationDefinitionNode, variables: Variables): number {
  if (def.args.some((a) => a.name === 'first' || a.name === 'last')) return pageSize(node, op, variables);
  if (!isListType(getNullableType(def.type))) return 1;
  // A connection's edges and nodes are its page, already counted on the field that holds it.
  return parent.name.endsWith('Connection') ? 1 : UNPAGED_LIST_ROWS;
}

/** The estimated cost of one operation; fragments are costed where spread (memoized by name). */
export function estimateCost(schema: GraphQLSchema, doc: DocumentNode, op: OperationDefinitionNode, variables: Variables): number {
  const fragments = new Map(doc.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])));
  const memo = new Map<string, number>();
  const visiting = new Set<string>();
  const set = (s: SelectionSetNode, type: GraphQLNamedType | undefined): number => {
    let total = 0;
    for (const sel of s.selections) {
      if (sel.kind === Kind.FIELD) {
        if (sel.name.value.startsWith('__')) continue;
        const def = type && (isObjectType(type) || isInterfaceType(type)) ? type.getFields()[sel.name.value] : undefined;
        const inner = sel.selectionSet ? set(sel.selectionSet, def ? getNamedType(def.type) : undefined) : 0;
        total += 1 + (def && type ? rowsOf(def, type, sel, op, variables) : 1) * inner;
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        total += set(sel.selectionSet, sel.typeCondition ? schema.getType(sel.typeCondition.name.value) : type);
      } else {
        const name = sel.name.value;
        const def = fragments.get(name);
        if (!def || visiting.has(name)) continue;
        let cost = memo.get(name);
        if (cost === undefined) {
          visiting.add(name);
          cost = set(def.selectionSet, schema.getType(def.typeCondition.name.value));
          visiting.delete(name);
          memo.set(name, cost);
        }
        total += cost;
      }
    }
    return total;
  };
  const root = op.operation === 'query' ? schema.getQueryType() : op.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
  return set(op.selectionSet, root ?? undefined);
}

/**
 * Refuses a request whose estimate is over the limit before it runs, and sets the request's
 * statement and row budgets on its statement scope (opened by the HTTP server): the statement over
 * the budget is not run, and a request whose rows went over it runs nothing more.
 */
export function queryCost(limits: Pick<GraphQLLimits, 'maxQueryCost' | 'maxRequestStatements' | 'maxRequestRows'>): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const op = getOperationAST(args.document, args.operationName);
      if (op) {
        const cost = estimateCost(args.schema, args.document, op, args.variableValues as Variables);
        if (cost > limits.maxQueryCost) {
          const error = limitError(
            'QUERY_TOO_COSTLY',
            `The request's estimated cost is ${cost}; the maximum is ${limits.maxQueryCost} (${LIMIT_SETTINGS.maxQueryCost}). ` +
              'Ask for smaller pages (first), fewer nested lists or fewer aliases, and page through the rest.',
            { cost, maxCost: limits.maxQueryCost },
          );
          return setResultAndStopExecution({ errors: [error] });
        }
      }
      const scope = currentStatementScope();
      if (!scope) return;
      scope.guard = (s) => {
        if (s.statements > limits.maxRequestStatements) {
          throw budgetError(
            'STATEMENT_BUDGET_EXCEEDED',
            `This request needed more than ${limits.maxRequestStatements} SQL statements (${LIMIT_SETTINGS.maxRequestStatements}); it was stopped. Split it into several requests.`,
          );
        }
        if (s.rows > limits.maxRequestRows) {
          throw budgetError(
            'ROW_BUDGET_EXCEEDED',
            `This request read more than ${limits.maxRequestRows} rows (${LIMIT_SETTINGS.maxRequestRows}); it was stopped. Ask for smaller pages.`,
          );
        }
      };
    },
  };
}
