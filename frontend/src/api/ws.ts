/**
 * Where the console would open a WebSocket. The console opens none yet and the backend serves no WebSocket endpoint:
 * this only resolves the configured base so a future live view has one place to read it from (and the CSP that nginx
 * serves already allows it, see scripts/frontend-urls.mjs).
 */

/** The parts of `window.location` the resolver reads. */
export type PageLocation = Pick<Location, "protocol" | "host">;

/**
 * The WebSocket base URL: VITE_WS_URL as configured (the build has checked it is ws:// or wss://), or, when empty,
 * the page's own host with `wss:` on https pages and `ws:` otherwise.
 */
export function resolveWsUrl(configured: string | undefined, location: PageLocation): string {
  const value = (configured ?? "").trim();
  if (value !== "") return value;
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}`;
}
