// Bounds on the document itself, checked as early as each can be: its size and bracket nesting
// before parsing (a linear scan; the parser recurses and would overflow its stack), its tokens while
// parsing (graphql-js stops at maxTokens), and its operations, fragments, depth, aliases and fields
// before validation runs, so no validation rule ever sees a document larger than the limits allow
// (OverlappingFieldsCanBeMerged alone is quadratic in the fields).
import { GraphQLError, Kind, type DocumentNode, type FieldNode, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { LIMIT_SETTINGS, limitError, nestingLimit, type GraphQLLimits } from './limits.js';

/** The deepest bracket nesting ({ [ ( ) of a document, outside strings and comments. */
export function bracketDepth(text: string): number {
  let depth = 0;
  let max = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x7b || c === 0x5b || c === 0x28) {
      if (++depth > max) max = depth;
    } else if (c === 0x7d || c === 0x5d || c === 0x29) {
      depth--;
    } else if (c === 0x23) {
      while (i < n && text.charCodeAt(i) !== 0x0a && text.charCodeAt(i) !== 0x0d) i++;
    } else if (c === 0x22) {
      if (text.startsWith('""', i + 1)) {
        // A block string ends at the first """ not escaped as \""".
        i += 3;
        while (i < n && !(text.startsWith('"""', i) && text.charCodeAt(i - 1) !== 0x5c)) i++;
        i += 2;
      } else {
        i++;
        while (i < n && text.charCodeAt(i) !== 0x22 && text.charCodeAt(i) !== 0x0a) i += text.charCodeAt(i) === 0x5c ? 2 : 1;
      }
    }
  }
  return max;
}

const TOKENS_ABORTED = /tokens\. Parsing aborted\.$/;

/** The parse function yoga calls on a cache miss, with the size, nesting and token bounds. */
function boundedParse(limits: GraphQLLimits, parse: (source: any, options?: any) => DocumentNode) {
  const nesting = nestingLimit(limits);
  return (source: unknown, options?: Record<string, unknown>): DocumentNode => {
    const text = typeof source === 'string' ? source : String((source as { body?: string }).body ?? source);
    // Characters never outnumber UTF-8 bytes: the exact count is only needed near the limit.
    const bytes = text.length > limits.maxDocumentBytes ? text.length : Buffer.byteLength(text, 'utf8');
    if (bytes > limits.maxDocumentBytes) {
      throw limitError('DOCUMENT_TOO_LARGE', `The document is ${bytes} bytes; the maximum is ${limits.maxDocumentBytes} (${LIMIT_SETTINGS.maxDocumentBytes}).`);
    }
    const depth = bracketDepth(text);
    if (depth > nesting) {
      throw limitError('DOCUMENT_TOO_DEEP', `The document nests brackets ${depth} deep; the maximum is ${nesting} (4 × ${LIMIT_SETTINGS.maxDepth}).`);
    }
    try {
      return parse(source, { ...options, maxTokens: limits.maxTokens });
    } catch (e) {
      if (e instanceof GraphQLError && TOKENS_ABORTED.test(e.message)) {
        throw limitError('TOO_MANY_TOKENS', `The document has more than ${limits.maxTokens} tokens (${LIMIT_SETTINGS.maxTokens}).`);
      }
      // A nesting the scan did not see (it cannot miss one, but the process must outlive a surprise).
      if (e instanceof RangeError) throw limitError('DOCUMENT_TOO_DEEP', 'The document nests too deep to parse.');
      throw e;
    }
  };
}

interface Measure {
  depth: number;
  aliases: number;
  fields: number;
}

/**
 * Each operation's depth, aliases and fields in one walk. Introspection fields (`__schema`,
 * `__type`, `__typename`) are skipped: GraphiQL's own introspection query is deeper than any sane
 * limit, and they cost no statement. A fragment counts wherever it is spread; its measure is
 * memoized, so a document reusing a fragment many times stays linear; a cycle or an unknown fragment
 * is validation's to report and just ends the walk here.
 */
