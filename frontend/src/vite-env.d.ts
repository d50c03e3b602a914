/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** API origin, e.g. "https://api.example.com"; empty = same origin. */
  readonly VITE_API_URL?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
