/**
 * Real services for end-to-end tests, on free loopback ports, each stopped by its PID (also when a test fails: every
 * started PID is registered and killed by a process-exit safety net).
 *
 *   PostgreSQL 15  initdb + pg_ctl (as user postgres when root), data dir in a temp dir
 *   Redis          redis-server --daemonize no, as a child
 *   backend        <repo>/.venv/bin/python -m app (from backend/), RUN_MIGRATIONS=1
 *   nginx          the project's template rendered by frontend/scripts/render-nginx.mjs, serving frontend/dist
 *   slow server    answers after a fixed delay (latency budgets)
 *   TLS server     https with a certificate generated here (expiring soon, expired, wrong hostname)
 *
 * Used by ci/test/e2e and by the root test/e2e (imported by relative path).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { connect, createServer as createNetServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { generate } from "selfsigned";

export const repoRoot = resolve(fileURLToPath(new URL("../../..", import.meta.url)));
export const ciRoot = join(repoRoot, "ci");
export const helloCiBin = join(ciRoot, "bin", "hello-ci.js");
const PG_BIN = process.env["PG_BIN"] ?? "/usr/lib/postgresql/15/bin";
const PYTHON = process.env["HELLO_PYTHON"] ?? join(repoRoot, ".venv", "bin", "python");
const isRoot = process.getuid?.() === 0;

export interface Service {
  name: string;
  pid: number;
  port: number;
  url: string;
  /** Where its output goes, for failure messages. */
  logFile: string;
  stop(): Promise<void>;
}

// ---- PID bookkeeping and the safety net -------------------------------------------------------------------------

const livePids = new Map<number, string>();
let netInstalled = false;

function track(pid: number, name: string): void {
  livePids.set(pid, name);
  if (netInstalled) return;
  netInstalled = true;
  const killAll = () => {
    for (const pid of livePids.keys()) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
  };
  process.once("exit", killAll);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      killAll();
      process.exit(130);
    });
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Send `signal` to pid, wait until it is gone; SIGKILL after `graceMs`. */
export async function stopPid(pid: number, signal: NodeJS.Signals = "SIGTERM", graceMs = 10_000): Promise<void> {
  try {
    process.kill(pid, signal);
  } catch {
    livePids.delete(pid);
    return;
  }
  const until = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < until) await sleep(25);
  if (isAlive(pid)) {
    process.kill(pid, "SIGKILL");
    while (isAlive(pid)) await sleep(25);
  }
  livePids.delete(pid);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Reap a child we spawned so it does not linger as a zombie (isAlive would then stay true). */
function reapOnExit(child: ChildProcess): void {
  child.once("exit", () => livePids.delete(child.pid ?? -1));
}

async function stopChild(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM", graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
  livePids.delete(child.pid ?? -1);
}

// ---- ports and readiness ------------------------------------------------------------------------------------------

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createNetServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolvePort(port));
    });
  });
}

async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs: number, logFile?: string, alive?: () => boolean): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (alive && !alive()) break;
    if (await probe().catch(() => false)) return;
    await sleep(50);
  }
  const tail = logFile && existsSync(logFile) ? `\n--- ${logFile} (tail) ---\n${readFileSync(logFile, "utf8").split("\n").slice(-30).join("\n")}` : "";
  throw new Error(`${what} did not become ready within ${timeoutMs} ms${tail}`);
}

async function httpOk(url: string): Promise<boolean> {
  const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
  await res.arrayBuffer();
  return res.status === 200;
}

function redisPing(port: number): Promise<boolean> {
  return new Promise((resolvePing) => {
    const socket = connect(port, "127.0.0.1");
    socket.setTimeout(1000, () => {
      socket.destroy();
      resolvePing(false);
    });
    socket.once("error", () => resolvePing(false));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.once("data", (data) => {
      socket.destroy();
      resolvePing(data.toString().startsWith("+PONG"));
    });
  });
}

