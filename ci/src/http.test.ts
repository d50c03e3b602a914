import { createServer, type Server } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "./cli.js";
import { TransportError } from "./core/http/transport.js";
import { createHttpClient } from "./http.js";
import { memoryIo } from "./io.js";

// A loopback server that answers every request with bytes that are not HTTP (an SSH banner on the wrong port).
let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer((socket) => socket.on("data", () => socket.end("SSH-2.0-OpenSSH_9.2\r\nnot http at all\r\n\r\n")));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  url = `http://127.0.0.1:${address.port}/health`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("http: a server that answers with bytes that are not HTTP", () => {
  it("is a protocol failure that answered (not retried, not unreachable)", async () => {
    const client = createHttpClient();
    try {
      const error = await client.request({ url, method: "GET", headers: {}, timeoutMs: 2000 }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(TransportError);
      expect(error).toMatchObject({ kind: "protocol", answered: true, retriable: false });
      expect((error as Error).message).toMatch(/^invalid HTTP response from 127\.0\.0\.1:\d+: /);
    } finally {
      await client.close();
    }
  });

  it("makes health-check fail with exit 1 and kind protocol, not exit 3", async () => {
    const io = memoryIo();
    const code = await main(["node", "hello-ci", "health-check", "--url", url, "--json"], io);
    const report = JSON.parse(io.stdout) as { verdict: string; checks: { attempts: number; error?: { kind: string } }[] };
    expect([code, report.verdict]).toEqual([1, "fail"]);
    expect(report.checks[0]).toMatchObject({ attempts: 1, error: { kind: "protocol" } });
  });
});
