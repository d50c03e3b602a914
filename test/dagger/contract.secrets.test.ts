// Tier 3: no secret value reaches an env var, an exec argument or a file; test credentials are the documented throwaway.
import { describe, expect, it } from "vitest"

import { DATABASE_URL, THROWAWAY_DB_PASSWORD } from "../../dagger/src/services.ts"
import { secretLeaks, secretPlaintexts } from "./support/chains.ts"
import { useFakeEngine } from "./support/module.ts"

const h = useFakeEngine()
const CREDENTIAL_NAME = /PASSWORD|PASSWD|TOKEN|SECRET|API_KEY|PRIVATE_KEY|CREDENTIAL/i
/** The only credential-like variable allowed in plain text: the throwaway test database's password. */
const ALLOWED = new Map([["POSTGRES_PASSWORD", THROWAWAY_DB_PASSWORD]])

describe("secrets", () => {
  it.each(["test", "lint", "testReports", "build", "dev", "toolkit", "sbom", "smokeImages"] as const)("%s puts no secret plaintext in env, args or files", async (name) => {
    await h.run(async (m) => {
      const result = (m[name] as () => unknown)()
      const value = await result
      if (value && typeof value === "object" && "id" in value && typeof value.id === "function") await value.id()
    })
    expect(secretLeaks(h.engine, secretPlaintexts(h.engine))).toEqual([])
    for (const chain of h.engine.chains()) {
      for (const op of chain.filter((o) => o.field === "withEnvVariable" && CREDENTIAL_NAME.test(String(o.args.name)))) {
        expect(ALLOWED.get(String(op.args.name)), `${String(op.args.name)} set in plain text`).toBe(op.args.value)
      }
    }
  })

  it("uses the throwaway password only inside the test database URL", () => {
    expect(DATABASE_URL).toBe(`postgresql://postgres:${THROWAWAY_DB_PASSWORD}@db:5432/helloagents`)
  })
})
