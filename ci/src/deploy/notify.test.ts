import { describe, expect, it } from "vitest";
import type { DeployReport } from "../schemas/deploy-report.js";
import { notifyAbout } from "./notify.js";

const report = (): DeployReport => ({
  schema: "helloagents/deploy-report@1", kind: "deploy", env: "staging", version: "v1.0.0", images: { backend: "b@sha256:aa", frontend: "f@sha256:bb" },
  result: "deployed", exitCode: 0, reason: "green is live", live: { halfSwitched: false, confirmed: true }, steps: [],
  startedAt: "2026-01-31T12:00:00.000Z", finishedAt: "2026-01-31T12:00:10.000Z", durationMs: 10_000, warnings: [],
});

describe("notify: the webhook at the end of a run", () => {
  it("sends the report's one-line message once", async () => {
    const sent: string[] = [];
    const out = await notifyAbout(report(), async (m) => void sent.push(m));
    expect(sent).toEqual([expect.stringMatching(/^deploy staging v1\.0\.0: deployed\. green is live\.$/)]);
    expect(out.warnings).toEqual([]);
  });

  it("turns a failing webhook into a warning with its first line, and the report keeps its result", async () => {
    const out = await notifyAbout(report(), async () => {
      throw new Error("HTTP 500 from the webhook\nstack");
    });
    expect(out.result).toBe("deployed");
    expect(out.warnings).toEqual(["the webhook was not notified: HTTP 500 from the webhook"]);
  });

  it("does nothing without a webhook", async () => {
    expect((await notifyAbout(report(), undefined)).warnings).toEqual([]);
  });
});
