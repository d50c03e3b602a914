#!/usr/bin/env node
/**
 * The repository's one test command (`npm test`): runs every part's own commands in order, keeps going after a
 * failure so one run shows every problem, then prints one summary line counted from the JUnit files the suites write.
 *
 *   node test/run-all.mjs                   every step
 *   node test/run-all.mjs --group lint      lint | typecheck | test
 *   node test/run-all.mjs --only backend    steps whose name contains "backend"
 *   node test/run-all.mjs --list            print the steps and exit
 *
 * Exit code: 0 when every step passed, 1 otherwise.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const venv = process.env.HELLOAGENTS_VENV ?? join(root, ".venv");
const py = (tool) => join(venv, "bin", tool);

/** @typedef {{group: string, name: string, cwd: string, cmd: string[], junit?: string[], gotest?: boolean}} Step */
/** @type {Step[]} */
const steps = [
  { group: "lint", name: "backend: ruff check", cwd: "backend", cmd: [py("ruff"), "check", "."] },
  { group: "lint", name: "backend: ruff format", cwd: "backend", cmd: [py("ruff"), "format", "--check", "."] },
  { group: "lint", name: "frontend: eslint", cwd: "frontend", cmd: ["npm", "run", "--silent", "lint"] },
  { group: "lint", name: "ci: eslint", cwd: "ci", cmd: ["npm", "run", "--silent", "lint"] },
  { group: "lint", name: "dagger: structure (no cycles, ≤6 params)", cwd: ".", cmd: ["node", "test/dagger/structure.mjs"] },
  { group: "typecheck", name: "frontend: tsc", cwd: "frontend", cmd: ["npm", "run", "--silent", "typecheck"] },
  { group: "typecheck", name: "ci: tsc", cwd: "ci", cmd: ["npm", "run", "--silent", "typecheck"] },
  { group: "typecheck", name: "dagger: shim type-check", cwd: ".", cmd: ["npm", "run", "--silent", "typecheck:dagger"] },
  { group: "test", name: "backend: pytest", cwd: "backend", cmd: [py("python"), "-m", "pytest"], junit: ["backend/reports/junit.xml"] },
  { group: "test", name: "frontend: vitest", cwd: "frontend", cmd: ["npm", "test"], junit: ["frontend/reports/junit.xml"] },
  { group: "test", name: "frontend: build", cwd: "frontend", cmd: ["npm", "run", "--silent", "build"] },
  { group: "test", name: "ci: build", cwd: "ci", cmd: ["npm", "run", "--silent", "build"] },
  { group: "test", name: "ci: vitest", cwd: "ci", cmd: ["npm", "test"], junit: ["ci/reports/junit.xml"] },
  { group: "test", name: "dagger: surface + contract + workflows", cwd: ".", cmd: ["npm", "run", "--silent", "test:dagger"], junit: ["reports/dagger-junit.xml"] },
  { group: "test", name: "e2e: stack + chromium", cwd: ".", cmd: ["npx", "vitest", "run", "test/e2e", "test/repo", "--outputFile.junit=reports/e2e-junit.xml"], junit: ["reports/e2e-junit.xml"] },
  { group: "test", name: "compose: docker-compose config", cwd: ".", cmd: ["bash", "test/compose/check.sh"] },
  { group: "test", name: "k8s: control plane suite", cwd: ".", cmd: ["bash", "ci/test/k8s/test.sh"], gotest: true },
  { group: "test", name: "ci: deploy on the k8s control plane", cwd: "ci", cmd: ["npx", "vitest", "run", "--config", "vitest.deploy.config.ts"], junit: ["ci/reports/deploy-junit.xml"] },
  { group: "test", name: "ci: deploy on ECS (moto)", cwd: "ci", cmd: ["npx", "vitest", "run", "--config", "vitest.ecs.config.ts"], junit: ["ci/reports/ecs-junit.xml"] },
];

const args = process.argv.slice(2);
const flag = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const group = flag("--group");
const only = flag("--only");
const selected = steps.filter((s) => (!group || s.group === group) && (!only || s.name.includes(only)));

