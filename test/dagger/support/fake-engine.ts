// A loopback stand-in for the Dagger engine's session API, for contract tests.
// The SDK talks to it exactly as to a real session (DAGGER_SESSION_PORT/TOKEN, HTTP Basic, `{query}`),
// it records every request as a resolved chain of operations, answers ids content-addressed, and can
// make an exec fail the way the engine does (an EXEC_ERROR GraphQL error). It does not run anything.
import { createHash } from "node:crypto"
import { readFileSync } from "node:fs"
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import { join } from "node:path"

import {
  buildSchema,
  Kind,
  parse,
  validate,
  valueFromASTUntyped,
  type GraphQLSchema,
  type SelectionSetNode,
} from "graphql"

/** One selected field with its arguments (enum values become their names, ids stay strings). */
export interface Op {
  readonly field: string
  readonly args: Readonly<Record<string, unknown>>
}

/** A resolved selection path from the query root (ids expanded), without the leaf. */
export type Chain = readonly Op[]

/** One request as the engine saw it. */
export interface RecordedRequest {
  readonly query: string
  /** Chain leading to the leaf, with `node(id:)` replaced by the chain the id stands for. */
  readonly chain: Chain
  readonly leaf: Op
}

/** A simulated command failure. */
export interface ExecFailure {
  readonly matches: (args: readonly string[]) => boolean
  readonly exitCode: number
  readonly stdout?: string
  readonly stderr?: string
}

/** Return a value for a leaf, or undefined to fall back to the defaults. */
export type LeafHandler = (chain: Chain, leaf: Op) => unknown

/** Commit every contextual GitRef resolves to. */
export const FAKE_COMMIT = "0123456789abcdef0123456789abcdef01234567"

/** Synthetic root op standing for a Directory handed to the module by the runtime. */
export const ARG_ROOT = "<arg>"

/** The engine's GraphQL schema at v0.21.8 (data, copied into test/dagger/fixtures); every recorded query is validated. */
const SCHEMA_PATH = process.env.DAGGER_SCHEMA ?? join(import.meta.dirname, "../fixtures/schema-v0.21.8.graphqls")
const EXECUTING_LEAVES_EXEMPT = new Set(["id"])

export class FakeEngine {
  readonly token = "fake-session-token"
  readonly requests: RecordedRequest[] = []
  readonly validationErrors: string[] = []
  private readonly ids = new Map<string, Chain>()
  private readonly argSecrets = new Map<string, string>()
  private issued = new Set<string>()
  private failures: ExecFailure[] = []
  private handlers: LeafHandler[] = []
  private delays = new Map<string, number>()
  private inFlight = new Map<string, number>()
  private peak = new Map<string, number>()
  private server: Server | undefined
  private schema: GraphQLSchema | undefined
  port = 0

  /** Listen on 127.0.0.1 on a free port and load the 0.21.8 schema for validation. */
  async start(): Promise<this> {
    this.schema = buildSchema(readFileSync(SCHEMA_PATH, "utf8"))
    this.server = createServer((req, res) => void this.handle(req, res))
    await new Promise<void>((ok) => this.server!.listen(0, "127.0.0.1", ok))
    this.port = (this.server.address() as AddressInfo).port
    return this
  }

  async stop(): Promise<void> {
    const server = this.server
    this.server = undefined
    if (server) await new Promise<void>((ok) => server.close(() => ok()))
  }

  /** Environment the SDK needs to use this engine instead of provisioning one. */
  env(): Record<string, string> {
    return { DAGGER_SESSION_PORT: String(this.port), DAGGER_SESSION_TOKEN: this.token }
  }

  /** Forget recorded requests, failures, handlers and delays (ids stay valid). */
  reset(): void {
    this.requests.length = 0
    this.issued.clear()
    this.failures = []
    this.handlers = []
    this.delays.clear()
    this.peak.clear()
  }

  /** Register an id for a synthetic argument, e.g. the module's `source` directory. */
  argument(name: string): string {
    const chain: Chain = [{ field: ARG_ROOT, args: { name } }]
    return this.idFor(chain)
  }

