/**
 * The platform smoke suite, on top of the check engine: the console is served with its security headers and gzip,
 * client-side routes fall back to the SPA shell, /health and /api/health answer, the agents list is valid JSON of
 * the API's shape, and (opt-in) an agent can be created, read and deleted. Cleanup runs even when a step fails.
 */
import type { ZodType } from "zod";
import { agentPageSchema, agentSchema } from "../../schemas/agents.js";
import { describeZodError } from "../../errors.js";
import { joinUrl } from "../config/environments.js";
import { parseCondition } from "../checks/condition.js";
import type { BodyValidator, CheckResult, CheckSpec, HealthReport } from "../checks/model.js";
import { round } from "../checks/evaluate.js";
import { runCheck, runChecks, type Clock, type Probe, type RunOptions } from "../checks/run.js";
import { aggregateVerdict } from "../checks/verdict.js";

export interface SmokeInput {
  baseUrl: string;
  /** Create, read and delete an agent named `agentName`. */
  write: boolean;
  /** With write: leave the agent in place (for a browser check); the caller deletes it. */
  keep: boolean;
  agentName: string;
  budgetMs: number;
}

export interface SmokeAgent {
  name: string;
  id?: string;
  kept: boolean;
  /** The agent is gone (deleted by the suite or by the cleanup). */
  deleted: boolean;
}

export interface SmokeOutcome {
  report: HealthReport;
  agent?: SmokeAgent;
}

/** The deep link the SPA must serve from index.html. */
export const DEEP_LINK = "/agents/some/deep/link";

const HTML = { accept: "text/html,application/xhtml+xml" };
const JSON_ACCEPT = { accept: "application/json" };

/** A unique, recognisable agent name: smoke-20260102T030405Z-a1b2c3. */
export function smokeAgentName(now: Date, random: string): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  return `smoke-${stamp}-${random}`;
}

/** The first module script of index.html (Vite emits `<script type="module" crossorigin src="/assets/index-….js">`). */
export function findScriptAsset(html: string): string | undefined {
  const tags = html.match(/<script\b[^>]*>/gi) ?? [];
  for (const tag of tags) {
    const src = /\bsrc\s*=\s*["']([^"']+\.js)["']/i.exec(tag)?.[1];
    if (src) return src;
  }
  return undefined;
}

export function zodValidator(name: string, schema: ZodType): BodyValidator {
  return {
    name,
    validate(body) {
      const parsed = schema.safeParse(body);
      return parsed.success
        ? { expected: "matches the schema", observed: "valid", ok: true }
        : { expected: "matches the schema", observed: null, ok: false, detail: describeZodError(parsed.error, "body") };
    },
  };
}

function check(name: string, url: string, extra: Partial<CheckSpec> & Pick<CheckSpec, "conditions">, budgetMs: number): CheckSpec {
  return { name, url, method: "GET", requestHeaders: {}, expectStatus: [200], validators: [], budgetMs, samples: 1, ...extra };
}

const SECURITY_HEADERS = [
  'header["content-security-policy"] contains "frame-ancestors"',
  'header["content-security-policy"] contains "object-src"',
  'header["content-security-policy"] contains "default-src"',
  'header["x-content-type-options"] == "nosniff"',
  'header["referrer-policy"] exists',
].map((c) => parseCondition(c));

/** The read-only checks, given the script asset found in index.html (if any). */
export function readOnlyChecks(input: SmokeInput, asset: string | undefined): CheckSpec[] {
  const base = input.baseUrl;
  const checks: CheckSpec[] = [
    check(
      "spa-deep-link",
      joinUrl(base, DEEP_LINK),
      {
        requestHeaders: HTML,
        conditions: [parseCondition('header["content-type"] contains "text/html"'), ...(asset ? [parseCondition(`body contains ${JSON.stringify(asset)}`)] : []), ...SECURITY_HEADERS],
      },
      input.budgetMs,
    ),
    check("frontend-health", joinUrl(base, "/health"), { conditions: [] }, input.budgetMs),
    check("api-health", joinUrl(base, "/api/health"), { requestHeaders: JSON_ACCEPT, conditions: [parseCondition('$.status == "pass"')] }, input.budgetMs),
    check(
      "api-agents-list",
      joinUrl(base, "/api/agents"),
      { requestHeaders: JSON_ACCEPT, conditions: [parseCondition('header["content-type"] contains "application/json"')], validators: [zodValidator("agents page", agentPageSchema)] },
      input.budgetMs,
    ),
  ];
  if (asset) {
    const assetUrl = new URL(asset, `${base.replace(/\/+$/, "")}/`).toString();
    checks.push(
      check(
        "console-asset-gzip",
        assetUrl,
        { requestHeaders: { "accept-encoding": "gzip" }, conditions: [parseCondition('header["content-encoding"] == "gzip"'), parseCondition('header["content-type"] contains "javascript"')] },
        input.budgetMs,
      ),
    );
  }
  return checks;
}

