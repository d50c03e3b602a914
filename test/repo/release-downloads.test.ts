import { execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The download path of set-up (ci/test/tools/fetch-release.mjs, used by build-tools.sh and ci/test/k8s/cluster.sh)
// against a real HTTP server on 127.0.0.1: a good archive is installed where the Go build would put it, a tampered one
// stops everything, and only "nothing downloaded" (404, unreachable, stalled) falls back to the Go build. The Go build
// itself is a recording stand-in `go` on PATH here: a real one takes minutes per tool (measured in the README).
const ROOT = join(import.meta.dirname, "../..");
const FETCH = join(ROOT, "ci/test/tools/fetch-release.mjs");
const PLATFORM = `linux/${process.arch === "x64" ? "amd64" : process.arch}`;
const work = mkdtempSync(join(tmpdir(), "release-downloads-"));

type Run = { status: number | null; stdout: string; stderr: string };
/** Spawn without blocking the event loop (the server under test lives in this process). */
function run(cmd: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

const sha = (algorithm: "sha256" | "sha512", bytes: Buffer) => createHash(algorithm).update(bytes).digest("hex");

/** A .tar.gz holding `files` (path → content), made by the system tar like the real release archives. */
function tarGz(name: string, files: Record<string, string>): Buffer {
  const dir = join(work, `src-${name}`);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), content, { mode: 0o644 });
  }
  const out = join(work, `${name}.tar.gz`);
  execFileSync("tar", ["-czf", out, "-C", dir, ...Object.keys(files)]);
  return readFileSync(out);
}

const script = (text: string) => `#!/bin/sh\necho ${text}\n`;
const tool = {
  good: tarGz("actionlint-good", { actionlint: script("official-actionlint"), LICENSE: "MIT\n" }),
  tampered: tarGz("actionlint-tampered", { actionlint: script("something-else"), LICENSE: "MIT\n" }),
};
const k8s = tarGz("kubernetes-server", {
  "kubernetes/server/bin/kube-apiserver": script("official-kube-apiserver"),
  "kubernetes/server/bin/kube-controller-manager": script("official-kube-controller-manager"),
  "kubernetes/server/bin/kube-scheduler": script("official-kube-scheduler"),
});
const etcd = tarGz("etcd", { "etcd-v3.5.21-linux-x/etcd": script("official-etcd") });
const kwok = Buffer.from(script("official-kwok"));

const routes: Record<string, Buffer> = {
  "/actionlint.tar.gz": tool.good,
  "/actionlint-tampered.tar.gz": tool.tampered,
  "/kubernetes-server.tar.gz": k8s,
  "/etcd.tar.gz": etcd,
  "/kwok": kwok,
};
let server: Server;
let base = "";
let closedPort = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === "/silent") return; // accepts, never answers
    if (req.url === "/stall") {
      res.writeHead(200, { "content-length": "1000000" });
      res.write(Buffer.alloc(10)); // then nothing: the client must give up on its own
      return;
    }
    const body = routes[req.url ?? ""];
    if (body === undefined) return void res.writeHead(404).end("not found");
    res.writeHead(200, { "content-type": "application/octet-stream", "content-length": body.length }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // A port that was free a moment ago and has no listener: connection refused.
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
  closedPort = (probe.address() as AddressInfo).port;
  await new Promise<void>((r) => probe.close(() => r()));
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  rmSync(work, { recursive: true, force: true });
});

interface Entry { url: string; sha256?: string; sha512?: string; source?: string; unpinned?: string; files?: Record<string, string> }
/** A lock in the repository's format, for this machine's platform only. */
function writeLock(name: string, tools: Record<string, { version: string; archive: "tar.gz" | "binary"; files: Record<string, string>; entry: Entry }>): string {
  const lock = {
    schema: "helloagents/downloads-lock@1",
    tools: Object.fromEntries(Object.entries(tools).map(([n, t]) => [n, { version: t.version, archive: t.archive, files: t.files, platforms: { [PLATFORM]: { source: "the test's own archive", ...t.entry } } }])),
  };
  for (const t of Object.values(lock.tools)) for (const p of Object.values(t.platforms)) if ("unpinned" in p) delete (p as { source?: string }).source;
  const path = join(work, `${name}.lock.json`);
  writeFileSync(path, JSON.stringify(lock));
  return path;
}
const actionlintLock = (name: string, entry: Entry) => writeLock(name, { actionlint: { version: "v1.7.12", archive: "tar.gz", files: { actionlint: "actionlint" }, entry } });
const leftovers = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((f) => f.startsWith(".fetch-")) : []);

