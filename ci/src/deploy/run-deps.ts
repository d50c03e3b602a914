/**
 * What every deploy run needs from outside, whatever the target (Kubernetes or ECS): the environment, the clock,
 * where progress goes, the public URLs, the webhook and who runs it. Each target adds its own API.
 */
import type { Clock, Probe } from "../core/checks/run.js";
import type { EnvironmentConfig } from "../schemas/environments.js";

export interface RunDeps {
  envName: string;
  env: EnvironmentConfig;
  clock: Clock;
  progress(line: string): void;
  /** The public URLs (bake health rounds). */
  http: Probe;
  /** Post the one-line outcome to the team's webhook; a failure is only a warning. */
  notify?(message: string): Promise<void>;
  /** Who holds the lock while this run lasts, e.g. `octocat@runner-1:4242:9f3c`. */
  identity: string;
  /** Who deploys, recorded in the history. */
  actor: string;
}
