// Offline stand-in for dagger/tests/sdk/index.ts: the 0.21 module bundle (../shim) plus the generated client of the
// helloagents dependency (helloagents.gen.ts, regenerated from the module surface by test/dagger/bindings.mjs).
import type { Client } from "../shim/index.js"
import type { ClientHelloagentsOpts, Helloagents } from "./helloagents.gen.js"

export * from "../shim/index.js"
export * from "./helloagents.gen.js"

/** The session client, with the dependency's constructor as `dag.helloagents()`. */
export declare const dag: Client & { helloagents(opts?: ClientHelloagentsOpts): Helloagents }
