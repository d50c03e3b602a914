/** `hello-ci release-summary`: render release.json as the Markdown summary; exit 0, or 2 on an unreadable or invalid record. */
import { z } from "zod";
import { parseReleaseRecord, renderReleaseSummary } from "../core/release/summary.js";
import { defineCommand } from "./kit/define.js";
import { flag, flagsObject } from "./kit/flags.js";

const flags = {
  record: flag("<file>", "release.json written by the release", z.string({ error: "missing: give the release record, e.g. --record release/release.json" }).min(1)),
  out: flag("<file>", "write the Markdown here instead of standard output", z.string().min(1).optional()),
};

export const releaseSummaryOptionsSchema = flagsObject(flags);
export type ReleaseSummaryOptions = z.infer<typeof releaseSummaryOptionsSchema>;

export const releaseSummaryCommand = defineCommand({
  name: "release-summary",
  description: "render a release record (release.json, schema helloagents/release@1) as the Markdown summary",
  flags,
  schema: releaseSummaryOptionsSchema,
  async run(ctx, options) {
    const record = parseReleaseRecord(options.record, await ctx.readFile("record", options.record));
    const markdown = renderReleaseSummary(record);
    if (options.out) await ctx.writeFile("out", options.out, markdown);
    else ctx.io.out(markdown);
  },
});