  /**
   * Register an id for a Secret argument the way the CLI hands one over (`--password env://X`): the module gets an
   * opaque id, and only `plaintext` on it (which the module should rarely call) returns the value.
   */
  secretArgument(name: string, plaintext: string): string {
    const id = this.argument(name)
    this.argSecrets.set(id, plaintext)
    return id
  }

  /** Make every exec whose args match fail with this exit code (and output). */
  failExec(failure: ExecFailure): void {
    this.failures.push(failure)
  }

  /** Answer some leaves with custom values. */
  onLeaf(handler: LeafHandler): void {
    this.handlers.push(handler)
  }

  /** Hold every request for this leaf for `ms` before answering (to observe concurrency). */
  delayLeaf(leaf: string, ms: number): void {
    this.delays.set(leaf, ms)
  }

  /** Highest number of simultaneous requests seen for a leaf. */
  peakConcurrency(leaf: string): number {
    return this.peak.get(leaf) ?? 0
  }

  /** Return the chain an id stands for. */
  resolve(id: string): Chain {
    const chain = this.ids.get(id)
    if (!chain) throw new Error(`fake engine: unknown id ${id}`)
    return chain
  }

  /** Return the chain of a value if it is an id this engine issued. */
  chainOf(value: unknown): Chain | undefined {
    return typeof value === "string" ? this.ids.get(value) : undefined
  }

  /** Every chain the module built since the last reset: those it awaited and those it turned into ids. */
  chains(): Chain[] {
    return [...this.requests.map((r) => r.chain), ...[...this.issued].map((id) => this.ids.get(id)!)]
  }

  private idFor(chain: Chain): string {
    const id = `fake:${createHash("sha256").update(JSON.stringify(chain)).digest("hex").slice(0, 24)}`
    this.ids.set(id, chain)
    this.issued.add(id)
    return id
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const expected = `Basic ${Buffer.from(`${this.token}:`).toString("base64")}`
    if (req.headers.authorization !== expected) {
      res.writeHead(401).end("bad session token")
      return
    }
    let body = ""
    for await (const chunk of req) body += chunk
    const reply = (status: number, payload: unknown) => {
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(payload))
    }
    let query: string
    try {
      query = (JSON.parse(body) as { query: string }).query
    } catch {
      reply(400, { errors: [{ message: "fake engine: body is not {query}" }] })
      return
    }
    const doc = parse(query)
    if (this.schema) {
      for (const err of validate(this.schema, doc)) this.validationErrors.push(`${err.message} in ${query.trim()}`)
    }
    const def = doc.definitions[0]
    if (!def || def.kind !== Kind.OPERATION_DEFINITION) {
      reply(400, { errors: [{ message: "fake engine: expected one operation" }] })
      return
    }
    const path = selectionPath(def.selectionSet)
    const leaf = path[path.length - 1]!
    const chain = this.expand(path.slice(0, -1))
    this.requests.push({ query, chain, leaf })

