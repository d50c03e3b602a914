import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/**", "coverage/**", "reports/**", "node_modules/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      "no-console": "error",
    },
  },
  { files: ["bin/**", "test/**/*.mjs"], languageOptions: { globals: { process: "readonly" } } },
  { files: ["src/cli.ts", "src/output.ts", "test/**", "bin/**", "**/*.test.ts"], rules: { "no-console": "off" } },
);