describe("fetch-release.mjs against a local HTTP server", () => {
  it("installs the binary of a good archive (sha256 matches) as mode 0755, with the cache key, and leaves no temporary files", async () => {
    const dest = join(work, "good");
    const lock = actionlintLock("good", { url: `${base}/actionlint.tar.gz`, sha256: sha("sha256", tool.good) });
    const r = await run("node", [FETCH, "actionlint", dest, "--lock", lock, "--key", "k1"]);
    expect(r.stderr).toMatch(/actionlint v1\.7\.12 for linux\/\w+: \d+ bytes, sha256 verified, installed actionlint/);
    expect(r.status).toBe(0);
    expect(readFileSync(join(dest, "actionlint"), "utf8")).toBe(script("official-actionlint"));
    expect(statSync(join(dest, "actionlint")).mode & 0o777).toBe(0o755);
    expect(readFileSync(join(dest, "actionlint.key"), "utf8")).toBe("k1\n");
    expect(existsSync(join(dest, "LICENSE"))).toBe(false);
    expect(leftovers(dest)).toEqual([]);
  });

  it("verifies a SHA-512 pin (the form Kubernetes publishes) and a bare binary download", async () => {
    const dest = join(work, "sha512");
    const lock = writeLock("sha512", { kwok: { version: "v0.7.0", archive: "binary", files: { kwok: "" }, entry: { url: `${base}/kwok`, sha512: sha("sha512", kwok) } } });
    const r = await run("node", [FETCH, "kwok", dest, "--lock", lock]);
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(join(dest, "kwok"), "utf8")).toBe(script("official-kwok"));
  });

  it("refuses a tampered archive with exit 1, naming both digests, and installs nothing", async () => {
    const dest = join(work, "tampered");
    const pin = sha("sha256", tool.good);
    const lock = actionlintLock("tampered", { url: `${base}/actionlint-tampered.tar.gz`, sha256: pin });
    const r = await run("node", [FETCH, "actionlint", dest, "--lock", lock]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`has sha256 ${sha("sha256", tool.tampered)}, but the lock pins ${pin}`);
    expect(r.stderr).toMatch(/do not fall back to a build/);
    expect(existsSync(join(dest, "actionlint"))).toBe(false);
    expect(leftovers(dest)).toEqual([]);
  });

  it.each([
    ["an HTTP 404", () => `${base}/no-such-release.tar.gz`, /HTTP 404/],
    ["an unreachable URL (connection refused)", () => `http://127.0.0.1:${closedPort}/actionlint.tar.gz`, /ECONNREFUSED/],
    ["a download that stalls", () => `${base}/stall`, /nothing received for 0\.5s/],
    ["a server that never answers", () => `${base}/silent`, /no answer for 0\.5s/],
  ])("answers exit 3 (build from Go instead) for %s, installing nothing", async (_name, url, reason) => {
    const dest = join(work, `down-${_name.length}`);
    const lock = actionlintLock(`down-${_name.length}`, { url: url(), sha256: sha("sha256", tool.good) });
    const r = await run("node", [FETCH, "actionlint", dest, "--lock", lock], { HELLOAGENTS_DOWNLOAD_STALL_MS: "500" });
    expect(r.stderr).toMatch(reason);
    expect(r.status).toBe(3);
    expect(existsSync(join(dest, "actionlint"))).toBe(false);
    expect(leftovers(dest)).toEqual([]);
  });

  it("answers exit 3 for a tool without a pinned digest, and exit 2 for a lock entry that is malformed", async () => {
    const unpinned = actionlintLock("unpinned", { url: `${base}/actionlint.tar.gz`, unpinned: "no digest could be read" });
    const a = await run("node", [FETCH, "actionlint", join(work, "unpinned"), "--lock", unpinned]);
    expect([a.status, a.stderr]).toEqual([3, expect.stringContaining("no pinned digest for linux/")]);
    const short = actionlintLock("short", { url: `${base}/actionlint.tar.gz`, sha256: "abc" });
    const b = await run("node", [FETCH, "actionlint", join(work, "short"), "--lock", short]);
    expect([b.status, b.stderr]).toEqual([2, expect.stringMatching(/sha256: expected 64 lowercase hex characters: fix the lock entry/)]);
  });
});

