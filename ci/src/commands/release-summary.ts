/** `hello-ci release-summary`: render release.json as the Markdown summary; exit 0, or 2 on an unreadable or invalid record. */
import { Command } from "commander";
import { z } from "zod";
import { parseReleaseRecord, renderReleaseSummary } from "../core/release/summary.js";
import type { Io } from "../io.js";
import { readInput, writeOutput } from "./files.js";
import { parseOptions } from "./parse-options.js";

export const releaseSummaryOptionsSchema = z.object({
  record: z.string({ error: "missing: give the release record, e.g. --record release/release.json" }).min(1),
  out: z.string().min(1).optional(),
});
export type ReleaseSummaryOptions = z.infer<typeof releaseSummaryOptionsSchema>;

export function releaseSummaryCommand(io: Io): Command {
  return new Command("release-summary")
    .description("render a release record (release.json, schema helloagents/release@1) as the Markdown summary")
    .option("--record <file>", "release.json written by the release")
    .option("--out <file>", "write the Markdown here instead of standard output")
    .action(async (raw: Record<string, unknown>) => {
      const options = parseOptions(releaseSummaryOptionsSchema, raw, "release-summary");
      const record = parseReleaseRecord(options.record, await readInput(io, options.record, "release record"));
      const markdown = renderReleaseSummary(record);
      if (options.out) await writeOutput(io, options.out, "summary", markdown);
      else io.out(markdown);
    });
}
