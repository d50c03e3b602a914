#!/usr/bin/env node
// Install a test tool from its official release archive, pinned by digest in downloads.lock.json, instead of building it
// from the Go module proxy. Used by build-tools.sh and ci/test/k8s/cluster.sh before they build.
//
//   node ci/test/tools/fetch-release.mjs <tool> <dest-dir> [--key <text>] [--lock <file>]
//   node ci/test/tools/fetch-release.mjs --check [--lock <file>]   validate the lock, print {tool: {platform: pinned?}}
//
// Downloads the archive for this platform (linux/amd64, linux/arm64), checks its SHA-256/SHA-512 while streaming, then
// writes each file the lock names to <dest-dir>/<name> (via a temporary name and a rename, mode 0755); with --key, also
// <dest-dir>/<name>.key (cluster.sh's cache key). The lock defaults to downloads.lock.json next to this script
// (HELLOAGENTS_DOWNLOADS_LOCK overrides); HELLOAGENTS_DOWNLOADS=off skips the download.
//
// Exit codes: 0 installed; 1 the archive does not match its pinned digest (never fall back: something is tampering with
// the download or the pin is wrong); 2 invalid input (bad arguments or lock, a file missing from a verified archive);
// 3 nothing downloaded (unreachable, HTTP error, stalled, no pinned archive for this platform, downloads off): the
// caller builds from Go instead; 70 internal error.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, createWriteStream, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";

const HERE = dirname(new URL(import.meta.url).pathname);
const STALL_MS = Number(process.env.HELLOAGENTS_DOWNLOAD_STALL_MS ?? 30_000); // no byte for this long: give up
const TOTAL_MS = 30 * 60_000;

const hex = (n) => z.string().regex(new RegExp(`^[0-9a-f]{${n}}$`), `expected ${n} lowercase hex characters`);
const files = z.record(z.string().regex(/^[A-Za-z0-9._-]+$/, "a file name, no path"), z.string().regex(/^(?![/])(?!.*\.\.)[A-Za-z0-9._/-]*$/, "a relative path inside the archive"));
const pinned = z.strictObject({ url: z.url({ protocol: /^https?$/ }), sha256: hex(64).optional(), sha512: hex(128).optional(), source: z.string().min(10), files: files.optional() })
  .refine((p) => (p.sha256 === undefined) !== (p.sha512 === undefined), "give exactly one of sha256 or sha512");
const unpinned = z.strictObject({ url: z.url({ protocol: /^https?$/ }), unpinned: z.string().min(5), files: files.optional() });
const tool = z.strictObject({ version: z.string().regex(/^v\d+\.\d+\.\d+$/), archive: z.enum(["tar.gz", "binary"]), files, platforms: z.record(z.string().regex(/^linux\/(amd64|arm64)$/), z.union([pinned, unpinned])) });
const lockSchema = z.strictObject({ $comment: z.array(z.string()).optional(), schema: z.literal("helloagents/downloads-lock@1"), tools: z.record(z.string(), tool) });

class Exit extends Error {
  constructor(code, message) { super(message); this.code = code; }
}

function platform() {
  const arch = { x64: "amd64", arm64: "arm64" }[process.arch] ?? process.arch;
  return `${process.platform}/${arch}`;
}

function readLock(path) {
  let raw;
  try { raw = JSON.parse(readFileSync(path, "utf8")); } catch (e) { throw new Exit(2, `cannot read the lock ${path}: ${e.message}: fix the file or pass --lock`); }
  const parsed = lockSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Exit(2, `${path}: ${issue.path.join(".")}: ${issue.message}: fix the lock entry`);
  }
  return parsed.data;
}

/** Stream `url` into `file`, hashing as it goes; an unreachable host, an HTTP error or a stall is exit 3. */
async function download(url, file, algorithm) {
  const total = AbortSignal.timeout(TOTAL_MS);
  const stall = new AbortController();
  // The same stall limit covers waiting for the response headers (a host that accepts and never answers).
  let timer = setTimeout(() => stall.abort(), STALL_MS);
  let res;
  try {
    res = await fetch(url, { signal: AbortSignal.any([total, stall.signal]), redirect: "follow" });
  } catch (e) {
    clearTimeout(timer);
    const why = stall.signal.aborted ? `no answer for ${STALL_MS / 1000}s` : e.cause?.code ?? e.cause?.message ?? e.message;
    throw new Exit(3, `cannot download ${url}: ${why}`);
  }
  if (!res.ok || res.body === null) {
    clearTimeout(timer);
    throw new Exit(3, `cannot download ${url}: HTTP ${res.status}`);
  }
  const hash = createHash(algorithm);
  const out = createWriteStream(file, { mode: 0o600 });
  let bytes = 0;
  try {
    for await (const chunk of res.body) {
      clearTimeout(timer);
      timer = setTimeout(() => stall.abort(), STALL_MS);
      hash.update(chunk);
      bytes += chunk.length;
      if (!out.write(chunk)) await new Promise((r) => out.once("drain", r));
    }
  } catch (e) {
    throw new Exit(3, `download of ${url} broke off after ${bytes} bytes: ${stall.signal.aborted ? `nothing received for ${STALL_MS / 1000}s` : e.cause?.code ?? e.message}`);
  } finally {
    clearTimeout(timer);
    await new Promise((r) => out.end(r));
  }
  return { digest: hash.digest("hex"), bytes };
}

