#!/usr/bin/env node
/**
 * The two build-time URLs of the console, VITE_API_URL and VITE_WS_URL: what values are valid, and the CSP
 * `connect-src` they need. One source for the bundle (vite.config.ts refuses bad values), the image (the Dockerfile's
 * build stage renders the security-headers snippet from the same build args) and local nginx (render-nginx.mjs).
 *
 *   node scripts/frontend-urls.mjs --out FILE [--snippet nginx/security-headers.conf] [--mode production]
 *
 * Reads VITE_API_URL and VITE_WS_URL the way `vite build` does (process environment first, then .env files for the
 * mode), and writes the snippet with its connect-src set for them. Exit codes: 0 written, 2 a bad value or argument.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

const here = dirname(fileURLToPath(import.meta.url));

/** The committed snippet: every security header, with `connect-src 'self'` (both URLs empty). */
export const SNIPPET_PATH = join(here, "..", "nginx", "security-headers.conf");

/** A bad VITE_* value: the message is one line naming the variable and the fix. */
export class FrontendUrlError extends Error {}

/** An origin nginx may print inside a quoted header and CSP accepts as a host-source: no quotes, `;`, `$` or spaces. */
const SAFE_ORIGIN = /^(?:https?|wss?):\/\/[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?(?::\d{1,5})?$/;

/**
 * @typedef {object} UrlRule
 * @property {string} name
 * @property {readonly string[]} protocols
 * @property {string} expected
 * @property {string} example
 */

/** @type {Record<"api" | "ws", UrlRule>} */
const RULES = {
  api: { name: "VITE_API_URL", protocols: ["http:", "https:"], expected: "an absolute http:// or https:// URL", example: "https://api.example.com" },
  ws: { name: "VITE_WS_URL", protocols: ["ws:", "wss:"], expected: "an absolute ws:// or wss:// URL", example: "wss://api.example.com/ws" },
};

/**
 * Check one setting; return "" for empty (same origin) or the trimmed URL.
 * @param {UrlRule} rule
 * @param {string | undefined} raw
 * @returns {string}
 */
function checked(rule, raw) {
  const value = (raw ?? "").trim();
  if (value === "") return "";
  const fail = (/** @type {string} */ why) =>
    new FrontendUrlError(
      `${rule.name} must be empty (same origin) or ${rule.expected}, got ${JSON.stringify(value)}${why}: set it to e.g. ${rule.example} or leave it empty`,
    );
  /** @type {URL} */
  let url;
  try {
    url = new URL(value);
  } catch {
    throw fail("");
  }
  if (!rule.protocols.includes(url.protocol)) throw fail("");
  if (url.username || url.password) throw fail(" (credentials would be public in the bundle)");
  if (!SAFE_ORIGIN.test(url.origin)) throw fail(" (the host must be a DNS name or IPv4 address)");
  return value;
}

/**
 * Validate both settings.
 * @param {{ apiUrl?: string | undefined, wsUrl?: string | undefined }} urls
 * @returns {{ apiUrl: string, wsUrl: string }} trimmed values, "" for same origin
 * @throws {FrontendUrlError}
 */
export function checkFrontendUrls(urls) {
  return { apiUrl: checked(RULES.api, urls.apiUrl), wsUrl: checked(RULES.ws, urls.wsUrl) };
}

/**
 * The CSP `connect-src` sources for these settings: `'self'`, then the origin (scheme://host[:port]) of each URL that is
 * set. `'self'` alone covers the same-origin API and, in CSP3 browsers, same-host ws:/wss:.
 * @param {{ apiUrl?: string | undefined, wsUrl?: string | undefined }} urls
 * @returns {string[]}
 * @throws {FrontendUrlError}
 */
export function connectSources(urls) {
  const { apiUrl, wsUrl } = checkFrontendUrls(urls);
  const origins = [apiUrl, wsUrl].filter((u) => u !== "").map((u) => new URL(u).origin);
  return ["'self'", ...origins];
}

/**
 * The security-headers snippet with its `connect-src` replaced; every other header and directive stays as written.
 * @param {string} snippet the committed snippet (one `connect-src 'self'` directive)
 * @param {readonly string[]} sources from connectSources
 * @returns {string}
 */
export function withConnectSrc(snippet, sources) {
  const directive = /connect-src 'self'(?=[;"])/g;
  const found = snippet.match(directive)?.length ?? 0;
  if (found !== 1) throw new Error(`the security-headers snippet must hold exactly one "connect-src 'self'" directive, found ${found}`);
  return snippet.replace(directive, () => `connect-src ${sources.join(" ")}`);
}

/**
 * The snippet nginx serves for these settings, from the committed one.
 * @param {{ apiUrl?: string | undefined, wsUrl?: string | undefined }} urls
 * @param {string} [snippetPath]
 * @returns {string}
 */
export function securityHeaders(urls, snippetPath = SNIPPET_PATH) {
  return withConnectSrc(readFileSync(snippetPath, "utf8"), connectSources(urls));
}

/**
 * The values `vite build` bakes in for a mode: the process environment wins over .env files (Vite's own rule).
 * @param {string} mode
 * @param {string} root
 * @returns {Promise<{ apiUrl: string | undefined, wsUrl: string | undefined }>}
 */
export async function buildUrls(mode, root) {
  const { loadEnv } = await import("vite");
  const env = loadEnv(mode, root, "VITE_");
  return { apiUrl: env.VITE_API_URL, wsUrl: env.VITE_WS_URL };
}

/**
 * @param {string[]} argv arguments after the script name
 * @returns {Promise<number>} exit code
 */
export async function main(argv) {
  try {
    const { values } = parseArgs({
      args: argv,
      options: { out: { type: "string" }, snippet: { type: "string" }, mode: { type: "string" } },
      strict: true,
      allowPositionals: false,
    });
    if (!values.out) throw new FrontendUrlError("--out FILE is required");
    const urls = await buildUrls(values.mode ?? "production", process.cwd());
    writeFileSync(resolve(values.out), securityHeaders(urls, resolve(values.snippet ?? SNIPPET_PATH)));
    return 0;
  } catch (error) {
    process.stderr.write(`frontend-urls: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
}

const invoked = process.argv[1];
if (invoked && import.meta.url === pathToFileURL(resolve(invoked)).href) {
  process.exitCode = await main(process.argv.slice(2));
}
