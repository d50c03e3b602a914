import { writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../../test/support/temp.js";
import { main } from "../cli.js";
import { memoryIo } from "../io.js";

const run = async (...args: string[]) => {
  const io = memoryIo();
  const code = await main(["node", "hello-ci", "smoke", ...args], io);
  return { code, stdout: io.stdout, stderr: io.stderr };
};

/** A loopback port with nothing listening (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

describe("smoke: invalid input exits 2 before any request", () => {
  it.each([
    [[], "give either --url BASE or --env NAME"],
    [["--url", "http://a/", "--keep"], "smoke: --keep: only makes sense with --write"],
    [["--env", "production", "--write"], "smoke: --write: against production is refused"],
    [["--url", "nota url"], "smoke: --url: must be an http:// or https:// URL"],
    [["--env", "qa"], 'smoke: --env: unknown environment "qa"'],
  ])("%j → %s", async (args, message) => {
    const result = await run(...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });
});

describe("smoke: --write against a production URL is refused, however it is named", () => {
  it.each([["https://helloagents.example"], ["https://HelloAgents.example:443/"], ["https://helloagents.example/api"], ["https://ops:secret@helloagents.example/"]])(
    "--url %s --write (the shipped configuration's production) exits 2",
    async (url) => {
      const result = await run("--url", url, "--write");
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^hello-ci: smoke: --write: against production \(https:\/\/helloagents\.example is production's urls\.(frontend|backend)\) is refused; add --allow-production-writes if you really mean it\n$/);
      expect(result.stderr).not.toContain("secret");
    },
  );

  const dir = tempDir("smoke-guard-");
  const config = async () => {
    const [staging, production] = [await closedPort(), await closedPort()];
    const file = join(dir, `envs-${production}.yaml`);
    const env = (port: number) => `    urls: { frontend: "http://127.0.0.1:${port}" }\n    health: { checks: [{ name: f, target: frontend, path: /health }] }\n`;
    writeFileSync(file, `version: 1\nenvironments:\n  staging:\n${env(staging)}  production:\n${env(production)}`);
    return { file, staging: `http://127.0.0.1:${staging}`, production: `http://127.0.0.1:${production}` };
  };

  it("matches the URLs of the configuration given with --config", async () => {
    const { file, production } = await config();
    const result = await run("--url", `${production}/`, "--write", "--config", file, "--retries", "0");
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`against production (${production} is production's urls.frontend) is refused`);
  });

  it("lets --allow-production-writes through (the run then finds nothing listening: exit 3)", async () => {
    const { file, production } = await config();
    const result = await run("--url", production, "--write", "--allow-production-writes", "--config", file, "--retries", "0");
    expect(result.code).toBe(3);
  });

  it("lets a write against another environment's URL through (exit 3: nothing listens there)", async () => {
    const { file, staging } = await config();
    const result = await run("--url", staging, "--write", "--config", file, "--retries", "0");
    expect(result.code).toBe(3);
  });
});
