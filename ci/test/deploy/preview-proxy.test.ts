// The pre-switch smoke without a preview URL goes through the API server's service proxy, with the kubeconfig's
// credentials: a real path from the real kube-apiserver to the preview Service's pod. kwok pods serve no HTTP, so the
// test gives them a network: a network namespace it creates, routed from the host for the kwok pod range
// (10.244.0.0/16, AnyIP inside the namespace), where a stand-in of the platform's HTTP surface listens on port 8080.
// The apiserver resolves the Service to a pod IP and connects there; the stand-in sees the smoke suite's requests.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stopPid } from "../support/stack.js";
import { startPlatformStandin } from "../support/platform-standin.mjs";
import { tempDir } from "../support/temp.js";
import { cli, createRuntimeSecret, imageArgs, newNamespace, reportOf, writeConfig } from "./harness.js";

const dir = tempDir("deploy-preview-proxy-");
const STANDIN = fileURLToPath(new URL("../support/platform-standin.mjs", import.meta.url));
const POD_RANGE = "10.244.0.0/16"; // kwok's --cidr in ci/test/k8s/cluster.sh
const id = randomBytes(2).toString("hex");
const netns = `hadp-${id}`;
const hostVeth = `hvp${id}`;
const nsVeth = `hnp${id}`;
const hostIp = "10.251.77.1";
const nsIp = "10.251.77.2";
let server: ChildProcess | undefined;
const seen: string[] = [];
let publicSite: Awaited<ReturnType<typeof startPlatformStandin>>;

function ip(args: string[], inNamespace = false): void {
  const argv = inNamespace ? ["netns", "exec", netns, "ip", ...args] : args;
  const run = spawnSync("ip", argv, { encoding: "utf8" });
  if (run.status !== 0) throw new Error(`ip ${argv.join(" ")} failed: ${run.stderr}`);
}

beforeAll(async () => {
  ip(["netns", "add", netns]);
  ip(["link", "add", hostVeth, "type", "veth", "peer", "name", nsVeth]);
  ip(["link", "set", nsVeth, "netns", netns]);
  ip(["addr", "add", `${hostIp}/30`, "dev", hostVeth]);
  ip(["link", "set", hostVeth, "up"]);
  ip(["addr", "add", `${nsIp}/30`, "dev", nsVeth], true);
  ip(["link", "set", nsVeth, "up"], true);
  ip(["link", "set", "lo", "up"], true);
  ip(["route", "add", "local", POD_RANGE, "dev", "lo"], true); // every pod IP is this namespace's own address
  ip(["route", "add", POD_RANGE, "via", nsIp, "dev", hostVeth]);
  server = spawn("ip", ["netns", "exec", netns, process.execPath, STANDIN, "8080"], { stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((resolve, reject) => {
    server!.stdout!.on("data", (d: Buffer) => {
      for (const line of d.toString().split("\n")) {
        if (line.startsWith("listening")) resolve();
        else if (line.trim()) seen.push(line.trim());
      }
    });
    server!.once("exit", (code) => reject(new Error(`the stand-in in ${netns} exited (${code})`)));
  });
  publicSite = await startPlatformStandin();
});

afterAll(async () => {
  if (server?.pid) await stopPid(server.pid);
  spawnSync("ip", ["route", "del", POD_RANGE, "via", nsIp]);
  spawnSync("ip", ["link", "del", hostVeth]);
  spawnSync("ip", ["netns", "del", netns]);
  await publicSite?.stop();
});

describe("the preview smoke through the API server's service proxy (real kube-apiserver, pods in a test network namespace)", () => {
  it("reaches the idle colour's pod through services/proxy with the kubeconfig's credentials, and goes live", async () => {
    const namespace = await newNamespace("proxy");
    await createRuntimeSecret(namespace);
    const config = writeConfig(dir, { namespace, urls: { public: publicSite.url } }); // no preview.url
    const run = await cli(["deploy", "--env", "test", "--config", config, "--version", "v1.0.0", ...imageArgs("v1.0.0"), "--json"]);
    const report = reportOf(run);
    expect(report.result, run.stderr).toBe("deployed");
    expect(report.steps.find((s) => s.name === "smoke the preview")).toMatchObject({ outcome: "done", detail: expect.stringMatching(/^pass: \d+ checks against the preview$/) });
    // The apiserver forwarded the suite's requests (prefix stripped) to the pod IP inside the namespace.
    expect(seen).toEqual(expect.arrayContaining(["GET /", "GET /health", "GET /api/health", "GET /api/agents", "GET /assets/index.js"]));
  });

  it("a preview pod that does not answer fails the smoke as unreachable: not switched, exit 1", async () => {
    const namespace = await newNamespace("proxy-down");
    await createRuntimeSecret(namespace);
    if (server?.pid) await stopPid(server.pid);
    server = undefined;
    const config = writeConfig(dir, { namespace, urls: { public: publicSite.url } });
    const run = await cli(["deploy", "--env", "test", "--config", config, "--version", "v1.0.0", ...imageArgs("v1.0.0"), "--json"]);
    const report = reportOf(run);
    expect(run.code).toBe(1);
    expect(report.result).toBe("rejected");
    expect(report.reason).toMatch(/^smoke the preview: (fail|unreachable): /);
  });
});
