// A stand-in for the platform's HTTP surface, enough for the smoke suite and the health checks (the console page with
// its security headers and a gzipped module script, /health, /api/health, /api/agents): for places where the real
// stack cannot run, such as inside a network namespace or the rollback benchmark. Tests that can use the real stack do.
//   node platform-standin.mjs <port> [host]   serve until killed; prints one line per request on stdout
import { createServer } from "node:http";
import { gzipSync } from "node:zlib";

const HEADERS = {
  "content-security-policy": "default-src 'self'; object-src 'none'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
};

/** The request handler; `seen` gets every path asked for. */
export function platformHandler(seen = []) {
  return (req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    seen.push(path);
    if (path === "/health" || path.endsWith("/proxy/health")) return res.writeHead(200, { "content-type": "text/plain", ...HEADERS }).end("ok");
    if (/\/api\/health(\/db)?$/.test(path)) return res.writeHead(200, { "content-type": "application/health+json" }).end('{"status":"pass"}');
    if (path.endsWith("/api/agents")) return res.writeHead(200, { "content-type": "application/json" }).end('{"items":[],"total":0,"limit":20,"offset":0}');
    if (path.endsWith("/assets/index.js")) return res.writeHead(200, { "content-type": "text/javascript", "content-encoding": "gzip" }).end(gzipSync("export {};"));
    return res.writeHead(200, { "content-type": "text/html; charset=utf-8", ...HEADERS }).end('<!doctype html><title>HelloAgents</title><script type="module" src="/assets/index.js"></script>');
  };
}

/** Serve the stand-in; resolves to its URL and a stop function. */
export async function startPlatformStandin(port = 0, host = "127.0.0.1", seen = []) {
  const server = createServer(platformHandler(seen));
  await new Promise((resolve) => server.listen(port, host, resolve));
  return { url: `http://${host}:${server.address().port}`, seen, stop: () => new Promise((resolve) => server.close(resolve)) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const port = Number(process.argv[2] ?? 8080);
  const server = createServer((req, res) => {
    process.stdout.write(`${req.method} ${req.url}\n`);
    platformHandler()(req, res);
  });
  server.listen(port, process.argv[3] ?? "0.0.0.0", () => process.stdout.write(`listening on ${port}\n`));
}
