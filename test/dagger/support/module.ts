// Shared setup for contract tests: one FakeEngine per file, one module instance per test.
import { afterAll, beforeAll, beforeEach, expect } from "vitest"

import { Helloagents } from "../../../dagger/src/index.ts"
import { FakeEngine } from "./fake-engine.ts"
import { directoryArg, withEngine } from "./session.ts"

export interface Harness {
  engine: FakeEngine
  /** A fresh module instance whose `source` is the runtime-style argument `<arg source>`. */
  module(): Helloagents
  /** Run module code inside a session on the fake engine. */
  run<T>(fn: (mod: Helloagents) => Promise<T>): Promise<T>
}

/** Start a FakeEngine for this test file and reset its records before each test. */
export function useFakeEngine(): Harness {
  const engine = new FakeEngine()
  beforeAll(async () => {
    await engine.start()
  })
  afterAll(async () => {
    await engine.stop()
    // Every query the module sent must be valid against the engine's 0.21.8 schema (misspelt fields, bad args).
    expect(engine.validationErrors).toEqual([])
  })
  beforeEach(() => engine.reset())
  const harness: Harness = {
    engine,
    module: () => new Helloagents(directoryArg(engine.argument("source"))),
    run: (fn) => withEngine(engine, () => fn(harness.module())),
  }
  return harness
}
