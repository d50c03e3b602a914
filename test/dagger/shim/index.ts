// Offline stand-in for the engine-generated `dagger/sdk/index.ts` of Dagger 0.21.x.
// It re-exports exactly what that file exports (dagger/dagger@v0.21.8
// sdk/typescript/runtime/tsutils/module/index.ts): a subset of the npm package's entry point plus the
// whole generated client. `up`, `ExecError` and the other error classes are deliberately absent.
export {
  connection,
  connect,
  Context,
  func,
  check,
  generate,
  argument,
  object,
  field,
  enumType,
  entrypoint,
} from "../../../node_modules/@dagger.io/dagger/dist/src/index.js"

export type { ConnectOpts, CallbackFct } from "../../../node_modules/@dagger.io/dagger/dist/src/index.js"

export * from "../../../node_modules/@dagger.io/dagger/dist/src/api/client.gen.js"
