import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { startSlowServer, type TestServer } from "../../test/support/stack.js";
import { tempDir } from "../../test/support/temp.js";
import { main } from "../cli.js";
import { memoryIo } from "../io.js";
import { healthReportSchema } from "../schemas/health.js";

const run = async (...args: string[]) => runWith({}, ...args);

const runWith = async (env: NodeJS.ProcessEnv, ...args: string[]) => {
  const io = memoryIo({ env });
  const code = await main(["node", "hello-ci", "health-check", ...args], io);
  return { code, ...io };
};

const dir = tempDir("hc-");

describe("health-check: invalid input exits 2 before any request", () => {
  it.each([
    [[], "give either --url URL… or --env NAME"],
    [["--url", "http://a/", "--env", "staging"], "give either --url URL… or --env NAME"],
    [["--url", "ftp://a/"], "health-check: --url: must be an http:// or https:// URL"],
    [["--url", "http://a/", "--timeout", "soon"], 'health-check: --timeout: "soon" is not a duration'],
    [["--url", "http://a/", "--timeout", "5"], 'health-check: --timeout: "5" has no unit: use a unit: 250ms, 5s, 2m'],
    [["--url", "http://a/", "--timeout", "72000m"], 'health-check: --timeout: "72000m" is too long: at most 1440m (24 hours)'],
    [["--url", "http://a/", "--deadline", "36000m"], 'health-check: --deadline: "36000m" is too long: at most 1440m (24 hours)'],
    [["--url", "http://a/", "--budget", "300"], 'health-check: --budget: "300" has no unit'],
    [["--url", "http://a/", "--percentile", "p95 < 300"], 'health-check: --percentile: "p95 < 300" is not a percentile budget'],
    [["--url", "http://a/", "--concurrency", "0"], "concurrency"],
    [["--url", "http://a/", "--assert", "$.status = 1"], "health-check: --assert: invalid condition"],
    [["--url", "http://a/", "--percentile", "p95 > 3"], "percentile"],
    [["--env", "qa"], 'health-check: --env: unknown environment "qa"; known environments: production, staging'],
    [["--url", "http://a/", "--tls-warn-days", "2", "--tls-fail-days", "5"], "health-check: --tls-warn-days: must be at least --tls-fail-days (5): warn before failing"],
    [["--url", "http://a/", "--tls-fail-days", "30"], "health-check: --tls-warn-days: must be at least --tls-fail-days (30): warn before failing"],
    [["--url", "http://a/", "--samples", "many"], 'health-check: --samples: expected a whole number from 1 to 1000, got "many"'],
    [["--url", "http://a/", "--tls-warn-days", "-1"], 'health-check: --tls-warn-days: expected a number of days (0 or more), got "-1"'],
    [["--url", "http://a/", "--ca", "/nonexistent/ca.pem"], "health-check: --ca: cannot read /nonexistent/ca.pem: no such file or directory"],
  ])("%j → %s", async (args, message) => {
    const result = await run(...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });

  it.each([
    ["--budget", "2s"],
    ["--assert", "$.status == \"pass\""],
    ["--status", "204"],
    ["--percentile", "p95 < 300ms"],
    ["--tls-warn-days", "30"],
    ["--tls-fail-days", "1"],
  ])("refuses the ad-hoc flag %s with --env instead of ignoring it", async (flag, value) => {
    const result = await run("--env", "staging", flag, value);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`hello-ci: health-check: ${flag}: cannot be combined with --env: an environment's checks take their budgets, assertions, status codes and TLS policy from the configuration\n`);
  });

  it("names the invalid field of a config file", async () => {
    const file = join(dir, "envs.yaml");
    writeFileSync(file, "version: 1\nenvironments:\n  staging:\n    urls: {}\n    helth: {}\n");
    const result = await run("--env", "staging", "--config", file);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${file} is invalid: environments.staging.health:`);
    expect(result.stderr).toContain('Unrecognized key: "helth"');
  });

  it.each([
    ["a bare number", "timeout: 5000", 'environments.staging.health.timeout: 5000 has no unit: use a unit: 250ms, 5s, 2m'],
    ["a duration past 24 hours", "timeout: 72000m", 'environments.staging.health.timeout: "72000m" is too long: at most 1440m (24 hours)'],
  ])("refuses %s in the config file, naming the field", async (_name, line, message) => {
    const file = join(dir, "durations.yaml");
    writeFileSync(file, `version: 1\nenvironments:\n  staging:\n    urls: { backend: "http://127.0.0.1:9" }\n    health:\n      ${line}\n      checks: [{ name: b, target: backend, path: /health }]\n`);
    const result = await run("--env", "staging", "--config", file);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });

  it.each([
    ["a file that is not PEM", "this is not a certificate\n", "is not a PEM certificate (no -----BEGIN CERTIFICATE----- block)"],
    ["a PEM block that is not a certificate", "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n", "certificate 1 does not parse"],
  ])("refuses --ca with %s (exit 2, before any request)", async (_name, text, message) => {
    const file = join(dir, "ca.pem");
    writeFileSync(file, text);
    const result = await run("--url", "http://127.0.0.1:9/", "--ca", file);
    expect(result.code).toBe(2);
    expect(result.stderr.startsWith(`hello-ci: health-check: --ca: ${file} ${message}`)).toBe(true);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("says when the config file is missing", async () => {
    const result = await run("--env", "staging", "--config", "/nonexistent/envs.yaml");
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("health-check: --config: cannot read /nonexistent/envs.yaml: no such file or directory");
  });

  it("documents warn = exit 0 in its help", async () => {
    const result = await run("--help");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("0 pass or warn (JSON verdict says which)");
  });
});

describe("health-check: workloads of an environment with a deploy: section (no cluster needed here)", () => {
  let server: TestServer;
  const home = join(dir, "home");
  mkdirSync(home, { recursive: true });

  beforeAll(async () => {
    server = await startSlowServer(0);
  });
  afterAll(async () => server?.stop());

  /** An environments file: `qa` (deploy: section) and `plain` (none), both checking the local server. */
  function config(): string {
    const env = (deploy: boolean) => ({
      urls: { backend: server.url },
      health: { timeout: "2s", checks: [{ name: "api", target: "backend", path: "/health", assert: ['$.status == "pass"'] }] },
      ...(deploy
        ? {
            deploy: {
              target: "kubernetes",
              namespace: "helloagents-qa",
              images: { backend: "ghcr.io/acme/helloagents-backend", frontend: "ghcr.io/acme/helloagents-frontend" },
              runtimeSecret: { name: "helloagents-runtime", keys: ["DATABASE_URL"] },
            },
          }
        : {}),
    });
    const file = join(dir, "workloads.yaml");
    writeFileSync(file, stringify({ version: 1, environments: { qa: env(true), plain: env(false) } }));
    return file;
  }

  it.each([
    ["--kubeconfig", "/x/config"],
    ["--server", "https://127.0.0.1:6443"],
  ])("refuses %s with --url (workloads need an environment)", async (flag, value) => {
    const result = await run("--url", `${server.url}/health`, flag, value);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`hello-ci: health-check: ${flag}: cannot be combined with --url: workloads are read for an environment's deploy: section: give --env NAME\n`);
  });

  it("refuses --kubeconfig for an environment without a deploy: section", async () => {
    const result = await runWith({ HOME: home }, "--env", "plain", "--config", config(), "--kubeconfig", join(dir, "kc"));
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('hello-ci: health-check: --kubeconfig: environment "plain" has no deploy: section: there are no workloads to check\n');
  });

  it("an environment without a deploy: section says nothing about workloads", async () => {
    const result = await runWith({ HOME: home }, "--env", "plain", "--config", config(), "--json");
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).not.toHaveProperty("workloads");
  });

  it("without any kubeconfig: the HTTP verdict alone, and one line saying why workloads were not checked (JSON, text, Markdown)", async () => {
    const file = config();
    const json = await runWith({ HOME: home }, "--env", "qa", "--config", file, "--json");
    expect(json.code).toBe(0);
    const reason = `no kubeconfig (no --kubeconfig, KUBECONFIG unset, no ${join(home, ".kube", "config")})`;
    expect(JSON.parse(json.stdout)).toMatchObject({ verdict: "pass", workloads: { checked: false, reason } });
    // The verdict's published schema knows the field (pipelines parse it strictly).
    expect(healthReportSchema.parse(JSON.parse(json.stdout)).workloads).toEqual({ checked: false, reason });
    expect((JSON.parse(json.stdout) as { checks: unknown[] }).checks).toHaveLength(1);
    const report = join(dir, "no-kubeconfig.md");
    const text = await runWith({ HOME: home }, "--env", "qa", "--config", file, "--report", report);
    expect(text.stdout).toContain(`note: workloads not checked: ${reason}\n`);
    expect(readFileSync(report, "utf8")).toContain(`> Note: workloads not checked: ${reason}\n`);
  });

  it("a KUBECONFIG naming a file that is not there is a reason, not an error", async () => {
    const missing = join(dir, "gone.kubeconfig");
    const result = await runWith({ HOME: home, KUBECONFIG: missing }, "--env", "qa", "--config", config(), "--json");
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ workloads: { checked: false, reason: `KUBECONFIG names ${missing}, which does not exist` } });
  });

  it("an explicit --kubeconfig that is not there is invalid input (exit 2)", async () => {
    const missing = join(dir, "missing.kubeconfig");
    const result = await runWith({ HOME: home }, "--env", "qa", "--config", config(), "--kubeconfig", missing);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`hello-ci: kubeconfig ${missing}: no such file (pass --kubeconfig FILE or set KUBECONFIG)\n`);
  });

  it("an API server that does not answer (closed port on 127.0.0.1): the workload checks are unreachable and the verdict fails (exit 1)", async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const kubeconfig = join(dir, "closed.kubeconfig");
    writeFileSync(
      kubeconfig,
      stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: "c", cluster: { server: `https://127.0.0.1:${port}`, "insecure-skip-tls-verify": true } }],
        users: [{ name: "u", user: { token: "test-token" } }],
        contexts: [{ name: "x", context: { cluster: "c", user: "u" } }],
        "current-context": "x",
      }),
    );
    const result = await runWith({ HOME: home, KUBECONFIG: kubeconfig }, "--env", "qa", "--config", config(), "--json", "--retries", "0");
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { verdict: string; workloads: unknown; checks: Array<{ name: string; verdict: string; error?: { kind: string; message: string } }> };
    expect(report.verdict).toBe("fail");
    expect(report.workloads).toEqual({ checked: true, namespace: "helloagents-qa", server: `https://127.0.0.1:${port}` });
    expect(report.checks.map((c) => [c.name, c.verdict])).toEqual([
      ["api", "pass"],
      ["workload-backend", "unreachable"],
      ["workload-frontend", "unreachable"],
    ]);
    expect(report.checks[1]?.error).toEqual({ kind: "unreachable", message: `the API server https://127.0.0.1:${port} is unreachable (ECONNREFUSED) to get service helloagents-qa/helloagents-backend` });
  });

  it("lists --kubeconfig and --server in its help", async () => {
    const result = await run("--help");
    expect(result.stdout).toContain("--kubeconfig <file>");
    expect(result.stdout).toContain("--server <url>");
  });
});