// A stand-in for `go` that records each call and writes a marker binary where go would (GOBIN, or -o).
function goStandIn(dir: string): { env: Record<string, string>; calls: () => string[] } {
  mkdirSync(dir, { recursive: true });
  const log = join(dir, "calls.log");
  writeFileSync(log, "");
  const go = join(dir, "go");
  writeFileSync(
    go,
    `#!/bin/sh
echo "$*" >> "${log}"
out=""; prev=""
for a in "$@"; do [ "$prev" = "-o" ] && out="$a"; prev="$a"; done
if [ -z "$out" ]; then for a in "$@"; do last="$a"; done; n="\${last%@*}"; out="$GOBIN/\${n##*/}"; fi
printf '#!/bin/sh\\necho built-by-go\\n' > "$out" && chmod +x "$out"
`,
  );
  chmodSync(go, 0o755);
  return { env: { PATH: `${dir}:${process.env.PATH}` }, calls: () => readFileSync(log, "utf8").split("\n").filter(Boolean) };
}

describe("build-tools.sh: download first, Go build only when nothing was downloaded", () => {
  const buildTools = (cache: string, lock: string, env: Record<string, string>) =>
    run("bash", [join(ROOT, "ci/test/tools/build-tools.sh"), "actionlint"], { ...env, HELLOAGENTS_CACHE: cache, HELLOAGENTS_DOWNLOADS_LOCK: lock });

  it("puts the verified release binary at the Go build's cache path and runs no go", async () => {
    const cache = join(work, "bt-good");
    const go = goStandIn(join(work, "bt-good-go"));
    const r = await buildTools(cache, actionlintLock("bt-good", { url: `${base}/actionlint.tar.gz`, sha256: sha("sha256", tool.good) }), go.env);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(`actionlint ${cache}/tools/actionlint-v1.7.12/actionlint\n`);
    expect(readFileSync(`${cache}/tools/actionlint-v1.7.12/actionlint`, "utf8")).toBe(script("official-actionlint"));
    expect(go.calls()).toEqual([]);
  });

  it("stops on a tampered archive (exit 1) without building it from Go instead", async () => {
    const cache = join(work, "bt-tampered");
    const go = goStandIn(join(work, "bt-tampered-go"));
    const r = await buildTools(cache, actionlintLock("bt-tampered", { url: `${base}/actionlint-tampered.tar.gz`, sha256: sha("sha256", tool.good) }), go.env);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/the pinned download was refused \(exit 1, see above\); not building it instead/);
    expect(existsSync(`${cache}/tools/actionlint-v1.7.12`)).toBe(false);
    expect(go.calls()).toEqual([]);
  });

  it("falls back to the Go build (a recording stand-in for go) when the release host is unreachable", async () => {
    const cache = join(work, "bt-down");
    const go = goStandIn(join(work, "bt-down-go"));
    const r = await buildTools(cache, actionlintLock("bt-down", { url: `http://127.0.0.1:${closedPort}/a.tar.gz`, sha256: sha("sha256", tool.good) }), go.env);
    expect(r.status, r.stderr).toBe(0);
    expect(go.calls()).toEqual([expect.stringMatching(/^install -ldflags .* github\.com\/rhysd\/actionlint\/cmd\/actionlint@v1\.7\.12$/)]);
    expect(readFileSync(`${cache}/tools/actionlint-v1.7.12/actionlint`, "utf8")).toContain("built-by-go");
  });
});