function run(command: string, args: string[], options: { asPostgres?: boolean; cwd?: string } = {}): string {
  const [cmd, argv] = options.asPostgres && isRoot ? ["runuser", ["-u", "postgres", "--", command, ...args]] : [command, args];
  const result = spawnSync(cmd, argv, { cwd: options.cwd ?? tmpdir(), encoding: "utf8" });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed (${result.status}): ${result.stderr || result.stdout}`);
  return result.stdout;
}

function workDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `hello-${prefix}-`));
}

// ---- PostgreSQL ----------------------------------------------------------------------------------------------------

export interface Postgres extends Service {
  dataDir: string;
  databaseUrl: string;
}

export async function startPostgres(database = "helloagents"): Promise<Postgres> {
  const dir = workDir("pg");
  const dataDir = join(dir, "data");
  if (isRoot) {
    const uid = Number(run("id", ["-u", "postgres"]).trim());
    const gid = Number(run("id", ["-g", "postgres"]).trim());
    chownSync(dir, uid, gid);
  }
  chmodSync(dir, 0o755);
  const port = await freePort();
  const logFile = join(dir, "postgres.log");
  run(join(PG_BIN, "initdb"), ["-D", dataDir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"], { asPostgres: true });
  run(join(PG_BIN, "pg_ctl"), ["-D", dataDir, "-l", logFile, "-o", `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, "-w", "start"], { asPostgres: true });
  const pid = Number(readFileSync(join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
  track(pid, "postgres");
  run(join(PG_BIN, "createdb"), ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", database], { asPostgres: true });
  const url = `postgresql://postgres@127.0.0.1:${port}/${database}`;
  return {
    name: "postgres",
    pid,
    port,
    url,
    databaseUrl: url,
    dataDir,
    logFile,
    // SIGINT is PostgreSQL's "fast shutdown": it does not wait for the backend's pooled connections.
    stop: async () => {
      await stopPid(pid, "SIGINT");
      removeDir(dir);
    },
  };
}

// ---- Redis ---------------------------------------------------------------------------------------------------------

export async function startRedis(): Promise<Service> {
  const dir = workDir("redis");
  const port = await freePort();
  const logFile = join(dir, "redis.log");
  const out = openSync(logFile, "a");
  const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--daemonize", "no", "--save", "", "--appendonly", "no", "--dir", dir], {
    stdio: ["ignore", out, out],
  });
  const pid = child.pid as number;
  track(pid, "redis");
  reapOnExit(child);
  await waitFor("redis", () => redisPing(port), 10_000, logFile, () => child.exitCode === null);
  return { name: "redis", pid, port, url: `redis://127.0.0.1:${port}/0`, logFile, stop: () => stopChild(child).then(() => removeDir(dir)) };
}

// ---- backend -------------------------------------------------------------------------------------------------------

export async function startBackend(options: { databaseUrl: string; redisUrl: string; env?: Record<string, string> }): Promise<Service> {
  if (!existsSync(PYTHON)) throw new Error(`no Python venv at ${PYTHON}: run the README's setup (or set HELLO_PYTHON)`);
  const dir = workDir("backend");
  const port = await freePort();
  const logFile = join(dir, "backend.log");
  const out = openSync(logFile, "a");
  const child = spawn(PYTHON, ["-m", "app"], {
    cwd: join(repoRoot, "backend"),
    stdio: ["ignore", out, out],
    env: {
      PATH: process.env["PATH"] ?? "/usr/bin:/bin",
      HOME: process.env["HOME"] ?? dir,
      DATABASE_URL: options.databaseUrl,
      REDIS_URL: options.redisUrl,
      ENVIRONMENT: "test",
      HOST: "127.0.0.1",
      PORT: String(port),
      RUN_MIGRATIONS: "1",
      LOG_LEVEL: "WARNING",
      ...options.env,
    },
  });
  const pid = child.pid as number;
  track(pid, "backend");
  reapOnExit(child);
  const url = `http://127.0.0.1:${port}`;
  await waitFor("backend", () => httpOk(`${url}/health`), 60_000, logFile, () => child.exitCode === null);
  return { name: "backend", pid, port, url, logFile, stop: () => stopChild(child).then(() => removeDir(dir)) };
}

// ---- nginx with the project's template -----------------------------------------------------------------------------

export interface Nginx extends Service {
  configDir: string;
}