    const count = (this.inFlight.get(leaf.field) ?? 0) + 1
    this.inFlight.set(leaf.field, count)
    this.peak.set(leaf.field, Math.max(this.peak.get(leaf.field) ?? 0, count))
    try {
      const delay = this.delays.get(leaf.field)
      if (delay) await new Promise((ok) => setTimeout(ok, delay))
      const failure = EXECUTING_LEAVES_EXEMPT.has(leaf.field) ? undefined : this.failingExec(chain)
      if (failure) {
        reply(200, {
          data: null,
          errors: [
            {
              // What a real 0.21 engine says (seen on the engine lab): the exit code only, never the command, so a
              // module that passes the message on loses which exec failed.
              message: `exit code: ${failure.failure.exitCode}`,
              extensions: {
                _type: "EXEC_ERROR",
                cmd: failure.args,
                exitCode: failure.failure.exitCode,
                stdout: failure.failure.stdout ?? "",
                stderr: failure.failure.stderr ?? "",
              },
            },
          ],
        })
        return
      }
      const value = this.answer(chain, leaf)
      reply(200, { data: nest(path.map((op) => op.field), value) })
    } catch (e) {
      reply(200, { data: null, errors: [{ message: `fake engine: ${(e as Error).message}` }] })
    } finally {
      this.inFlight.set(leaf.field, (this.inFlight.get(leaf.field) ?? 1) - 1)
    }
  }

  /** Replace a leading `node(id:)` by the chain it stands for. */
  private expand(path: Op[]): Chain {
    const [first, ...rest] = path
    if (first?.field === "node") return [...this.resolve(String(first.args.id)), ...rest]
    return path
  }

  /** Find an exec in this chain (or in anything it references) that fails without `expect: ANY`. */
  private failingExec(chain: Chain, seen = new Set<Chain>()): { args: string[]; failure: ExecFailure } | undefined {
    if (seen.has(chain)) return undefined
    seen.add(chain)
    for (const op of chain) {
      if (op.field === "withExec") {
        const args = op.args.args as string[]
        const failure = this.failures.find((f) => f.matches(args))
        const tolerant = op.args.expect === "ANY" || op.args.expect === "FAILURE"
        if (failure && !tolerant) return { args, failure }
      }
      for (const value of Object.values(op.args)) {
        for (const v of Array.isArray(value) ? value : [value]) {
          const ref = this.chainOf(v)
          // A bound service is started, not synced: its failure is not this chain's exec error.
          if (ref && op.field !== "withServiceBinding") {
            const found = this.failingExec(ref, seen)
            if (found) return found
          }
        }
      }
    }
    return undefined
  }

  private lastExecFailure(chain: Chain): ExecFailure | undefined {
    const exec = [...chain].reverse().find((op) => op.field === "withExec")
    if (!exec) return undefined
    return this.failures.find((f) => f.matches(exec.args.args as string[]))
  }

  private answer(chain: Chain, leaf: Op): unknown {
    for (const handler of this.handlers) {
      const value = handler(chain, leaf)
      if (value !== undefined) return value
    }
    switch (leaf.field) {
      case "id":
      case "sync":
        return this.idFor(chain)
      case "exitCode":
        return this.lastExecFailure(chain)?.exitCode ?? 0
      case "stdout":
        return this.lastExecFailure(chain)?.stdout ?? ""
      case "stderr":
        return this.lastExecFailure(chain)?.stderr ?? ""
      case "combinedOutput": {
        const f = this.lastExecFailure(chain)
        return f ? `${f.stdout ?? ""}${f.stderr ?? ""}` : ""
      }
      case "imageRef": {
        const from = [...chain].reverse().find((op) => op.field === "from")
        const address = String(from?.args.address ?? "scratch").split("@")[0]
        return `docker.io/library/${address}@sha256:${"0".repeat(64)}`
      }
      case "defaultPlatform":
      case "platform":
        return "linux/amd64"
      case "entries":
      case "glob":
        return []
      case "contents":
        return ""
      case "export":
        return leaf.args.path ?? ""
      case "version":
        return "v0.21.9"
      case "commit":
        return FAKE_COMMIT
      case "start":
      case "stop":
        return this.idFor(chain)
      case "plaintext": {
        const argument = this.argSecrets.get(this.idFor(chain))
        if (argument !== undefined) return argument
        const set = [...chain].reverse().find((op) => op.field === "setSecret")
        if (!set) throw new Error("plaintext of a secret the module did not set")
        return String(set.args.plaintext)
      }
      case "publish": {
        const address = String(leaf.args.address)
        const digest = createHash("sha256").update(address.split(":").slice(0, -1).join(":")).digest("hex")
        return `${address}@sha256:${digest}`
      }
      default:
        throw new Error(`no canned value for leaf ${leaf.field}`)
    }
  }
}

/** Flatten the single selection path of a query (inline fragments add no nesting). */
function selectionPath(set: SelectionSetNode): Op[] {
  const path: Op[] = []
  let current: SelectionSetNode | undefined = set
  while (current) {
    const sel = current.selections[0]
    if (!sel) break
    if (sel.kind === Kind.INLINE_FRAGMENT) {
      current = sel.selectionSet
      continue
    }
    if (sel.kind !== Kind.FIELD) throw new Error("fake engine: fragments are not supported")
    const args: Record<string, unknown> = {}
    for (const arg of sel.arguments ?? []) args[arg.name.value] = valueFromASTUntyped(arg.value)
    path.push({ field: sel.name.value, args })
    current = sel.selectionSet
  }
  return path
}

function nest(fields: readonly string[], value: unknown): unknown {
  return fields.reduceRight<unknown>((inner, field) => ({ [field]: inner }), value)
}