describe("cluster.sh build: the Kubernetes binaries, kwok and etcd from pinned archives", () => {
  const k8sLock = (name: string, k8sBytes: Buffer) =>
    writeLock(name, {
      "kubernetes-server": {
        version: "v1.33.13",
        archive: "tar.gz",
        files: { "kube-apiserver": "kubernetes/server/bin/kube-apiserver", "kube-controller-manager": "kubernetes/server/bin/kube-controller-manager", "kube-scheduler": "kubernetes/server/bin/kube-scheduler" },
        entry: { url: `${base}/kubernetes-server.tar.gz`, sha512: sha("sha512", k8sBytes) },
      },
      kwok: { version: "v0.7.0", archive: "binary", files: { kwok: "" }, entry: { url: `${base}/kwok`, sha256: sha("sha256", kwok) } },
      etcd: { version: "v3.5.21", archive: "tar.gz", files: { etcd: "etcd-v3.5.21-linux-x/etcd" }, entry: { url: `${base}/etcd.tar.gz`, sha256: sha("sha256", etcd) } },
    });
  const build = (cache: string, lock: string, env: Record<string, string>) =>
    run("bash", [join(ROOT, "ci/test/k8s/cluster.sh"), "build"], { ...env, HELLOAGENTS_CACHE: cache, HELLOAGENTS_DOWNLOADS_LOCK: lock, K8S_BUILD_ETCD: "1" });

  it("installs all five into the build cache with the build's key, downloads the server archive once, and runs no go", async () => {
    const cache = join(work, "k8s-good");
    const go = goStandIn(join(work, "k8s-good-go"));
    const r = await build(cache, k8sLock("k8s-good", k8s), go.env);
    expect(r.status, r.stderr).toBe(0);
    const bin = `${cache}/k8s/v1.33.13/bin`;
    for (const name of ["kube-apiserver", "kube-controller-manager", "kube-scheduler", "kwok", "etcd"]) {
      expect(readFileSync(join(bin, name), "utf8"), name).toBe(script(`official-${name}`));
    }
    const key = readFileSync(join(bin, "kube-apiserver.key"), "utf8");
    expect(key).toMatch(/^v1\.33\.13-r1-[0-9a-f]{16}\n$/);
    expect(readFileSync(join(bin, "kube-scheduler.key"), "utf8")).toBe(key);
    expect(readFileSync(join(bin, "kwok.key"), "utf8")).toBe("kwok-v0.7.0\n");
    expect(r.stderr.match(/fetch-release: kubernetes-server/g)).toHaveLength(1);
    expect(go.calls()).toEqual([]);
  });

  it("stops on a tampered server archive and builds nothing from Go", async () => {
    const cache = join(work, "k8s-tampered");
    const go = goStandIn(join(work, "k8s-tampered-go"));
    const r = await build(cache, k8sLock("k8s-tampered", tool.good), go.env);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/the pinned kubernetes-server download was refused \(exit 1, see above\): not building kube-apiserver instead/);
    expect(existsSync(`${cache}/k8s/v1.33.13/bin/kube-apiserver`)).toBe(false);
    expect(go.calls()).toEqual([]);
  });
});

describe("the repository's downloads.lock.json", () => {
  const lock = JSON.parse(readFileSync(join(ROOT, "ci/test/tools/downloads.lock.json"), "utf8")) as {
    tools: Record<string, { version: string; platforms: Record<string, Entry> }>;
  };

  it("is valid for fetch-release.mjs, and pins Trivy, cosign, actionlint and etcd for linux/amd64 and linux/arm64", async () => {
    const r = await run("node", [FETCH, "--check"]);
    expect(r.status, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as Record<string, Record<string, string>>;
    for (const name of ["trivy", "cosign", "actionlint", "etcd"]) expect(summary[name], name).toMatchObject({ "linux/amd64": "sha256", "linux/arm64": "sha256" });
    for (const name of ["syft", "kubernetes-server", "kwok"]) expect(summary[name], name).toMatchObject({ "linux/amd64": "unpinned" });
  });

  it("downloads only from the projects' own release hosts over https, each URL naming the pinned version", () => {
    for (const [name, t] of Object.entries(lock.tools)) {
      for (const [platform, e] of Object.entries(t.platforms)) {
        expect(e.url, `${name} ${platform}`).toMatch(/^https:\/\/(github\.com\/(anchore|aquasecurity|sigstore|rhysd|kubernetes-sigs|etcd-io)\/[\w-]+\/releases\/download\/|dl\.k8s\.io\/)/);
        expect(e.url, `${name} ${platform}`).toContain(t.version);
        expect(e.url, `${name} ${platform}`).toMatch(platform === "linux/amd64" ? /[-_]linux[-_]amd64|Linux-64bit/ : /[-_]linux[-_]arm64|Linux-ARM64/);
        if (e.sha256 !== undefined || e.sha512 !== undefined) expect(e.source, `${name} ${platform}`).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40} \S+/);
      }
    }
  });

  it("pins the versions build-tools.sh and cluster.sh build, so a bump cannot leave a stale download behind", () => {
    const buildTools = readFileSync(join(ROOT, "ci/test/tools/build-tools.sh"), "utf8");
    for (const name of ["syft", "trivy", "cosign", "actionlint"]) expect(buildTools).toContain(`"${name}|${lock.tools[name]!.version}|`);
    const cluster = readFileSync(join(ROOT, "ci/test/k8s/cluster.sh"), "utf8");
    expect(cluster).toContain(`K8S_VERSION=${lock.tools["kubernetes-server"]!.version} `);
    expect(cluster).toContain(`KWOK_VERSION=${lock.tools.kwok!.version} `);
    expect(readFileSync(join(ROOT, "ci/test/k8s/build/go.mod"), "utf8")).toContain(`go.etcd.io/etcd/server/v3 ${lock.tools.etcd!.version}\n`);
  });
});
