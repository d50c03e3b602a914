import { createApiClient } from "./client";

/** The app's client: VITE_API_URL is baked in at build time; empty means same origin. */
export const api = createApiClient({ baseUrl: import.meta.env.VITE_API_URL ?? "" });
