// Which dataset columns a page must read, from what the request selects under `edges { node }` and
// `nodes`. Each field declares the columns its resolver reads with `reads(...)` beside it; a page
// then skips the correlated look-ups (agent version, last report) nobody asked for. A field that
// declares nothing, or a selection this walk does not understand, reads every column: a new field
// is correct first and lean once it says what it reads.
import type { GraphQLObjectType, GraphQLResolveInfo, SelectionSetNode } from 'graphql';

const COLUMNS = 'gatewatchColumns';

/** Field options saying which columns of its parent row a field's resolver reads. */
export const reads = <C extends string>(...columns: C[]) => ({ extensions: { [COLUMNS]: columns } });

/** The columns the selected node fields read, or undefined for "all of them". */
export function selectedColumns(info: GraphQLResolveInfo, nodeType: string): string[] | undefined {
  const type = info.schema.getType(nodeType) as GraphQLObjectType | undefined;
  if (!type) return undefined;
  const out = new Set<string>();
  // The connection's own selections: edges { node }, nodes; pageInfo and totalCount read no row.
  const fromConnection = (set: SelectionSetNode | undefined, level: 'connection' | 'edge'): boolean => {
    for (const s of set?.selections ?? []) {
      if (s.kind === 'Field') {
        const name = s.name.value;
        if (level === 'connection' && name === 'edges' && !fromConnection(s.selectionSet, 'edge')) return false;
        if (((level === 'connection' && name === 'nodes') || (level === 'edge' && name === 'node')) && !fromNode(s.selectionSet)) return false;
      } else if (!fromConnection(fragmentSet(info, s), level)) return false;
    }
    return true;
  };
  const fromNode = (set: SelectionSetNode | undefined): boolean => {
    for (const s of set?.selections ?? []) {
      if (s.kind !== 'Field') {
        if (!fromNode(fragmentSet(info, s))) return false;
        continue;
      }
      if (s.name.value === '__typename') continue;
      const declared = type.getFields()[s.name.value]?.extensions?.[COLUMNS] as readonly string[] | undefined;
      if (!declared) return false;
      declared.forEach((c) => out.add(c));
    }
    return true;
  };
  for (const node of info.fieldNodes) if (!fromConnection(node.selectionSet, 'connection')) return undefined;
  return [...out];
}

function fragmentSet(info: GraphQLResolveInfo, s: { kind: string; selectionSet?: SelectionSetNode; name?: { value: string } }): SelectionSetNode | undefined {
  return s.kind === 'FragmentSpread' ? info.fragments[s.name!.value]?.selectionSet : s.selectionSet;
}
