#!/usr/bin/env node
// Benchmark of set-up's download path without the internet: fetch-release.mjs against an HTTP server on 127.0.0.1
// serving archives of release-like sizes (incompressible bytes, so the archive is as large as the download). Prints the
// time to download + verify (sha256) + extract + install, the median of 3 runs per size. It measures this machine's
// side of the path only: a real download adds the network's time (size / bandwidth).
//
//   node ci/test/tools/bench-download.mjs [sizes in MB, default 10 100 400]
import { spawn, spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync, closeSync, createReadStream } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

const HERE = dirname(new URL(import.meta.url).pathname);
const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
const work = mkdtempSync(join(tmpdir(), "bench-download-"));
const platform = `linux/${process.arch === "x64" ? "amd64" : process.arch}`;

function archiveOf(mb) {
  const bin = join(work, "tool");
  const fd = openSync(bin, "w");
  for (let i = 0; i < mb; i++) writeSync(fd, randomBytes(1 << 20));
  closeSync(fd);
  const out = join(work, `tool-${mb}.tar.gz`);
  const tar = spawnSync("sh", ["-c", `tar -cf - -C "${work}" tool | gzip -1 > "${out}"`]);
  if (tar.status !== 0) throw new Error(tar.stderr.toString());
  rmSync(bin);
  return out;
}

const sha256 = (file) => createHash("sha256").update(readFileSync(file)).digest("hex");
const run = (args) => new Promise((resolve) => {
  const child = spawn(process.execPath, args, { stdio: ["ignore", "ignore", "pipe"] });
  let err = "";
  child.stderr.on("data", (d) => (err += d));
  child.on("close", (code) => resolve({ code, err }));
});

const files = new Map();
const server = createServer((req, res) => {
  const file = files.get(req.url);
  if (file === undefined) return void res.writeHead(404).end();
  res.writeHead(200, { "content-length": statSync(file).size });
  createReadStream(file).pipe(res);
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const base = `http://127.0.0.1:${server.address().port}`;

try {
  for (const mb of sizes.length > 0 ? sizes : [10, 100, 400]) {
    const archive = archiveOf(mb);
    files.set(`/tool-${mb}.tar.gz`, archive);
    const lock = join(work, "lock.json");
    writeFileSync(lock, JSON.stringify({
      schema: "helloagents/downloads-lock@1",
      tools: { tool: { version: "v0.0.0", archive: "tar.gz", files: { tool: "tool" }, platforms: { [platform]: { url: `${base}/tool-${mb}.tar.gz`, sha256: sha256(archive), source: "bench-download.mjs (random bytes)" } } } },
    }));
    const times = [];
    for (let i = 0; i < 3; i++) {
      const dest = join(work, `dest-${mb}-${i}`);
      const t0 = process.hrtime.bigint();
      const { code, err } = await run([join(HERE, "fetch-release.mjs"), "tool", dest, "--lock", lock]);
      if (code !== 0) throw new Error(`fetch-release exited ${code}: ${err}`);
      times.push(Number(process.hrtime.bigint() - t0) / 1e9);
      rmSync(dest, { recursive: true, force: true });
    }
    times.sort((a, b) => a - b);
    const size = statSync(archive).size / 2 ** 20;
    console.log(`bench-download: ${size.toFixed(0)} MiB archive from 127.0.0.1: download + sha256 + extract + install ${times[1].toFixed(2)} s median of 3 (${(size / times[1]).toFixed(0)} MiB/s; runs ${times.map((t) => t.toFixed(2)).join(" ")} s)`);
    rmSync(archive);
  }
} finally {
  server.close();
  rmSync(work, { recursive: true, force: true });
}
