// Read the module's API surface with the SDK's own introspector (`scan()`), as the engine does at load.
// Plain JS so `npm run dagger:functions` runs on Node 20 without a TS loader.
import { copyFileSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs"
import { createRequire } from "node:module"
import { tmpdir } from "node:os"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..")
export const MODULE_SRC = join(ROOT, "dagger/src")
export const MODULE_NAME = "helloagents"

const require = createRequire(import.meta.url)
const sdkDist = dirname(require.resolve("@dagger.io/dagger", { paths: [ROOT] }))

/** List every .ts file under dagger/src, as the 0.21 runtime entrypoint does (no name filter). */
export function moduleFiles(dir = MODULE_SRC) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return moduleFiles(path)
    return /\.m?ts$/.test(name) && !name.endsWith(".d.ts") ? [path] : []
  })
}

/** Run the SDK's scan() over dagger/src; returns the live DaggerModule (with isCheck and cache). */
export async function scanModule(files = moduleFiles(), name = MODULE_NAME) {
  // Deep import by absolute path: the package's `exports` map blocks the subpath.
  const { scan } = await import(pathToFileURL(join(sdkDist, "module/introspector/index.js")).href)
  // scan() resolves core types only from a non-declaration file named *client.gen.ts.
  const tmp = mkdtempSync(join(tmpdir(), "dagger-scan-"))
  try {
    copyFileSync(join(sdkDist, "api/client.gen.d.ts"), join(tmp, "client.gen.ts"))
    return await scan([...files, join(tmp, "client.gen.ts")], name, false)
  } finally {
    rmSync(tmp, { recursive: true, force: true })
  }
}

/** Convert a camelCase name the way the CLI does (strcase.ToKebab). */
export function kebab(name) {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .replace(/([A-Z])([A-Z][a-z])/g, "$1-$2")
    .toLowerCase()
}

function typeName(t) {
  switch (t.kind) {
    case "STRING_KIND": return "String"
    case "INTEGER_KIND": return "Int"
    case "FLOAT_KIND": return "Float"
    case "BOOLEAN_KIND": return "Boolean"
    case "VOID_KIND": return "Void"
    case "LIST_KIND": return `[${typeName(t.typeDef)}]`
    default: return t.name
  }
}

function args(record) {
  return Object.values(record ?? {}).map((a) => ({
    name: a.name,
    flag: `--${kebab(a.name)}`,
    type: typeName(a.type),
    optional: Boolean(a.isOptional || a.isNullable || a.defaultValue !== undefined || a.defaultPath),
    ...(a.defaultValue !== undefined ? { default: a.defaultValue } : {}),
    ...(a.defaultPath ? { defaultPath: a.defaultPath } : {}),
    ...(a.ignore ? { ignore: [...a.ignore] } : {}),
    description: a.description,
  }))
}

/** Return a plain, stable description of the module surface. */
export async function loadSurface() {
  const mod = await scanModule()
  const objects = {}
  for (const obj of Object.values(mod.objects)) {
    objects[obj.name] = {
      description: obj.description,
      constructor: args(obj._constructor?.arguments),
      fields: Object.values(obj.properties ?? {})
        .filter((p) => p.isExposed)
        .map((p) => ({ name: p.name, command: kebab(p.name), type: typeName(p.type), description: p.description })),
      functions: Object.values(obj.methods).map((m) => ({
        name: m.name,
        command: kebab(m.name),
        description: m.description,
        returns: typeName(m.returnType),
        check: Boolean(m.isCheck),
        ...(m.cache !== undefined ? { cache: m.cache } : {}),
        args: args(m.arguments),
      })),
    }
  }
  return { name: mod.name, description: mod.description, objects }
}

/** Render the surface like `dagger functions`, with each function's flags. */
export function renderFunctions(surface) {
  const main = Object.entries(surface.objects).find(([name]) => name.toLowerCase() === MODULE_NAME)
  if (!main) throw new Error(`main object for module ${MODULE_NAME} not found`)
  const [, obj] = main
  const out = [surface.description, ""]
  const ctor = obj.constructor.map(fmtArg).join(" ")
  out.push(`dagger call ${ctor}  <function>`, "")
  const width = Math.max(...obj.functions.map((f) => f.command.length))
  out.push(`${"Name".padEnd(width)}   Description`)
  for (const f of obj.functions) {
    const marks = [f.check ? "check" : "", f.cache ? `cache=${f.cache}` : ""].filter(Boolean).join(", ")
    out.push(`${f.command.padEnd(width)}   ${f.description}${marks ? ` [${marks}]` : ""}`)
    for (const a of f.args) out.push(`${"".padEnd(width)}     ${fmtArg(a)}  ${a.description}`)
  }
  return out.join("\n")
}

function fmtArg(a) {
  const value = a.default !== undefined ? `=${Array.isArray(a.default) ? a.default.join(",") : a.default}` : ` <${a.type}>`
  const where = a.defaultPath ? ` (default: context ${a.defaultPath})` : ""
  const text = `${a.flag}${value}${where}`
  return a.optional ? `[${text}]` : text
}