if (args.includes("--list")) {
  for (const s of selected) console.log(`${s.group.padEnd(10)} ${s.name}`);
  process.exit(0);
}
if (selected.length === 0) {
  console.error(`run-all: no step matches --group ${group ?? "*"} --only ${only ?? "*"} (see --list)`);
  process.exit(2);
}

/** Count <testcase> outcomes in a JUnit XML file. */
function countJunit(file) {
  const xml = readFileSync(file, "utf8");
  const cases = xml.match(/<testcase\b[\s\S]*?(?:\/>|<\/testcase>)/g) ?? [];
  let failed = 0;
  let skipped = 0;
  for (const c of cases) {
    if (/<(failure|error)\b/.test(c)) failed += 1;
    else if (/<skipped\b/.test(c)) skipped += 1;
  }
  return { passed: cases.length - failed - skipped, failed, skipped };
}

/** Count `--- PASS` / `--- FAIL` lines of `go test -v` output (top-level and subtests). */
function countGoTest(output) {
  return {
    passed: (output.match(/^\s*--- PASS: /gm) ?? []).length,
    failed: (output.match(/^\s*--- FAIL: /gm) ?? []).length,
    skipped: (output.match(/^\s*--- SKIP: /gm) ?? []).length,
  };
}

/** Plain output for logs: FORCE_COLOR (even "0") makes pytest emit colour codes, NO_COLOR turns them off everywhere. */
function withoutColorForcing(env) {
  const { FORCE_COLOR: _ignored, ...rest } = env;
  return rest;
}

function run(step) {
  return new Promise((resolvePromise) => {
    let output = "";
    const child = spawn(step.cmd[0], step.cmd.slice(1), {
      cwd: join(root, step.cwd),
      env: { ...withoutColorForcing(process.env), NO_COLOR: "1", CI: process.env.CI ?? "true" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const relay = (stream, sink) =>
      stream.on("data", (chunk) => {
        sink.write(chunk);
        if (step.gotest) output += chunk.toString();
      });
    relay(child.stdout, process.stdout);
    relay(child.stderr, process.stderr);
    child.on("error", (error) => resolvePromise({ code: 127, output: String(error) }));
    child.on("close", (code) => resolvePromise({ code: code ?? 1, output }));
  });
}

mkdirSync(join(root, "reports"), { recursive: true });
const results = [];
const totals = { passed: 0, failed: 0, skipped: 0 };
for (const step of selected) {
  for (const file of step.junit ?? []) rmSync(join(root, file), { force: true });
  console.log(`\n=== ${step.name}  (${step.cwd}$ ${step.cmd.join(" ")})`);
  const started = Date.now();
  const { code, output } = await run(step);
  const seconds = (Date.now() - started) / 1000;
  const counts = { passed: 0, failed: 0, skipped: 0 };
  for (const file of step.junit ?? []) {
    const path = join(root, file);
    if (!existsSync(path)) continue;
    const c = countJunit(path);
    counts.passed += c.passed;
    counts.failed += c.failed;
    counts.skipped += c.skipped;
  }
  if (step.gotest) Object.assign(counts, countGoTest(output));
  // A step that failed without reporting a failing test case (lint, build, a crash) counts as one failure.
  if (code !== 0 && counts.failed === 0) counts.failed = 1;
  if (code === 0 && !step.junit && !step.gotest) counts.passed = 1;
  for (const k of Object.keys(totals)) totals[k] += counts[k];
  results.push({ step, code, seconds, counts });
}

console.log("\n=== summary");
for (const { step, code, seconds, counts } of results) {
  const verdict = code === 0 ? "ok  " : "FAIL";
  const tests = step.junit || step.gotest ? `  ${counts.passed} passed, ${counts.failed} failed` : "";
  console.log(`${verdict} ${step.name.padEnd(42)} ${seconds.toFixed(1).padStart(6)}s${tests}`);
}
const failedSteps = results.filter((r) => r.code !== 0).length;
console.log(`${failedSteps === 0 ? "all steps passed" : `${failedSteps} step(s) failed`}; tests and checks:`);
console.log(`${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ""}`);
process.exit(failedSteps === 0 ? 0 : 1);
