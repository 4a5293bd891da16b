// Execution by graphql-jit: each validated operation is compiled once to a plain function, and a
// 50-row page then costs about a third less main-thread time than graphql-js's generic walk
// (measured in-process: 0.80 → 0.53 ms). Compiled operations live as long as yoga's parse cache
// keeps their document, so the cache stays bounded.
import { useGraphQlJit } from '@envelop/graphql-jit';
import { getOperationAST, getVariableValues } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * graphql-jit coerces variables itself and drops the reason (a DateTime scalar's own message, the
 * "did you mean" of an enum). graphql-js's coercion runs first, so a bad variable keeps its clear
 * error; hideSuggestions still strips suggestions where introspection is closed.
 */
const variablesFirst: Plugin = {
  onExecute({ args, setResultAndStopExecution }) {
    const operation = getOperationAST(args.document, args.operationName);
    if (!operation?.variableDefinitions?.length) return;
    const { errors } = getVariableValues(args.schema, operation.variableDefinitions, args.variableValues ?? {});
    if (errors) setResultAndStopExecution({ errors });
  },
};

/** A document graphql-jit cannot compile is answered with graphql-js's own errors for it. */
export const compiledExecution = (): Plugin[] => [variablesFirst, useGraphQlJit({}, { onError: () => {} }) as Plugin];
