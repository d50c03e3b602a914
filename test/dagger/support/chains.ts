// Readable views and matchers over the chains a FakeEngine recorded.
import type { Chain, FakeEngine, Op } from "./fake-engine.ts"

/** Operations that put files into a container (the ones a dependency layer may depend on). */
export const FILE_OPS = new Set(["withFile", "withDirectory", "withMountedFile", "withMountedDirectory", "withFiles"])

/** Render a chain one operation per line, ids expanded inline up to `depth` levels. */
export function render(engine: FakeEngine, chain: Chain, depth = 2): string {
  return chain.map((op) => `${op.field}(${renderArgs(engine, op, depth)})`).join("\n")
}

function renderArgs(engine: FakeEngine, op: Op, depth: number): string {
  return Object.entries(op.args)
    .map(([k, v]) => `${k}: ${renderValue(engine, v, depth)}`)
    .join(", ")
}

function renderValue(engine: FakeEngine, v: unknown, depth: number): string {
  if (Array.isArray(v)) return `[${v.map((x) => renderValue(engine, x, depth)).join(", ")}]`
  const ref = engine.chainOf(v)
  if (ref) {
    if (depth <= 0) return "{…}"
    return `{ ${ref.map((op) => `${op.field}(${renderArgs(engine, op, depth - 1)})`).join(" → ")} }`
  }
  return JSON.stringify(v)
}

/** Render a chain on one line, for assertions on its shape. */
export function oneLine(engine: FakeEngine, chain: Chain, depth = 1): string {
  return render(engine, chain, depth).replace(/\n/g, " → ")
}

/** Index of the first exec whose args equal `args`, or -1. */
export function execIndex(chain: Chain, args: readonly string[]): number {
  return chain.findIndex((op) => op.field === "withExec" && sameArgs(op.args.args, args))
}

/** True if `value` is a string array equal to `args`. */
export function sameArgs(value: unknown, args: readonly string[]): boolean {
  return Array.isArray(value) && value.length === args.length && value.every((v, i) => v === args[i])
}

/** Every recorded chain that runs exactly this command. */
export function chainsRunning(engine: FakeEngine, args: readonly string[]): Chain[] {
  return uniq(engine.chains().filter((c) => execIndex(c, args) >= 0))
}

/** The single shortest chain that runs this command (the chain up to and including the exec). */
export function chainRunning(engine: FakeEngine, args: readonly string[]): Chain {
  const found = chainsRunning(engine, args)
  if (found.length === 0) throw new Error(`no recorded chain runs ${JSON.stringify(args)}`)
  const cut = found.map((c) => c.slice(0, execIndex(c, args) + 1))
  return cut.sort((a, b) => a.length - b.length)[0]!
}

/** The address passed to the last `from` of a chain. */
export function fromAddress(chain: Chain): string | undefined {
  const op = [...chain].reverse().find((o) => o.field === "from")
  return op ? String(op.args.address) : undefined
}

/** Every `from` address used anywhere in the recorded chains (including referenced ids). */
export function allFromAddresses(engine: FakeEngine): string[] {
  const out = new Set<string>()
  for (const chain of engine.chains()) for (const op of chain) if (op.field === "from") out.add(String(op.args.address))
  return [...out].sort()
}

/** Find the first op with this field (and matching args) before index `before`. */
export function findOp(chain: Chain, field: string, where: (op: Op) => boolean = () => true, before = chain.length): number {
  return chain.slice(0, before).findIndex((op) => op.field === field && where(op))
}

/** The chain behind an id-valued argument of an op. */
export function argChain(engine: FakeEngine, op: Op, name: string): Chain {
  const chain = engine.chainOf(op.args[name])
  if (!chain) throw new Error(`${op.field}.${name} is not an id: ${JSON.stringify(op.args[name])}`)
  return chain
}

/** The chain of the file or directory an op adds to a container (`source`/`directory` argument). */
export function contentChain(engine: FakeEngine, op: Op): Chain {
  for (const name of ["source", "directory", "file"]) {
    const chain = engine.chainOf(op.args[name])
    if (chain) return chain
  }
  throw new Error(`${op.field} carries no file or directory id: ${JSON.stringify(op.args)}`)
}

