/**
 * hello-ci image-index: read what a registry serves for a pushed digest and check it covers every platform, e.g. the
 * dry-run release's read-back from its throwaway registry. Prints `hello-ci/image-index@1` with --json.
 * Exit 0 every platform there, 1 one is missing (or the digest is not there), 2 invalid input, 3 nothing answered.
 */
import { z } from "zod";
import { configPlatform, MANIFEST_ACCEPT, missingPlatforms, readManifest } from "../core/release/image-index.js";
import { TransportError } from "../core/http/transport.js";
import { Unreachable } from "../errors.js";
import { createHttpClient, type HttpClient } from "../http.js";
import { httpUrlSchema, positiveDurationSchema } from "../schemas/primitives.js";
import type { ImageIndexResult } from "../schemas/image-index.js";
import { defineCommand } from "./kit/define.js";
import { defaultedFlag, flag, flagsObject, repeatableFlag, switchFlag } from "./kit/flags.js";

const flags = {
  url: flag("<url>", "the manifest URL of the digest, http(s)://<registry>/v2/<repository>/manifests/sha256:…", httpUrlSchema.optional()),
  platform: repeatableFlag("<os/arch>", "a platform the digest must cover, repeatable", z.array(z.string().regex(/^[a-z0-9]+\/[a-z0-9]+(\/[a-z0-9]+)?$/, "expected os/arch, e.g. linux/amd64")).default([])),
  timeout: defaultedFlag("<duration>", "per request", positiveDurationSchema, "10s"),
  json: switchFlag("print the result as JSON (schema hello-ci/image-index@1)"),
};

export const imageIndexOptionsSchema = flagsObject(flags);

/** GET a JSON document; a status other than 200 is a failed check naming it, no answer is Unreachable. */
async function getJson(client: HttpClient, url: string, accept: string, timeoutMs: number): Promise<{ status: number; body: unknown }> {
  try {
    const res = await client.request({ url, method: "GET", headers: { accept }, timeoutMs });
    let body: unknown;
    try {
      body = JSON.parse(res.bodyText);
    } catch {
      body = undefined;
    }
    return { status: res.status, body };
  } catch (error) {
    if (error instanceof TransportError && !error.answered) throw new Unreachable(`image-index: ${url}: ${error.message}`);
    throw error;
  }
}

export const imageIndexCommand = defineCommand({
  name: "image-index",
  description: "check that a pushed digest (an index, or one image manifest) covers every platform; print the platforms' digests",
  flags,
  schema: imageIndexOptionsSchema,
  exitCodes: "0 every platform there, 1 a platform missing or the digest not found, 2 invalid input, 3 nothing answered",
  async run(ctx, options) {
    if (!options.url) throw ctx.optionError("url", "missing: give the manifest URL, e.g. http://registry:5000/v2/acme/app/manifests/sha256:…");
    const url = options.url;
    const client = createHttpClient();
    try {
      const digest = url.slice(url.lastIndexOf("/") + 1);
      const manifest = await getJson(client, url, MANIFEST_ACCEPT, options.timeout);
      let platforms: Record<string, string> = {};
      let problem: string | undefined;
      if (manifest.status !== 200) problem = `${url}: HTTP ${manifest.status}`;
      else {
        const kind = readManifest(manifest.body);
        if (kind.kind === "index") platforms = kind.platforms;
        else if (kind.kind === "image") {
          const blob = url.replace(/\/manifests\/[^/]+$/, `/blobs/${kind.configDigest}`);
          const config = await getJson(client, blob, "application/json", options.timeout);
          const platform = config.status === 200 ? configPlatform(config.body) : undefined;
          if (platform) platforms = { [platform]: digest };
          else problem = `${blob}: no platform in the image's config (HTTP ${config.status})`;
        } else problem = `${url}: neither an image index nor an image manifest`;
      }
      const missing = problem ? [...options.platform] : missingPlatforms(platforms, options.platform);
      const result: ImageIndexResult = { schema: "hello-ci/image-index@1", url, platforms, missing };
      ctx.io.out(options.json ? JSON.stringify(result, null, 2) : Object.entries(platforms).map(([p, d]) => `${p} ${d}`).join("\n") || "(no platform)");
      if (problem) ctx.checkFailed(`image-index: ${problem}`);
      else if (missing.length > 0) ctx.checkFailed(`image-index: ${url} lacks ${missing.join(", ")} (it lists ${Object.keys(platforms).join(", ") || "nothing"})`);
    } finally {
      await client.close();
    }
  },
});
