import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

// dagger/dagger-for-github (v8.4.1) runs `DAGGER_CLOUD_TOKEN=${{ inputs.cloud-token }} dagger …`: the input, empty by
// default, overrides a DAGGER_CLOUD_TOKEN set in the workflow, job or step env, so the token reaches the CLI only as the
// step's `cloud-token` input. Every workflow file is read, so a new one (deploy.yml) is held to the same rule.
const WORKFLOWS = join(import.meta.dirname, "../../.github/workflows");
const TOKEN_INPUT = "${{ secrets.DAGGER_CLOUD_TOKEN }}";
const DAGGER_ACTION = /^dagger\/dagger-for-github@/;

type Env = Record<string, unknown> | undefined;
interface Step { name?: string; uses?: string; env?: Env; with?: Record<string, unknown> }
interface Job { env?: Env; steps?: Step[] }
interface Workflow { env?: Env; jobs?: Record<string, Job> }

export interface TokenProblem { where: string; problem: string }

/** Every dagger step that would not hand the Dagger Cloud token to the CLI, and every env that pretends to. */
export function daggerTokenProblems(file: string, workflow: Workflow): TokenProblem[] {
  const problems: TokenProblem[] = [];
  const envSets = (env: Env) => env !== undefined && env !== null && Object.hasOwn(env, "DAGGER_CLOUD_TOKEN");
  if (envSets(workflow.env)) problems.push({ where: file, problem: "sets DAGGER_CLOUD_TOKEN in the workflow env, which the action overrides" });
  for (const [jobName, job] of Object.entries(workflow.jobs ?? {})) {
    const steps = (job.steps ?? []).filter((s) => typeof s.uses === "string" && DAGGER_ACTION.test(s.uses));
    if (steps.length > 0 && envSets(job.env)) problems.push({ where: `${file} job ${jobName}`, problem: "sets DAGGER_CLOUD_TOKEN in the job env, which the action overrides" });
    for (const [i, step] of steps.entries()) {
      const where = `${file} job ${jobName} step ${step.name ?? i + 1}`;
      if (envSets(step.env)) problems.push({ where, problem: "sets DAGGER_CLOUD_TOKEN in the step env, which the action overrides" });
      if (step.with?.["cloud-token"] !== TOKEN_INPUT) problems.push({ where, problem: `cloud-token input is ${JSON.stringify(step.with?.["cloud-token"] ?? null)}, expected ${TOKEN_INPUT}` });
    }
  }
  return problems;
}

const files = readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f));
const read = (file: string) => parse(readFileSync(join(WORKFLOWS, file), "utf8")) as Workflow;

describe("the Dagger Cloud token reaches every dagger/dagger-for-github step", () => {
  it("finds the workflows and their dagger steps (the rule below is not vacuous)", () => {
    expect(files).toEqual(expect.arrayContaining(["ci.yml", "release.yml"]));
    const daggerSteps = files.flatMap((f) => Object.values(read(f).jobs ?? {}).flatMap((j) => (j.steps ?? []).filter((s) => DAGGER_ACTION.test(s.uses ?? ""))));
    expect(daggerSteps.length).toBeGreaterThanOrEqual(5);
  });

  it.each(files)("%s passes the secret as the cloud-token input of each dagger step and never through env", (file) => {
    expect(daggerTokenProblems(file, read(file))).toEqual([]);
  });

  it("flags a job that relies on its env for the token, as the workflows did before (the action overrides it with the empty input)", () => {
    const before: Workflow = {
      jobs: {
        check: {
          env: { DAGGER_CLOUD_TOKEN: TOKEN_INPUT },
          steps: [{ uses: "actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1" }, { name: "dagger check", uses: "dagger/dagger-for-github@27b130bf0f79a7f6fbbbe0fbca6760dc9bb40a77", with: { verb: "check" } }],
        },
      },
    };
    expect(daggerTokenProblems("old.yml", before)).toEqual([
      { where: "old.yml job check", problem: "sets DAGGER_CLOUD_TOKEN in the job env, which the action overrides" },
      { where: "old.yml job check step dagger check", problem: `cloud-token input is null, expected ${TOKEN_INPUT}` },
    ]);
  });

  it("flags a step env, a workflow env and a cloud-token taken from anywhere but the secret", () => {
    const wrong: Workflow = {
      env: { DAGGER_CLOUD_TOKEN: TOKEN_INPUT },
      jobs: { release: { steps: [{ uses: "dagger/dagger-for-github@27b130bf0f79a7f6fbbbe0fbca6760dc9bb40a77", env: { DAGGER_CLOUD_TOKEN: TOKEN_INPUT }, with: { "cloud-token": "${{ env.DAGGER_CLOUD_TOKEN }}" } }] } },
    };
    expect(daggerTokenProblems("w.yml", wrong).map((p) => p.problem)).toEqual([
      "sets DAGGER_CLOUD_TOKEN in the workflow env, which the action overrides",
      "sets DAGGER_CLOUD_TOKEN in the step env, which the action overrides",
      `cloud-token input is "\${{ env.DAGGER_CLOUD_TOKEN }}", expected ${TOKEN_INPUT}`,
    ]);
  });
});
