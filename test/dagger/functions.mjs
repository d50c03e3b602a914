// Print the module's functions and flags like `dagger functions`, without an engine: npm run dagger:functions
import { loadSurface, renderFunctions } from "./support/surface.mjs"

const surface = await loadSurface()
if (process.argv.includes("--json")) console.log(JSON.stringify(surface, null, 2))
else console.log(renderFunctions(surface))
