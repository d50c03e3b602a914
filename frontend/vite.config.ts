import react from "@vitejs/plugin-react";
import { loadEnv } from "vite";
import { defineConfig } from "vitest/config";
import { FrontendUrlError, checkFrontendUrls } from "./scripts/frontend-urls.mjs";

// `npm run dev` proxies /api to a local backend; override with VITE_PROXY_TARGET.
const proxyTarget = process.env.VITE_PROXY_TARGET ?? "http://127.0.0.1:8000";

/** Refuse a bad VITE_API_URL or VITE_WS_URL before anything is bundled: one line naming the variable and the fix. */
function checkUrls(mode: string): void {
  const env = loadEnv(mode, process.cwd(), "VITE_");
  try {
    checkFrontendUrls({ apiUrl: env.VITE_API_URL, wsUrl: env.VITE_WS_URL });
  } catch (error) {
    if (!(error instanceof FrontendUrlError)) throw error;
    process.stderr.write(`vite: ${error.message}\n`);
    process.exit(2);
  }
}

export default defineConfig(({ mode }) => {
  checkUrls(mode);
  return {
    plugins: [react()],
    server: {
      proxy: { "/api": { target: proxyTarget, changeOrigin: true } },
    },
    build: {
      outDir: "dist",
      assetsDir: "assets",
      sourcemap: false,
    },
    test: {
      environment: "jsdom",
      setupFiles: ["./src/test/setup.ts"],
      include: ["src/**/*.test.{ts,tsx}", "scripts/**/*.test.ts"],
      restoreMocks: true,
      reporters: ["default", "junit"],
      outputFile: { junit: "reports/junit.xml" },
      coverage: {
        provider: "v8",
        include: ["src/**/*.{ts,tsx}", "scripts/**/*.mjs"],
        exclude: ["src/**/*.test.{ts,tsx}", "src/test/**", "src/main.tsx", "src/vite-env.d.ts"],
        reporter: ["text", "cobertura", "lcov"],
        reportsDirectory: "coverage",
        thresholds: { lines: 80, statements: 80, functions: 80, branches: 75 },
      },
    },
  };
});
