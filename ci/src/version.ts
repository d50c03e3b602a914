/** The toolkit's own version, read from package.json at build time. */
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
export const toolkitVersion: string = (require("../package.json") as { version: string }).version;
