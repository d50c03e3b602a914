import { createApiClient } from "./client";
import { resolveWsUrl } from "./ws";

/** The app's client: VITE_API_URL is baked in at build time; empty means same origin. */
export const api = createApiClient({ baseUrl: import.meta.env.VITE_API_URL ?? "" });

/** WebSocket base: VITE_WS_URL, or the page's host over ws:/wss: when empty. Nothing opens a socket yet. */
export const wsUrl = resolveWsUrl(import.meta.env.VITE_WS_URL, window.location);
