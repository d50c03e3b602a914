// Structure lint for the Dagger module (dagger/src has no eslint: it has no npm dependencies by design):
//   - no import cycle between its files;
//   - no function, method or constructor with more than 6 parameters (options belong in `with-*` builders).
// Prints one line per finding and exits 1; exits 0 when the tree is clean.
//   node test/dagger/structure.mjs [dir]      default dir: dagger/src
import { readdirSync, readFileSync, statSync } from "node:fs"
import { createRequire } from "node:module"
import { dirname, join, relative, resolve } from "node:path"
import { fileURLToPath } from "node:url"

const require = createRequire(import.meta.url)
const ts = require("typescript")

export const MAX_PARAMS = 6
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..")

function tsFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return name === "node_modules" ? [] : tsFiles(path)
    return /\.m?ts$/.test(name) && !name.endsWith(".d.ts") ? [path] : []
  })
}

/** Relative imports of a source file, resolved to .ts paths (type-only imports included: they still couple files). */
function importsOf(file, source) {
  const out = []
  for (const stmt of source.statements) {
    const spec = (ts.isImportDeclaration(stmt) || ts.isExportDeclaration(stmt)) && stmt.moduleSpecifier
    if (!spec || !ts.isStringLiteral(spec) || !spec.text.startsWith(".")) continue
    out.push(resolve(dirname(file), spec.text.replace(/\.js$/, ".ts")))
  }
  return out
}

/** Every cycle in the import graph, each reported once, as a list of files. */
function cycles(graph) {
  const found = new Map()
  const state = new Map()
  const stack = []
  const visit = (node) => {
    state.set(node, "open")
    stack.push(node)
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue
      if (state.get(next) === "open") {
        const cycle = stack.slice(stack.indexOf(next))
        const key = [...cycle].sort().join("|")
        if (!found.has(key)) found.set(key, [...cycle, next])
      } else if (!state.has(next)) visit(next)
    }
    stack.pop()
    state.set(node, "done")
  }
  for (const node of graph.keys()) if (!state.has(node)) visit(node)
  return [...found.values()]
}

/** Functions with more than MAX_PARAMS parameters. */
function longSignatures(file, source) {
  const out = []
  const walk = (node) => {
    if (ts.isFunctionLike(node) && "parameters" in node) {
      const params = node.parameters.filter((p) => !(ts.isIdentifier(p.name) && p.name.text === "this"))
      if (params.length > MAX_PARAMS) {
        const { line } = source.getLineAndCharacterOfPosition(node.getStart(source))
        const name = node.name && ts.isIdentifier(node.name) ? node.name.text : ts.isConstructorDeclaration(node) ? "constructor" : "(anonymous)"
        out.push(`${relative(ROOT, file)}:${line + 1}: ${name} takes ${params.length} parameters (at most ${MAX_PARAMS}: move options into a with-* builder or an object)`)
      }
    }
    ts.forEachChild(node, walk)
  }
  walk(source)
  return out
}

/** Lint a directory; return the findings (empty when clean). */
export function lintStructure(dir) {
  const files = tsFiles(dir)
  const graph = new Map()
  const findings = []
  for (const file of files) {
    const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true)
    graph.set(file, importsOf(file, source))
    findings.push(...longSignatures(file, source))
  }
  for (const cycle of cycles(graph)) findings.push(`import cycle: ${cycle.map((f) => relative(ROOT, f)).join(" → ")}`)
  return findings
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = resolve(process.argv[2] ?? join(ROOT, "dagger/src"))
  const findings = lintStructure(dir)
  for (const f of findings) console.error(f)
  console.log(findings.length === 0 ? `structure: ${relative(ROOT, dir)} has no import cycle and no function over ${MAX_PARAMS} parameters` : `structure: ${findings.length} finding(s)`)
  process.exit(findings.length === 0 ? 0 : 1)
}
