/**
 * The product's processes run as production unless told otherwise. Imported
 * first by every entry point (cli.ts, main.ts, worker.ts), before any library
 * reads it at load time: graphql-js, for one, checks every type test against a
 * second copy of itself outside production (measured: 3-5 % of the server's
 * CPU per list page, README "Benchmarks"), and Express keeps stack traces out
 * of its error pages. Tests and tools that set NODE_ENV keep theirs.
 */
process.env.NODE_ENV ??= 'production';

export {};
