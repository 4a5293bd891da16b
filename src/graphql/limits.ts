// Validation rules that bound what one request may ask for. Depth matters because every nested list
// level costs a batched statement; introspection is switched off in hardened deployments.
import { GraphQLError, Kind, NoSchemaIntrospectionCustomRule, type SelectionSetNode, type ValidationRule } from 'graphql';
import type { Plugin } from 'graphql-yoga';

export const DEFAULT_MAX_DEPTH = 12;

/**
 * Rejects operations nesting fields deeper than `maxDepth`. Introspection fields (`__schema`,
 * `__type`) are not counted: GraphiQL's own introspection query is deeper than any sane limit.
 * Fragment depths are memoized, so a document reusing a fragment many times stays linear.
 */
export function maxDepthRule(maxDepth: number): ValidationRule {
  return (context) => {
    const fragments = new Map<string, number>();
    const visiting = new Set<string>();
    const depth = (set: SelectionSetNode): number => {
      let max = 0;
      for (const sel of set.selections) {
        let d = 0;
        if (sel.kind === Kind.FIELD) {
          if (sel.name.value.startsWith('__')) continue;
          d = 1 + (sel.selectionSet ? depth(sel.selectionSet) : 0);
        } else if (sel.kind === Kind.INLINE_FRAGMENT) {
          d = depth(sel.selectionSet);
        } else {
          d = fragmentDepth(sel.name.value);
        }
        max = Math.max(max, d);
      }
      return max;
    };
    const fragmentDepth = (name: string): number => {
      const known = fragments.get(name);
      if (known !== undefined) return known;
      const def = context.getFragment(name);
      // A cycle is NoFragmentCyclesRule's to report; here it just ends the walk.
      if (!def || visiting.has(name)) return 0;
      visiting.add(name);
      const d = depth(def.selectionSet);
      visiting.delete(name);
      fragments.set(name, d);
      return d;
    };
    return {
      OperationDefinition(node) {
        const d = depth(node.selectionSet);
        if (d > maxDepth) {
          const name = node.name ? `Operation ${node.name.value}` : 'The operation';
          context.reportError(new GraphQLError(`${name} nests fields ${d} levels deep; the maximum is ${maxDepth}.`, { nodes: [node] }));
        }
      },
    };
  };
}

export function useValidationRules(rules: ValidationRule[]): Plugin {
  return {
    onValidate({ addValidationRule }) {
      for (const rule of rules) addValidationRule(rule);
    },
  };
}

export { NoSchemaIntrospectionCustomRule };
