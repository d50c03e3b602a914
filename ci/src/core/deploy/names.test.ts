import { describe, expect, it } from "vitest";
import { names, otherColour, ownedLabels, podSelector } from "./names.js";

describe("names: one place for what the engine calls things", () => {
  it.each([
    ["the other colour of blue is green", otherColour("blue"), "green"],
    ["the other colour of green is blue", otherColour("green"), "blue"],
    ["a Deployment is named for its app and colour", names.deployment("frontend", "green"), "helloagents-frontend-green"],
    ["the active Service carries the app's name", names.activeService("backend"), "helloagents-backend"],
    ["the preview Service", names.previewService("frontend"), "helloagents-frontend-preview"],
    ["a colour's backend Service", names.colourService("backend", "blue"), "helloagents-backend-blue"],
    ["the migration Job is per revision", names.migrationJob(12), "helloagents-migrate-r12"],
    ["a history record is per revision", names.record(3), "helloagents-deploy-r3"],
    ["the lock", names.lease, "helloagents-deploy"],
  ])("%s", (_name, actual, expected) => {
    expect(actual).toBe(expected);
  });

  it("owned labels mark the part and the manager, with the extras added", () => {
    expect(ownedLabels({ team: "a" })).toEqual({ "app.kubernetes.io/part-of": "helloagents", "app.kubernetes.io/managed-by": "hello-ci", team: "a" });
    expect(ownedLabels()).toEqual({ "app.kubernetes.io/part-of": "helloagents", "app.kubernetes.io/managed-by": "hello-ci" });
  });

  it("a pod selector picks one app of one colour", () => {
    expect(podSelector("backend", "green")).toEqual({ "app.kubernetes.io/name": "helloagents-backend", "helloagents.dev/colour": "green" });
  });
});