export async function runSmoke(input: SmokeInput, probe: Probe, clock: Clock, options: RunOptions): Promise<SmokeOutcome> {
  const startedAt = clock.now().toISOString();
  const started = clock.monotonicMs();
  const deadlineAt = started + options.deadlineMs;
  const results: CheckResult[] = [];

  const consoleCheck = check(
    "console",
    joinUrl(input.baseUrl, "/"),
    { requestHeaders: HTML, conditions: [parseCondition('header["content-type"] contains "text/html"'), ...SECURITY_HEADERS] },
    input.budgetMs,
  );
  const index = await runCheck(consoleCheck, probe, clock, options, deadlineAt);
  const asset = index.last ? findScriptAsset(index.last.bodyText) : undefined;
  if (index.last) {
    index.result.assertions.push({
      assertion: "index.html script",
      expected: "a module script asset",
      observed: asset ?? null,
      ok: asset !== undefined,
      severity: "fail",
      ...(asset ? {} : { detail: "no <script src=…js> in index.html" }),
    });
    if (!asset) index.result.verdict = "fail";
  }
  results.push(index.result);

  const rest = await runChecks(readOnlyChecks(input, asset), probe, clock, { ...options, deadlineMs: Math.max(1, deadlineAt - clock.monotonicMs()) });
  results.push(...rest.checks);

  let agent: SmokeAgent | undefined;
  if (input.write) {
    const write = await agentLifecycle(input, probe, clock, { ...options, retries: 0 }, deadlineAt);
    results.push(...write.results);
    agent = write.agent;
  }
  return {
    report: { verdict: aggregateVerdict(results.map((r) => r.verdict)), checks: results, startedAt, durationMs: round(clock.monotonicMs() - started) },
    ...(agent ? { agent } : {}),
  };
}

/** Create → read → (list shows it) → delete → gone. The finally deletes a created agent unless keep is set. */
async function agentLifecycle(input: SmokeInput, probe: Probe, clock: Clock, options: RunOptions, deadlineAt: number): Promise<{ results: CheckResult[]; agent: SmokeAgent }> {
  const results: CheckResult[] = [];
  const agents = joinUrl(input.baseUrl, "/api/agents");
  const agent: SmokeAgent = { name: input.agentName, kept: false, deleted: false };
  const step = async (spec: CheckSpec) => {
    const outcome = await runCheck(spec, probe, clock, options, deadlineAt);
    results.push(outcome.result);
    return outcome;
  };
  const nameIs = parseCondition(`$.name == ${JSON.stringify(input.agentName)}`);
  const writeHeaders = { ...JSON_ACCEPT, "content-type": "application/json" };
  try {
    const created = await step(
      check(
        "agent-create",
        agents,
        {
          method: "POST",
          requestHeaders: writeHeaders,
          requestBody: JSON.stringify({ name: input.agentName, provider: "anthropic", model: "claude-smoke-test", system_prompt: "Created by hello-ci smoke; safe to delete." }),
          expectStatus: [201],
          conditions: [nameIs],
          validators: [zodValidator("agent", agentSchema)],
        },
        input.budgetMs,
      ),
    );
    const parsed = created.last ? agentSchema.safeParse(safeJson(created.last.bodyText)) : undefined;
    if (!parsed?.success) return { results, agent };
    agent.id = parsed.data.id;
    const one = joinUrl(agents, `/${parsed.data.id}`);
    await step(check("agent-read", one, { requestHeaders: JSON_ACCEPT, conditions: [nameIs], validators: [zodValidator("agent", agentSchema)] }, input.budgetMs));
    // The list is oldest first: read its last page, where the new agent is (this also proves the cache was invalidated).
    const offset = Math.max(0, (await totalAgents(agents, probe, options.timeoutMs)) - LIST_PAGE);
    await step(
      check("agent-listed", `${agents}?limit=${LIST_PAGE}&offset=${offset}`, { requestHeaders: JSON_ACCEPT, conditions: [], validators: [listedValidator(input.agentName)] }, input.budgetMs),
    );
    if (input.keep) {
      agent.kept = true;
      return { results, agent };
    }
    const deleted = await step(check("agent-delete", one, { method: "DELETE", requestHeaders: JSON_ACCEPT, expectStatus: [204, 200], conditions: [] }, input.budgetMs));
    if (deleted.result.verdict === "pass") agent.deleted = true;
    await step(check("agent-gone", one, { requestHeaders: JSON_ACCEPT, expectStatus: [404], conditions: [] }, input.budgetMs));
    return { results, agent };
  } finally {
    if (agent.id && !agent.kept && !agent.deleted) {
      // Cleanup after a failed step: best effort, reported as its own check.
      const cleanup = await runCheck(
        check("agent-cleanup", joinUrl(agents, `/${agent.id}`), { method: "DELETE", requestHeaders: JSON_ACCEPT, expectStatus: [204, 200, 404], conditions: [] }, input.budgetMs),
        probe,
        clock,
        options,
        Math.max(deadlineAt, clock.monotonicMs() + options.timeoutMs),
      );
      results.push(cleanup.result);
      agent.deleted = cleanup.result.verdict === "pass";
    }
  }
}

const LIST_PAGE = 100;

async function totalAgents(agentsUrl: string, probe: Probe, timeoutMs: number): Promise<number> {
  try {
    const sample = await probe.request({ url: `${agentsUrl}?limit=1`, method: "GET", headers: JSON_ACCEPT, timeoutMs });
    const page = agentPageSchema.safeParse(safeJson(sample.bodyText));
    return page.success ? page.data.total : 0;
  } catch {
    return 0; // the listed step itself reports what is wrong
  }
}

function listedValidator(name: string): BodyValidator {
  return {
    name: "agents list",
    validate(body) {
      const page = agentPageSchema.safeParse(body);
      if (!page.success) return { expected: `contains ${JSON.stringify(name)}`, observed: null, ok: false, detail: describeZodError(page.error, "body") };
      const names = page.data.items.map((a) => a.name);
      return { expected: `contains ${JSON.stringify(name)}`, observed: names.includes(name) ? name : `${names.length} other agents`, ok: names.includes(name) };
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