function measureOperations(doc: DocumentNode): Map<OperationDefinitionNode, Measure> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of doc.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const memo = new Map<string, Measure>();
  const visiting = new Set<string>();
  const none: Measure = { depth: 0, aliases: 0, fields: 0 };
  const field = (f: FieldNode): Measure => {
    const inner = f.selectionSet ? set(f.selectionSet) : none;
    return { depth: 1 + inner.depth, aliases: (f.alias ? 1 : 0) + inner.aliases, fields: 1 + inner.fields };
  };
  const fragment = (name: string): Measure => {
    const known = memo.get(name);
    if (known) return known;
    const def = fragments.get(name);
    if (!def || visiting.has(name)) return none;
    visiting.add(name);
    const m = set(def.selectionSet);
    visiting.delete(name);
    memo.set(name, m);
    return m;
  };
  const set = (s: SelectionSetNode): Measure => {
    const total = { depth: 0, aliases: 0, fields: 0 };
    for (const sel of s.selections) {
      if (sel.kind === Kind.FIELD && sel.name.value.startsWith('__')) continue;
      const m = sel.kind === Kind.FIELD ? field(sel) : sel.kind === Kind.INLINE_FRAGMENT ? set(sel.selectionSet) : fragment(sel.name.value);
      total.depth = Math.max(total.depth, m.depth);
      total.aliases += m.aliases;
      total.fields += m.fields;
    }
    return total;
  };
  const out = new Map<OperationDefinitionNode, Measure>();
  for (const d of doc.definitions) if (d.kind === Kind.OPERATION_DEFINITION) out.set(d, set(d.selectionSet));
  return out;
}

const operationName = (node: OperationDefinitionNode) => (node.name ? `Operation ${node.name.value}` : 'The operation');

/** The first bound the document breaks, as the one error to answer with; undefined when within all. */
export function documentBoundError(doc: DocumentNode, limits: GraphQLLimits): GraphQLError | undefined {
  const operations = doc.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION).length;
  if (operations > limits.maxOperations) {
    return limitError('TOO_MANY_OPERATIONS', `The document holds ${operations} operations; the maximum is ${limits.maxOperations} (${LIMIT_SETTINGS.maxOperations}).`);
  }
  const fragments = doc.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION).length;
  if (fragments > limits.maxFragments) {
    return limitError('TOO_MANY_FRAGMENTS', `The document defines ${fragments} fragments; the maximum is ${limits.maxFragments} (${LIMIT_SETTINGS.maxFragments}).`);
  }
  for (const [node, m] of measureOperations(doc)) {
    const name = operationName(node);
    if (m.depth > limits.maxDepth) {
      return limitError('QUERY_TOO_DEEP', `${name} nests fields ${m.depth} levels deep; the maximum is ${limits.maxDepth}.`);
    }
    if (m.aliases > limits.maxAliases) {
      return limitError('TOO_MANY_ALIASES', `${name} uses ${m.aliases} aliased fields; the maximum is ${limits.maxAliases}. Split it into several requests.`);
    }
    if (m.fields > limits.maxFields) {
      return limitError(
        'TOO_MANY_FIELDS',
        `${name} selects ${m.fields} fields (fragments counted where spread); the maximum is ${limits.maxFields} (${LIMIT_SETTINGS.maxFields}). Split it into several requests.`,
      );
    }
  }
  return undefined;
}

/**
 * Parses with the size, nesting and token bounds, and answers a document over the count bounds
 * instead of validating it. yoga puts user plugins before its parse cache, so a cache miss parses
 * through boundedParse; a document found in the cache passed these bounds when it was parsed.
 */
export function boundedDocuments(limits: GraphQLLimits): Plugin {
  const checked = new WeakMap<DocumentNode, GraphQLError | null>();
  return {
    onParse({ parseFn, setParseFn }) {
      setParseFn(boundedParse(limits, parseFn));
    },
    onValidate({ params, setResult }) {
      let error = checked.get(params.documentAST);
      if (error === undefined) {
        error = documentBoundError(params.documentAST, limits) ?? null;
        checked.set(params.documentAST, error);
      }
      if (error) setResult([error]);
    },
  };
}
