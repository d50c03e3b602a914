/** Library entry: hello-ci's decisions, for programmatic use and tests. */
export { main, buildProgram } from "./cli.js";
export * from "./errors.js";