/** `apiUrl`/`wsUrl`: the console's VITE_API_URL/VITE_WS_URL, which set the CSP connect-src (render-nginx --api-url/--ws-url). */
export async function startNginx(options: { backendPort: number; root?: string; apiUrl?: string; wsUrl?: string }): Promise<Nginx> {
  const root = options.root ?? join(repoRoot, "frontend", "dist");
  if (!existsSync(join(root, "index.html"))) throw new Error(`no built console at ${root}: run \`npm ci && npm run build\` in frontend/`);
  const configDir = workDir("nginx");
  chmodSync(configDir, 0o755);
  const port = await freePort();
  const urls = [...(options.apiUrl ? ["--api-url", options.apiUrl] : []), ...(options.wsUrl ? ["--ws-url", options.wsUrl] : [])];
  run(process.execPath, [join(repoRoot, "frontend", "scripts", "render-nginx.mjs"), "--out", configDir, "--port", String(port), "--backend", `127.0.0.1:${options.backendPort}`, "--root", root, ...urls], {
    cwd: repoRoot,
  });
  const conf = join(configDir, "nginx.conf");
  const logFile = join(configDir, "logs", "error.log");
  // Started by root, nginx would run its workers as "nobody", who cannot read a checkout under a private directory
  // (CI clones into one): keep the workers on the caller's user.
  const globals = process.getuid?.() === 0 ? "daemon off; user root;" : "daemon off;";
  const child = spawn("nginx", ["-c", conf, "-g", globals], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  const pid = child.pid as number;
  track(pid, "nginx");
  reapOnExit(child);
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor("nginx", () => httpOk(`${url}/health`), 15_000, logFile, () => child.exitCode === null);
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${stderr}`, { cause: error });
  }
  // SIGQUIT is nginx's graceful stop; the master takes its workers down with it.
  return { name: "nginx", pid, port, url, logFile, configDir, stop: () => stopChild(child, "SIGQUIT").then(() => removeDir(configDir)) };
}

// ---- the whole platform -------------------------------------------------------------------------------------------

export interface Stack {
  postgres: Postgres;
  redis: Service;
  backend: Service;
  nginx?: Nginx;
  /** Stop everything that is still running, in reverse start order. Safe to call twice. */
  stop(): Promise<void>;
}

/** PostgreSQL + Redis + backend (+ nginx in front of the built console). On a start failure, what started is stopped. */
export async function startStack(options: { nginx?: boolean } = {}): Promise<Stack> {
  const started: Service[] = [];
  const stopAll = async () => {
    for (const service of started.reverse()) await service.stop().catch(() => undefined);
    started.length = 0;
  };
  try {
    const [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
    started.push(postgres, redis);
    const backend = await startBackend({ databaseUrl: postgres.databaseUrl, redisUrl: redis.url });
    started.push(backend);
    const nginx = options.nginx ? await startNginx({ backendPort: backend.port }) : undefined;
    if (nginx) started.push(nginx);
    return { postgres, redis, backend, ...(nginx ? { nginx } : {}), stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

// ---- loopback test servers ----------------------------------------------------------------------------------------

export interface TestServer {
  port: number;
  url: string;
  stop(): Promise<void>;
}

async function listen(server: Server, host = "127.0.0.1"): Promise<number> {
  await new Promise<void>((r) => server.listen(0, host, () => r()));
  return (server.address() as AddressInfo).port;
}

function closer(server: Server): () => Promise<void> {
  return () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
}

/** An HTTP server that answers every request with `body` after `delayMs`. */
export async function startSlowServer(delayMs: number, body = '{"status":"pass"}', status = 200): Promise<TestServer> {
  const server = createHttpServer((_req: IncomingMessage, res: ServerResponse) => {
    setTimeout(() => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(body);
    }, delayMs);
  });
  const port = await listen(server);
  return { port, url: `http://127.0.0.1:${port}`, stop: closer(server) };
}

export interface TestCa {
  cert: string;
  key: string;
  /** The CA certificate written to a file, for `--ca`. */
  certFile: string;
}

/** A throwaway certificate authority, valid for a year. */
export async function createTestCa(): Promise<TestCa> {
  const now = Date.now();
  const pems = await generate([{ name: "commonName", value: "hello-ci test CA" }], {
    keyType: "ec",
    algorithm: "sha256",
    notBeforeDate: new Date(now - 86_400_000),
    notAfterDate: new Date(now + 365 * 86_400_000),
    extensions: [
      { name: "basicConstraints", cA: true, critical: true },
      { name: "keyUsage", keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const certFile = join(workDir("ca"), "ca.pem");
  writeFileSync(certFile, pems.cert);
  return { cert: pems.cert, key: pems.private, certFile };
}

export interface TlsServerOptions {
  ca: TestCa;
  /** Days from now until notAfter (negative: already expired). */
  expiresInDays: number;
  /** DNS names and IPs in subjectAltName (default: localhost and 127.0.0.1). */
  hostnames?: string[];
}

/** An https server on 127.0.0.1 whose certificate is signed by `ca` with the given lifetime and names. */
export async function startTlsServer(options: TlsServerOptions): Promise<TestServer> {
  const now = Date.now();
  const names = options.hostnames ?? ["localhost", "127.0.0.1"];
  const notAfter = new Date(now + options.expiresInDays * 86_400_000);
  const notBefore = new Date(Math.min(now, notAfter.getTime()) - 30 * 86_400_000);
  const pems = await generate([{ name: "commonName", value: names[0] ?? "localhost" }], {
    keyType: "ec",
    algorithm: "sha256",
    notBeforeDate: notBefore,
    notAfterDate: notAfter,
    ca: { key: options.ca.key, cert: options.ca.cert },
    extensions: [
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true },
      { name: "extKeyUsage", serverAuth: true },
      { name: "subjectAltName", altNames: names.map((n) => (/^[0-9.]+$/.test(n) ? { type: 7 as const, ip: n } : { type: 2 as const, value: n })) },
    ],
  });
  const server = createHttpsServer({ key: pems.private, cert: pems.cert }, (_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end('{"status":"pass"}');
  });
  const port = await listen(server);
  return { port, url: `https://localhost:${port}`, stop: closer(server) };
}

/** Remove a temp dir made by this module once its service has stopped (root may delete PostgreSQL's). */
export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
