// Write ci/json-schemas/environments.schema.json from the zod schema (run by `npm run schemas`, after the build).
// `--check` writes nothing and exits 1 when the committed file differs: the same check the unit test makes.
import { readFile, writeFile } from "node:fs/promises";
import process from "node:process";
import { URL } from "node:url";
import { ENVIRONMENTS_SCHEMA_FILE, environmentsJsonSchemaText } from "../dist/core/config/environments-json-schema.js";

const file = new URL(`../${ENVIRONMENTS_SCHEMA_FILE}`, import.meta.url);
const text = environmentsJsonSchemaText();
if (process.argv.includes("--check")) {
  const committed = await readFile(file, "utf8").catch(() => "");
  if (committed !== text) {
    process.stderr.write(`hello-ci: ci/${ENVIRONMENTS_SCHEMA_FILE} is out of date with src/schemas/environments.ts: run \`cd ci && npm run schemas\` and commit it\n`);
    process.exitCode = 1;
  } else {
    process.stdout.write(`ci/${ENVIRONMENTS_SCHEMA_FILE} is up to date\n`);
  }
} else {
  await writeFile(file, text);
  process.stdout.write(`wrote ci/${ENVIRONMENTS_SCHEMA_FILE} (${text.length} bytes)\n`);
}
