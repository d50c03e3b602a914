/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** API origin, e.g. "https://api.example.com"; empty = same origin. */
  readonly VITE_API_URL?: string;
  /** WebSocket base, e.g. "wss://api.example.com/ws"; empty = the page's host over ws:/wss:. No socket is opened yet. */
  readonly VITE_WS_URL?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