async function main() {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { key: { type: "string" }, lock: { type: "string" }, check: { type: "boolean" } } });
  const lockPath = resolve(values.lock ?? process.env.HELLOAGENTS_DOWNLOADS_LOCK ?? join(HERE, "downloads.lock.json"));
  if (values.check) {
    const summary = Object.fromEntries(Object.entries(readLock(lockPath).tools).map(([n, t]) => [n, { version: t.version, ...Object.fromEntries(Object.entries(t.platforms).map(([p, e]) => [p, "unpinned" in e ? "unpinned" : "sha256" in e && e.sha256 ? "sha256" : "sha512"])) }]));
    process.stdout.write(`${JSON.stringify(summary)}\n`);
    return;
  }
  if (positionals.length !== 2) throw new Exit(2, "usage: fetch-release.mjs <tool> <dest-dir> [--key <text>] [--lock <file>] | --check");
  const [name, destArg] = positionals;
  const lock = readLock(lockPath);
  const entry = lock.tools[name];
  if (entry === undefined) throw new Exit(2, `${lockPath} has no tool '${name}': add it or use one of ${Object.keys(lock.tools).join(", ")}`);
  if (process.env.HELLOAGENTS_DOWNLOADS === "off") throw new Exit(3, `${name}: downloads are off (HELLOAGENTS_DOWNLOADS=off)`);
  const here = platform();
  const target = entry.platforms[here];
  if (target === undefined) throw new Exit(3, `${name} ${entry.version}: no release archive pinned for ${here}`);
  if ("unpinned" in target) throw new Exit(3, `${name} ${entry.version}: no pinned digest for ${here} (${target.unpinned})`);
  const members = target.files ?? entry.files;
  if (entry.archive === "binary" && Object.keys(members).length !== 1) throw new Exit(2, `${lockPath}: ${name}: a 'binary' download installs exactly one file`);

  const dest = resolve(destArg);
  mkdirSync(dest, { recursive: true });
  const work = mkdtempSync(join(dest, `.fetch-${name}-`));
  try {
    const started = Date.now();
    const [algorithm, want] = target.sha256 !== undefined ? ["sha256", target.sha256] : ["sha512", target.sha512];
    const archive = join(work, "download");
    const { digest, bytes } = await download(target.url, archive, algorithm);
    if (digest !== want) {
      throw new Exit(1, `${name} ${entry.version}: ${target.url} has ${algorithm} ${digest}, but the lock pins ${want} (${target.source}): refusing it; do not fall back to a build until you know why`);
    }
    const staged = {};
    if (entry.archive === "binary") {
      staged[Object.keys(members)[0]] = archive;
    } else {
      const tar = spawnSync("tar", ["-xzf", archive, "-C", work, "--no-same-owner", "--", ...Object.values(members)], { encoding: "utf8" });
      if (tar.status !== 0) throw new Exit(2, `${name}: the verified archive lacks ${Object.values(members).join(", ")}: ${tar.stderr.trim().split("\n")[0]}: fix 'files' in the lock`);
      for (const [file, member] of Object.entries(members)) {
        const path = join(work, member);
        if (!statSync(path).isFile()) throw new Exit(2, `${name}: ${member} in the archive is not a regular file: fix 'files' in the lock`);
        staged[file] = path;
      }
    }
    for (const [file, path] of Object.entries(staged)) {
      chmodSync(path, 0o755);
      renameSync(path, join(dest, file));
      if (values.key !== undefined) writeFileSync(join(dest, `${file}.key`), `${values.key}\n`);
    }
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    process.stderr.write(`fetch-release: ${name} ${entry.version} for ${here}: ${bytes} bytes, ${algorithm} verified, installed ${Object.keys(staged).join(", ")} into ${dest} in ${secs}s\n`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    if (e instanceof Exit) {
      process.stderr.write(`fetch-release: ${e.message}\n`);
      process.exit(e.code);
    }
    process.stderr.write(`fetch-release: internal error: ${e?.stack ?? e}\n`);
    process.exit(70);
  },
);