/** The value of the last `withWorkdir` before index `before`. */
export function workdirAt(chain: Chain, before: number): string | undefined {
  const op = chain.slice(0, before).reverse().find((o) => o.field === "withWorkdir")
  return op ? String(op.args.path) : undefined
}

/** Env vars set with plain `withEnvVariable` up to index `before`. */
export function envAt(chain: Chain, before = chain.length): Record<string, string> {
  const env: Record<string, string> = {}
  for (const op of chain.slice(0, before)) {
    if (op.field === "withEnvVariable") env[String(op.args.name)] = String(op.args.value)
    if (op.field === "withoutEnvVariable") delete env[String(op.args.name)]
  }
  return env
}

/** True if the chain is `<arg source>` followed by exactly these ops (field + args subset). */
export function isSourcePath(chain: Chain, field: "file" | "directory", path: string): boolean {
  return chain.length === 2 && chain[0]!.field === "<arg>" && chain[1]!.field === field && chain[1]!.args.path === path
}

/**
 * Every place a plaintext could leak: env values, exec args, new-file contents, labels, anywhere.
 * Returns findings as readable strings.
 */
export function secretLeaks(engine: FakeEngine, plaintexts: readonly string[]): string[] {
  const secrets = plaintexts.filter((p) => p.length > 0)
  const findings: string[] = []
  for (const chain of engine.chains()) {
    for (const op of chain) {
      const exposed: Array<[string, unknown]> = []
      if (op.field === "withEnvVariable") exposed.push([`env ${op.args.name}`, op.args.value])
      if (op.field === "withExec") exposed.push(["exec args", op.args.args])
      if (op.field === "withNewFile") exposed.push([`file ${op.args.path}`, op.args.contents])
      if (op.field === "withLabel" || op.field === "withAnnotation") exposed.push([`${op.field} ${op.args.name}`, op.args.value])
      if (op.field === "withDefaultArgs" || op.field === "withEntrypoint") exposed.push([op.field, op.args.args])
      for (const [where, value] of exposed) {
        const text = JSON.stringify(value)
        for (const s of secrets) if (text.includes(s)) findings.push(`${where} contains a secret value`)
      }
    }
  }
  return [...new Set(findings)]
}

/** Plaintexts the module handed to the engine as secrets (`setSecret`). */
export function secretPlaintexts(engine: FakeEngine): string[] {
  const all = engine
    .chains()
    .flatMap((chain) => chain.filter((op) => op.field === "setSecret").map((op) => String(op.args.plaintext)))
  return [...new Set(all)]
}

function uniq(chains: Chain[]): Chain[] {
  const seen = new Set<string>()
  return chains.filter((c) => {
    const key = JSON.stringify(c)
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

/** The forms in which a secret value could show up: itself, base64 of it, and base64 of `user:value` (basic auth, docker config). */
export function secretForms(value: string, users: readonly string[] = []): string[] {
  const b64 = (s: string) => Buffer.from(s).toString("base64")
  return [value, b64(value), ...users.map((u) => b64(`${u}:${value}`))]
}

/**
 * Every place a canary secret value shows outside the engine's secret store: the raw text of any query except the
 * module's own `setSecret` (the one way to hand a derived secret to the engine), any exec argument, env variable, new
 * file, label or annotation in a recorded chain, and the values a function returned.
 */
export function canaryLeaks(engine: FakeEngine, forms: readonly string[], returned: readonly unknown[] = []): string[] {
  const findings: string[] = []
  for (const r of engine.requests) {
    const ownSecret = r.chain.at(-1)?.field === "setSecret" || (r.chain.length === 0 && r.leaf.field === "setSecret")
    const text = ownSecret ? r.query.replace(/plaintext:\s*"(?:[^"\\]|\\.)*"/g, "plaintext: <secret>") : r.query
    for (const f of forms) if (text.includes(f)) findings.push(`query selecting ${r.leaf.field} carries a secret value`)
  }
  findings.push(...secretLeaks(engine, forms))
  for (const value of returned) {
    const text = typeof value === "string" ? value : JSON.stringify(value) ?? ""
    for (const f of forms) if (text.includes(f)) findings.push("a returned value carries a secret value")
  }
  return [...new Set(findings)]
}
