import js from "@eslint/js";
import { createNodeResolver, importX } from "eslint-plugin-import-x";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/**", "coverage/**", "reports/**", "node_modules/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      "no-console": "error",
      // Long positional argument lists: pass an options object instead (issue 11).
      "max-params": ["error", 6],
    },
  },
  {
    // No import cycle in src/: sources import `./x.js` for `./x.ts`, so the resolver maps the extension back.
    files: ["src/**/*.ts"],
    plugins: { "import-x": importX },
    settings: {
      "import-x/extensions": [".ts", ".js"],
      "import-x/parsers": { "@typescript-eslint/parser": [".ts"] },
      "import-x/resolver-next": [createNodeResolver({ extensions: [".ts", ".js"], extensionAlias: { ".js": [".ts", ".js"] } })],
    },
    rules: { "import-x/no-cycle": ["error", { ignoreExternal: true }] },
  },
  {
    files: ["bin/**", "bench/**", "test/**/*.mjs"],
    languageOptions: {
      globals: Object.fromEntries(
        ["process", "console", "Buffer", "URL", "fetch", "AbortController", "AbortSignal", "setTimeout", "clearTimeout"].map((name) => [name, "readonly"]),
      ),
    },
  },
  { files: ["src/cli.ts", "src/output.ts", "test/**", "bin/**", "bench/**", "**/*.test.ts"], rules: { "no-console": "off" } },
);
