// Run module code against a FakeEngine through the SDK's real connection path.
import { connection, Context, Directory, Secret, Service } from "@dagger.io/dagger"

import type { FakeEngine } from "./fake-engine.ts"

/** Run `fn` inside `connection()` with the session variables pointing at `engine`. */
export async function withEngine<T>(engine: FakeEngine, fn: () => Promise<T>): Promise<T> {
  const saved = { port: process.env.DAGGER_SESSION_PORT, token: process.env.DAGGER_SESSION_TOKEN }
  Object.assign(process.env, engine.env())
  let result: { value: T } | undefined
  try {
    await connection(async () => {
      result = { value: await fn() }
    })
  } finally {
    restore("DAGGER_SESSION_PORT", saved.port)
    restore("DAGGER_SESSION_TOKEN", saved.token)
  }
  return result!.value
}

function restore(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name]
  else process.env[name] = value
}

/** Build a Directory argument the way the module runtime does (`node(id:)` on a Directory). */
export function directoryArg(id: string): Directory {
  return new Directory(new Context().selectNode(id, "Directory"))
}

/** Build a Secret argument the way the module runtime does (`node(id:)` on a Secret). */
export function secretArg(id: string): Secret {
  return new Secret(new Context().selectNode(id, "Secret"))
}

/** Build a Service argument the way the module runtime does (`--api-server tcp://localhost:6443` arrives as an id). */
export function serviceArg(id: string): Service {
  return new Service(new Context().selectNode(id, "Service"))
}
