// Read a `dagger call` command line (as the workflows write it) and check it against the module surface the SDK's
// introspector reads: every module function in the chain exists, every flag is one it declares, no required flag is
// missing. Functions of core types after the chain (`export --path …`) are left to the CLI.
type Arg = { name: string; flag: string; type: string; optional: boolean }
type Fn = { name: string; command: string; returns: string; args: Arg[] }
export type Surface = { objects: Record<string, { functions: Fn[] }> }

/** Split a command line into words, keeping quoted words whole (quotes removed). */
export function words(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]!)
}

/** One function of the chain and the flags given to it. */
export interface CallSegment {
  readonly fn: string
  readonly flags: Record<string, string | true>
}

/** `fn --flag` for every Boolean argument of the surface: such a flag given bare takes no value. */
export function booleanFlags(surface: Surface): Set<string> {
  return new Set(Object.values(surface.objects).flatMap((o) => o.functions.flatMap((f) => f.args.filter((a) => a.type === "Boolean").map((a) => `${f.command} ${a.flag}`))))
}

/** Split `fn1 --a x fn2 --b y …` into segments; a Boolean flag given bare (`--dry-run`) takes no value. */
export function segments(line: string, booleans: ReadonlySet<string> = new Set()): CallSegment[] {
  const out: Array<{ fn: string; flags: Record<string, string | true> }> = []
  const list = words(line)
  for (let i = 0; i < list.length; i++) {
    const w = list[i]!
    if (!w.startsWith("--")) {
      out.push({ fn: w, flags: {} })
      continue
    }
    const current = out.at(-1)
    if (!current) throw new Error(`flag ${w} before any function`)
    const [flag, inline] = w.split("=", 2) as [string, string | undefined]
    const next = list[i + 1]
    if (inline !== undefined) current.flags[flag] = inline
    else if (booleans.has(`${current.fn} ${flag}`) || next === undefined || next.startsWith("--")) current.flags[flag] = true
    else current.flags[flag] = list[++i]!
  }
  return out
}

/** Problems with a call line against the surface of `object` (empty when the line is valid). */
export function checkCall(surface: Surface, line: string, object = "Helloagents"): string[] {
  const problems: string[] = []
  let owner: string | undefined = object
  for (const seg of segments(line, booleanFlags(surface))) {
    if (owner === undefined) break
    const fn = surface.objects[owner]?.functions.find((f) => f.command === seg.fn)
    if (!fn) {
      problems.push(`${owner} has no function ${seg.fn}`)
      break
    }
    for (const flag of Object.keys(seg.flags)) if (!fn.args.some((a) => a.flag === flag)) problems.push(`${seg.fn} takes no ${flag}`)
    for (const a of fn.args.filter((x) => !x.optional)) if (!(a.flag in seg.flags)) problems.push(`${seg.fn} needs ${a.flag}`)
    owner = surface.objects[fn.returns] ? fn.returns : undefined
  }
  return problems
}
