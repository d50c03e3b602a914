// The IAM policy in docs/deploy.md (ECS) against the code: every AWS action the ECS adapter can call is granted, and
// the policy grants nothing the code never calls (iam:PassRole aside, which RegisterTaskDefinition needs for the roles
// a revision names). The adapter is the only file that sends AWS commands.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const here = fileURLToPath(new URL(".", import.meta.url));
const docs = readFileSync(join(here, "../../../docs/deploy.md"), "utf8");

type Statement = { Sid: string; Effect: string; Action: string | string[]; Resource: string | string[]; Condition?: unknown };
const list = (v: string | string[]) => (Array.isArray(v) ? v : [v]);

function policy(): { Statement: Statement[] } {
  const section = docs.slice(docs.indexOf("### The pipeline's IAM policy"));
  const match = /```json\n([\s\S]*?)\n```/.exec(section);
  if (!match) throw new Error("docs/deploy.md has no JSON block under \"The pipeline's IAM policy\"");
  return JSON.parse(match[1]!) as { Statement: Statement[] };
}

/** `ecs:X` / `ssm:X` for every `new XCommand(` sent in src/ecs, by the package it is imported from. */
function calledActions(): string[] {
  const actions = new Set<string>();
  for (const file of readdirSync(here).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))) {
    const source = readFileSync(join(here, file), "utf8");
    const services: Record<string, string> = {};
    for (const imp of source.matchAll(/import\s*\{([^}]*)\}\s*from\s*"@aws-sdk\/client-(\w+)"/g)) {
      for (const name of imp[1]!.split(",").map((n) => n.trim()).filter((n) => n.endsWith("Command"))) services[name] = imp[2]!;
    }
    for (const call of source.matchAll(/new (\w+)Command\(/g)) {
      const service = services[`${call[1]}Command`];
      if (!service) throw new Error(`${file}: ${call[1]}Command is not imported from an @aws-sdk client`);
      actions.add(`${service}:${call[1]}`);
    }
  }
  return [...actions].sort();
}

describe("the ECS pipeline's IAM policy (docs/deploy.md)", () => {
  it("grants exactly the actions the code calls, plus iam:PassRole for the task's roles", () => {
    const called = calledActions();
    expect(called).toContain("ecs:ContinueServiceDeployment");
    expect(called).toContain("ssm:PutParameter");
    const granted = [...new Set(policy().Statement.filter((s) => s.Effect === "Allow").flatMap((s) => list(s.Action)))].sort();
    expect(granted.filter((a) => a !== "iam:PassRole")).toEqual(called);
    expect(granted).toContain("iam:PassRole");
  });

  it("scopes every action that supports it to the service, its deployments, the family or the history path", () => {
    const wide = policy().Statement.filter((s) => list(s.Resource).includes("*"));
    expect(wide.flatMap((s) => list(s.Action)).sort()).toEqual(["ecs:DescribeTaskDefinition", "ecs:RegisterTaskDefinition"]);
    const history = policy().Statement.find((s) => list(s.Action).some((a) => a.startsWith("ssm:")))!;
    for (const resource of list(history.Resource)) expect(resource).toMatch(/^arn:aws:ssm:REGION:ACCOUNT:parameter\/helloagents\/deploy\/ENV(\/\*)?$/);
    const passRole = policy().Statement.find((s) => list(s.Action).includes("iam:PassRole"))!;
    expect(passRole.Condition).toEqual({ StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } });
  });
});
