// Call module functions by argument name, the way `dagger call fn --flag value` does: the argument order comes from the
// surface the SDK's introspector reads, so a test never depends on parameter positions, and an unknown name fails.
import { loadSurface } from "./surface.mjs"

type Surface = { objects: Record<string, { functions: { name: string; args: { name: string }[] }[] }> }

let surface: Promise<Surface> | undefined

/** The argument names of `object.fn`, in declaration order. */
export async function argNames(fn: string, object = "Helloagents"): Promise<string[]> {
  surface ??= loadSurface() as Promise<Surface>
  const found = (await surface).objects[object]?.functions.find((f) => f.name === fn)
  if (!found) throw new Error(`${object} has no function ${fn}`)
  return found.args.map((a) => a.name)
}

/** Call `target[fn]` with arguments given by name; names the function does not declare are an error. */
export async function call<T>(target: object, fn: string, args: Record<string, unknown> = {}, object = "Helloagents"): Promise<T> {
  const names = await argNames(fn, object)
  const unknown = Object.keys(args).filter((k) => !names.includes(k))
  if (unknown.length > 0) throw new Error(`${fn} takes no argument ${unknown.join(", ")} (it takes ${names.join(", ")})`)
  const method = (target as Record<string, unknown>)[fn]
  if (typeof method !== "function") throw new Error(`${fn} is not a method of the module object`)
  return (await (method as (...a: unknown[]) => unknown).apply(target, names.map((n) => args[n]))) as T
}
