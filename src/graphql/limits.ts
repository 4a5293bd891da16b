// Validation rules that bound what one request may ask for. Depth matters because every nested list
// level costs a batched statement, aliases because every copy of a field runs its own statements;
// introspection is switched off in hardened deployments.
import {
  GraphQLError,
  Kind,
  NoSchemaIntrospectionCustomRule,
  type ExecutionResult,
  type FieldNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';

export const DEFAULT_MAX_DEPTH = 12;
export const DEFAULT_MAX_ALIASES = 20;

/**
 * Folds each operation's selections to one number: `field` turns a field and the folded value of its
 * own selections into a value, `siblings` combines the values of one selection set. Introspection
 * fields (`__schema`, `__type`, `__typename`) are skipped: GraphiQL's own introspection query is deeper
 * than any sane limit, and they cost no statement. Fragment values are memoized, so a document reusing
 * a fragment many times stays linear; a fragment cycle is NoFragmentCyclesRule's to report and just
 * ends the walk here.
 */
function operationMeasure(
  field: (node: FieldNode, inner: number) => number,
  siblings: (a: number, b: number) => number,
  check: (context: ValidationContext, node: OperationDefinitionNode, value: number) => void,
): ValidationRule {
  return (context) => {
    const fragments = new Map<string, number>();
    const visiting = new Set<string>();
    const measure = (set: SelectionSetNode): number => {
      let total = 0;
      for (const sel of set.selections) {
        let v: number;
        if (sel.kind === Kind.FIELD) {
          if (sel.name.value.startsWith('__')) continue;
          v = field(sel, sel.selectionSet ? measure(sel.selectionSet) : 0);
        } else if (sel.kind === Kind.INLINE_FRAGMENT) {
          v = measure(sel.selectionSet);
        } else {
          v = fragmentMeasure(sel.name.value);
        }
        total = siblings(total, v);
      }
      return total;
    };
    const fragmentMeasure = (name: string): number => {
      const known = fragments.get(name);
      if (known !== undefined) return known;
      const def = context.getFragment(name);
      if (!def || visiting.has(name)) return 0;
      visiting.add(name);
      const v = measure(def.selectionSet);
      visiting.delete(name);
      fragments.set(name, v);
      return v;
    };
    return {
      OperationDefinition(node) {
        check(context, node, measure(node.selectionSet));
      },
    };
  };
}

const operationName = (node: OperationDefinitionNode) => (node.name ? `Operation ${node.name.value}` : 'The operation');

/** Rejects operations nesting fields deeper than `maxDepth`: every nested list level costs a statement. */
export function maxDepthRule(maxDepth: number): ValidationRule {
  return operationMeasure(
    (_field, inner) => 1 + inner,
    Math.max,
    (context, node, depth) => {
      if (depth > maxDepth) {
        context.reportError(new GraphQLError(`${operationName(node)} nests fields ${depth} levels deep; the maximum is ${maxDepth}.`, { nodes: [node] }));
      }
    },
  );
}

/**
 * Rejects operations with more than `maxAliases` aliased fields, fragments counted where they are
 * spread. An alias is the only way to ask for one field many times, and each copy runs its own
 * statements (500 aliases of cemSummary would be 1,500), so this bounds the breadth of a request as
 * the depth rule bounds its depth.
 */
export function maxAliasesRule(maxAliases: number): ValidationRule {
  return operationMeasure(
    (field, inner) => (field.alias ? 1 : 0) + inner,
    (a, b) => a + b,
    (context, node, aliases) => {
      if (aliases > maxAliases) {
        context.reportError(
          new GraphQLError(`${operationName(node)} uses ${aliases} aliased fields; the maximum is ${maxAliases}. Split it into several requests.`, {
            nodes: [node],
          }),
        );
      }
    },
  );
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
