/**
 * Every hello-ci command, registered in help order. Each entry is a factory in its own file
 * (src/commands/<verb>.ts) that returns a configured commander Command bound to an Io.
 */
import type { Command } from "commander";
import type { Io } from "../io.js";
import { healthCheckCommand } from "./health-check.js";
import { smokeCommand } from "./smoke.js";
import { releasePlanCommand } from "./release-plan.js";
import { releaseSummaryCommand } from "./release-summary.js";
import { provenanceCommand } from "./provenance.js";
import { scanGateCommand } from "./scan-gate.js";
import { sbomCheckCommand } from "./sbom-check.js";

export type CommandFactory = (io: Io) => Command;

export const commands: CommandFactory[] = [
  releasePlanCommand,
  scanGateCommand,
  sbomCheckCommand,
  releaseSummaryCommand,
  provenanceCommand,
  healthCheckCommand,
  smokeCommand,
];
