// Imported first by the CLI, before anything loads graphql-js. Unless NODE_ENV is "production" when
// graphql-js loads, its executor checks on every instanceof that only one copy of graphql is
// installed: about 40 % of the GraphQL time of a 50-row page (measured in-process). The CLI is how
// gatewatch runs for real, so that is its default; an explicit NODE_ENV still wins. It changes
// nothing else gatewatch relies on (graphql-yoga only looks for "development").
process.env.NODE_ENV ??= 'production';
