/**
 * Every hello-ci command, registered in help order. Each entry is a factory in its own file
 * (src/commands/<verb>.ts), written with the command kit (src/commands/kit/define.ts), that returns a commander Command bound to an Io.
 */
import { browserCheckCommand } from "./browser-check.js";
import { healthCheckCommand } from "./health-check.js";
import type { CommandFactory } from "./kit/define.js";
import { smokeCommand } from "./smoke.js";
import { releasePlanCommand } from "./release-plan.js";
import { releaseSummaryCommand } from "./release-summary.js";
import { provenanceCommand } from "./provenance.js";
import { scanGateCommand } from "./scan-gate.js";
import { sbomCheckCommand } from "./sbom-check.js";
import { renderCommand } from "./render.js";
import { deployCommand } from "./deploy.js";
import { rollbackCommand } from "./rollback.js";
import { statusCommand } from "./status.js";
import { scaleDownCommand } from "./scale-down.js";
import { deployImagesCommand } from "./deploy-images.js";
import { imageIndexCommand } from "./image-index.js";

export type { CommandFactory } from "./kit/define.js";

export const commands: CommandFactory[] = [
  releasePlanCommand,
  scanGateCommand,
  sbomCheckCommand,
  releaseSummaryCommand,
  provenanceCommand,
  healthCheckCommand,
  smokeCommand,
  browserCheckCommand,
  renderCommand,
  deployCommand,
  rollbackCommand,
  statusCommand,
  scaleDownCommand,
  deployImagesCommand,
  imageIndexCommand,
];
