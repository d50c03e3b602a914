#!/usr/bin/env node
/**
 * Benchmark (not a test): 8 loopback endpoints that each answer after 200 ms, checked through the real engine and
 * undici client, first concurrently (--concurrency 8), then one after another (concurrency 1, what the guide's bash
 * health-check script does). Concurrent should take about as long as the slowest check, not the sum.
 *
 *   npm run bench:health            (builds first)
 *   node bench/health-concurrency.mjs [endpoints=8] [delayMs=200] [rounds=3]
 */
import { createServer } from "node:http";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { adHocCheck } from "../dist/core/health/model.js";
import { defaultRunOptions, runChecks } from "../dist/core/health/run.js";
import { createHttpClient } from "../dist/http.js";

const [endpoints = 8, delayMs = 200, rounds = 3] = process.argv.slice(2).map(Number);

const servers = await Promise.all(
  Array.from({ length: endpoints }, async () => {
    const server = createServer((_req, res) => {
      setTimeout(() => {
        res.writeHead(200, { "content-type": "application/health+json" });
        res.end('{"status":"pass"}');
      }, delayMs);
    });
    await new Promise((r) => server.listen(0, "127.0.0.1", r));
    return server;
  }),
);
const checks = servers.map((s) => adHocCheck(`http://127.0.0.1:${s.address().port}/health`, { budgetMs: delayMs * 5 }));
const clock = { monotonicMs: () => performance.now(), now: () => new Date(), sleep };

async function timed(concurrency) {
  const client = createHttpClient();
  try {
    const started = performance.now();
    const report = await runChecks(checks, client, clock, { ...defaultRunOptions, concurrency });
    if (report.verdict !== "pass") throw new Error(`benchmark checks did not pass: ${JSON.stringify(report.checks.map((c) => c.verdict))}`);
    return performance.now() - started;
  } finally {
    await client.close();
  }
}

await timed(endpoints); // warm-up: JIT, first connections
const best = (xs) => Math.min(...xs);
const concurrent = [];
const sequential = [];
for (let i = 0; i < rounds; i++) {
  concurrent.push(await timed(endpoints));
  sequential.push(await timed(1));
}
for (const server of servers) server.close();

const c = best(concurrent);
const s = best(sequential);
console.log(`health-check benchmark: ${endpoints} endpoints × ${delayMs} ms, best of ${rounds}`);
console.log(`  concurrent (concurrency ${endpoints}): ${c.toFixed(0)} ms   (slowest single check: ${delayMs} ms)`);
console.log(`  sequential (concurrency 1):  ${s.toFixed(0)} ms   (sum of checks: ${endpoints * delayMs} ms)`);
console.log(`  sequential / concurrent: ${(s / c).toFixed(2)}×; concurrent / slowest: ${(c / delayMs).toFixed(2)}×`);
