/**
 * Every hello-ci command, registered in help order. Each entry is a factory in its own file
 * (src/commands/<verb>.ts) that returns a configured commander Command bound to an Io.
 */
import type { Command } from "commander";
import type { Io } from "../io.js";

export type CommandFactory = (io: Io) => Command;

export const commands: CommandFactory[] = [
  // release-plan, scan-gate, sbom-check, health-check, smoke, deploy … are appended here.
];
