/**
 * What a deploy and a rollback share: the lock, the live state and the history, the switch with its verification and
 * bake, the recovery when something fails, the final record, the report and the notification. `deploy.ts` and
 * `rollback.ts` only decide which steps run.
 *
 * Recovery rules (docs/deploy.md):
 *   - before the switch: the new colour is scaled to zero, the live colour was never touched: `rejected` (exit 1);
 *   - after the switch began: the active Services flip back to the old colour at once, the flip is verified through the
 *     EndpointSlices, then the new colour is scaled to zero: `rolled-back` (exit 1);
 *   - the cluster stopped answering before the switch: `unreachable` (exit 3), the live colour untouched;
 *   - recovery could not complete (nothing to flip back to, the cluster gone mid-switch): `failed` (exit 4), and the
 *     report says what was last seen live.
 */
import { isServing, type LiveState } from "../core/deploy/live.js";
import { leaseDecision, microTime, type Lease } from "../core/deploy/lease.js";
import { bakeDecision, plannedRounds, type BakeRound } from "../core/deploy/bake.js";
import { interrupted, liveRecord, nextRevision, prunable } from "../core/deploy/history.js";
import { combineReadiness, deploymentReadiness } from "../core/deploy/readiness.js";
import { checkRouting } from "../core/deploy/routing.js";
import { deployment, sharedObjects } from "../core/deploy/manifests.js";
import { APPS, LABEL, names, otherColour, type App, type Colour } from "../core/deploy/names.js";
import { compileHealthChecks } from "../core/config/environments.js";
import { defaultRunOptions, runChecks, type Probe } from "../core/checks/run.js";
import { runSmoke, smokeAgentName } from "../core/smoke/suite.js";
import { closedRecord, deployReport, type ReportParts } from "../core/deploy/report.js";
import { HelloCiError, isInputError, Unreachable } from "../errors.js";
import { KubeConflict, type KubeObject } from "../kube/client.js";
import type { KubernetesDeploy } from "../schemas/deploy.js";
import { RECORD_SCHEMA, type DeployRecord } from "../schemas/deploy-record.js";
import type { DeployReport, LiveSummary, RunResult } from "../schemas/deploy-report.js";
import { backupObject, refs, type EnvironmentCluster } from "./cluster.js";
import { notifyAbout } from "./notify.js";
import type { RunDeps } from "./run-deps.js";
import { errorLine, StepFailed, Steps } from "./steps.js";
import { pollUntil } from "./wait.js";

/** Everything the engine needs from outside: the common run deps plus the cluster and where the preview answers. */
export interface EngineDeps extends RunDeps {
  cluster: EnvironmentCluster;
  config: KubernetesDeploy;
  /** Where the preview frontend answers, and the probe that reaches it. */
  preview: { baseUrl: string; probe: Probe };
  /** How long the lock lasts without renewal (renewed every third of it). */
  lockDurationMs: number;
  /** How often waits poll the cluster. */
  pollMs: number;
}

export interface Images {
  backend: string;
  frontend: string;
}

/** What a run is bringing live, filled in as it learns it (the recovery and the report read it). */
export interface Plan {
  /** The colour the run brings up (and switches to). */
  idle: Colour;
  /** The colour live when the run started: what a failure after the switch flips back to. */
  active?: Colour | undefined;
  base: Pick<DeployReport, "version" | "images"> & Partial<Pick<DeployReport, "colour" | "method">>;
}

/** A run reached a state it cannot recover from by itself. */
class Unrecoverable extends Error {}

export class Run {
  readonly steps: Steps;
  readonly warnings: string[] = [];
  readonly startedAt: Date;
  private readonly startedMs: number;
  live: LiveState | undefined;
  records: DeployRecord[] = [];
  record: DeployRecord | undefined;
  /** The switch began: from now on a failure means flipping back. */
  switched = false;
  /** Something in the cluster was changed by this run (beyond the lock). */
  changed = false;
  private lease: (Lease & KubeObject) | undefined;
  private renewal: NodeJS.Timeout | undefined;
  private lostLock = false;

  constructor(
    readonly deps: EngineDeps,
    readonly kind: "deploy" | "rollback",
  ) {
    this.startedAt = deps.clock.now();
    this.startedMs = deps.clock.monotonicMs();
    this.steps = new Steps(`${kind} ${deps.envName}`, deps.progress, deps.clock);
  }

  get cluster(): EnvironmentCluster {
    return this.deps.cluster;
  }

  get config(): KubernetesDeploy {
    return this.deps.config;
  }

  // ---------------------------------------------------------------------------------------------------------- lock

  /** Take the environment's Lease, or fail naming who holds it (exit 3). */
  async lock(): Promise<void> {
    await this.steps.run("lock", async () => {
      const { kube } = this.cluster;
      const ref = refs.lease(this.cluster.namespace);
      const now = this.deps.clock.now();
      const current = await kube.get<Lease & KubeObject>(ref);
      const decision = leaseDecision(current, this.deps.identity, now);
      if (decision.kind === "held") {
        const since = decision.since ? ` since ${decision.since}` : "";
        throw new LockHeld(`${this.deps.envName} is being changed by ${decision.holder}${since}; its lock expires at ${decision.expiresAt} unless renewed`);
      }
      const spec = { holderIdentity: this.deps.identity, leaseDurationSeconds: Math.ceil(this.deps.lockDurationMs / 1000), acquireTime: microTime(now), renewTime: microTime(now) };
      const body = { apiVersion: "coordination.k8s.io/v1", kind: "Lease", metadata: { name: ref.name, namespace: ref.namespace, labels: { [LABEL.partOf]: "helloagents" } }, spec };
      try {
        this.lease = current
          ? await kube.replace<Lease & KubeObject>({ ...body, metadata: { ...body.metadata, resourceVersion: current.metadata.resourceVersion } })
          : await kube.create<Lease & KubeObject>(body);
      } catch (error) {
        if (error instanceof KubeConflict) throw new LockHeld(`${this.deps.envName}: another run took the lock at the same moment; try again`);
        throw error;
      }
      this.renewal = setInterval(() => void this.renew(), Math.max(1000, Math.floor(this.deps.lockDurationMs / 3)));
      this.renewal.unref();
      return decision.kind === "stale" ? `took over the stale lock of ${decision.holder} (last renewed ${decision.renewedAt ?? "never"})` : `held by ${this.deps.identity}`;
    });
  }

  private async renew(): Promise<void> {
    if (!this.lease) return;
    try {
      const spec = { ...this.lease.spec, renewTime: microTime(this.deps.clock.now()) };
      this.lease = await this.cluster.kube.replace<Lease & KubeObject>({ ...this.lease, spec });
    } catch (error) {
      if (error instanceof KubeConflict) this.lostLock = true;
      // Unreachable: the next cluster call of the run reports it.
    }
  }

  /** Stop renewing and give the lock back (only if still ours; nothing to do when the cluster is gone). */
  async unlock(): Promise<void> {
    if (this.renewal) clearInterval(this.renewal);
    if (!this.lease) return;
    try {
      const ref = refs.lease(this.cluster.namespace);
      const current = await this.cluster.kube.get<Lease & KubeObject>(ref);
      if (current?.spec?.holderIdentity === this.deps.identity) await this.cluster.kube.delete(ref);
    } catch {
      this.warnings.push("the lock could not be released; it expires by itself");
    }
  }

  assertLock(): void {
    if (this.lostLock) throw new Unrecoverable("another run took over the lock while this one was running");
  }

  // -------------------------------------------------------------------------------------------- live and history

  /** Read the live state and the history; mark runs that died as interrupted; converge a half-switched state. */
  async readLive(): Promise<LiveState> {
    await this.steps.run("read live state", async () => {
      const [{ state }, { records, unreadable }] = await Promise.all([this.cluster.live(), this.cluster.readRecords()]);
      this.live = state;
      this.records = records;
      for (const bad of unreadable) this.warnings.push(`history record ignored: ${bad}`);
      const live = liveRecord(records);
      const active = state.active ? `${state.active} ${state.colours[state.active].version ?? ""}`.trim() : state.halfSwitched ? "half-switched" : "nothing yet";
      return `live: ${active}${live ? ` (revision ${live.revision})` : ""}; ${records.length} record(s) in the history`;
    });
    const dead = interrupted(this.records, -1);
    if (dead.length > 0) {
      await this.steps.run("mark interrupted runs", async () => {
        for (const r of dead) {
          const finished = { ...r, result: "interrupted" as const, reason: `the run stopped before finishing (found by a later ${this.kind})`, finishedAt: this.deps.clock.now().toISOString() };
          await this.cluster.updateRecord(finished);
          this.records = this.records.map((x) => (x.revision === r.revision ? finished : x));
        }
        return `revision(s) ${dead.map((r) => r.revision).join(", ")} marked interrupted`;
      });
    }
    if (this.live!.halfSwitched) await this.converge();
    return this.live!;
  }

  /** An interrupted switch left the active Services on different colours: put both back on the last known-good one. */
  private async converge(): Promise<void> {
    await this.steps.run("converge a half-switched state", async () => {
      const state = this.live!;
      const good = liveRecord(this.records)?.colour;
      const serving = (c: Colour | undefined): c is Colour => c !== undefined && isServing(state.colours[c]);
      const target = serving(good) ? good : serving(state.services.backend) ? state.services.backend : state.services.frontend;
      if (!target) throw new Unrecoverable("the active Services disagree and no colour is serving");
      this.changed = true;
      await this.cluster.switchTo(target);
      await this.verifyRouting(target, "active");
      this.live = (await this.cluster.live()).state;
      return `backend was on ${state.services.backend ?? "nothing"}, frontend on ${state.services.frontend ?? "nothing"}: both now on ${target}`;
    });
  }

  /** The next revision, its backup, and its `running` record (so a killed run is never lost). */
  async begin(fields: Omit<DeployRecord, "schema" | "revision" | "kind" | "env" | "actor" | "startedAt" | "result" | "reason" | "previous">): Promise<DeployRecord> {
    let record!: DeployRecord;
    await this.steps.run("backup and record", async () => {
      const live = this.live!;
      const { objects } = await this.cluster.live();
      const keys = await this.cluster.secretKeys();
      const backup = JSON.stringify({ takenAt: this.deps.clock.now().toISOString(), objects: objects.map(backupObject), runtimeSecretKeys: keys ?? [] }, null, 2);
      const previousRecord = liveRecord(this.records);
      record = {
        schema: RECORD_SCHEMA,
        revision: nextRevision(this.records),
        kind: this.kind,
        env: this.deps.envName,
        actor: this.deps.actor,
        startedAt: this.startedAt.toISOString(),
        result: "running",
        reason: "running",
        ...fields,
        ...(live.active
          ? { previous: { colour: live.active, ...(previousRecord ? { revision: previousRecord.revision } : {}), ...(live.colours[live.active].version ? { version: live.colours[live.active].version } : {}) } }
          : {}),
      };
      await this.cluster.createRecord(record, backup);
      this.record = record;
      return `revision ${record.revision}; backup of ${objects.length} live object(s)`;
    });
    return record;
  }

  // ------------------------------------------------------------------------------------------------ the colours

  /** Wait until both apps of `colour` are ready, failing fast on a pod that will not recover. */
  async waitReady(colour: Colour): Promise<string> {
    const outcome = await pollUntil(
      this.deps.clock,
      this.config.strategy.progressDeadline,
      this.deps.pollMs,
      async () => {
        const all = await Promise.all(
          APPS.map(async (app) => {
            const [deployment, pods] = await Promise.all([this.cluster.kube.get(refs.deployment(this.cluster.namespace, app, colour)), this.cluster.pods(app, colour)]);
            return deploymentReadiness(deployment, pods);
          }),
        );
        const r = combineReadiness(all);
        if (r.state === "failed") throw new StepFailed("wait for ready", r.detail);
        return r.state === "ready" ? { done: true as const, value: r.detail } : { done: false as const, detail: r.detail };
      },
      (detail) => this.steps.note(`waiting: ${detail}`),
    );
    if (!outcome.done) throw new StepFailed("wait for ready", `not ready within the progress deadline (${this.config.strategy.progressDeadline / 1000}s): ${outcome.detail}`);
    return outcome.value;
  }

  /** The Services of `role` route exactly to `colour`'s ready pods (checked on their EndpointSlices). */
  async verifyRouting(colour: Colour, role: "active" | "preview"): Promise<string> {
    const outcome = await pollUntil(this.deps.clock, 30_000, Math.min(this.deps.pollMs, 500), async () => {
      const checks = await Promise.all(
        APPS.map(async (app) => {
          const service = role === "active" ? names.activeService(app) : names.previewService(app);
          const [slices, pods, others] = await Promise.all([this.cluster.endpointSlices(service), this.cluster.pods(app, colour), this.cluster.pods(app, otherColour(colour))]);
          return checkRouting(service, slices, pods, others);
        }),
      );
      const bad = checks.filter((c) => !c.ok);
      return bad.length === 0 ? { done: true as const, value: checks.map((c) => c.detail).join("; ") } : { done: false as const, detail: bad.map((c) => c.detail).join("; ") };
    });
    if (!outcome.done) throw new StepFailed(`verify ${role} routing`, outcome.detail);
    return outcome.value;
  }

  /** The read-only smoke suite against the preview Services. */
  async smokePreview(): Promise<string> {
    const { preview, clock } = this.deps;
    const { report } = await runSmoke(
      { baseUrl: preview.baseUrl, write: false, keep: false, agentName: smokeAgentName(clock.now(), "preview"), budgetMs: 2000 },
      preview.probe,
      clock,
      { ...defaultRunOptions, deadlineMs: 60_000 },
    );
    if (report.verdict === "fail" || report.verdict === "unreachable") {
      const failing = report.checks.filter((c) => c.verdict === "fail" || c.verdict === "unreachable").map((c) => `${c.name} (${c.verdict})`);
      throw new StepFailed("smoke the preview", `${report.verdict}: ${failing.join(", ")}`);
    }
    return `${report.verdict}: ${report.checks.length} checks against the preview`;
  }

  /** Point both active Services at `colour` and verify the routing; from here a failure flips back. */
  async switchTo(colour: Colour): Promise<string> {
    this.assertLock();
    this.switched = true;
    this.changed = true;
    await this.cluster.switchTo(colour);
    // What a report says was last seen live if the cluster is gone by the end.
    if (this.live) this.live = { ...this.live, active: colour, services: { backend: colour, frontend: colour }, halfSwitched: false };
    if (this.record) this.record = { ...this.record, switchedAt: this.deps.clock.now().toISOString() };
    return this.verifyRouting(colour, "active");
  }

  /** Health rounds over the public URLs for the bake time; a high error rate fails the step. */
  async bake(colour: Colour): Promise<string> {
    const { strategy } = this.config;
    const planned = plannedRounds(strategy.bakeTime, strategy.probeInterval);
    const rounds: BakeRound[] = [];
    const checks = compileHealthChecks(this.deps.env, { samples: 1 });
    for (;;) {
      const [health, ready] = await Promise.all([
        runChecks(checks, this.deps.http, this.deps.clock, { ...defaultRunOptions, retries: 0, deadlineMs: Math.max(strategy.probeInterval, 5000) }),
        this.colourReadiness(colour),
      ]);
      const failing = health.checks.filter((c) => c.verdict === "fail" || c.verdict === "unreachable").map((c) => `${c.name} ${c.verdict}`);
      const ok = failing.length === 0 && ready.state === "ready";
      const detail = !ok ? [...failing, ...(ready.state !== "ready" ? [ready.detail] : [])].join(", ") : `${health.checks.length} checks passed`;
      rounds.push({ at: this.deps.clock.now().toISOString(), ok, detail });
      this.steps.note(`bake round ${rounds.length}/${planned}: ${ok ? "ok" : "FAILED"}: ${detail}`);
      const decision = bakeDecision(rounds, planned, strategy.maxFailureRatio);
      if (decision.state === "failed") throw new StepFailed("bake", decision.detail);
      if (decision.state === "passed") return decision.detail;
      await this.deps.clock.sleep(strategy.probeInterval);
    }
  }

  private async colourReadiness(colour: Colour) {
    const all = await Promise.all(
      APPS.map(async (app: App) => {
        const [deployment, pods] = await Promise.all([this.cluster.kube.get(refs.deployment(this.cluster.namespace, app, colour)), this.cluster.pods(app, colour)]);
        return deploymentReadiness(deployment, pods);
      }),
    );
    return combineReadiness(all);
  }

  /** Keep the old colour for the scale-down delay (a rollback is then a flip), or scale it down now with no delay. */
  async keepOldColour(old: Colour | undefined): Promise<void> {
    if (!old || !this.live?.colours[old].exists) {
      this.steps.skip("keep the old colour", "no old colour (first deploy)");
      return;
    }
    await this.steps.run("keep the old colour", async () => {
      const delay = this.config.strategy.scaleDownDelay;
      if (delay === 0) {
        await this.cluster.scale(old, { backend: 0, frontend: 0 });
        return `${old} scaled to zero (scaleDownDelay is 0)`;
      }
      const after = new Date(this.deps.clock.now().getTime() + delay).toISOString();
      await this.cluster.markScaleDown(old, after);
      return `${old} keeps running until ${after}: a rollback until then is a selector flip (hello-ci scale-down --env ${this.deps.envName} after that)`;
    });
  }

  // ------------------------------------------------------------------------------------------------ recovery

  /**
   * After a failure: undo what the run did, as far as it can. Returns the result and reason to report.
   * `attempted` is the colour the run brought up; `fallback` the colour that was live before.
   */
  async recover(error: unknown, attempted: Colour, fallback: Colour | undefined): Promise<{ result: RunResult; reason: string }> {
    const why = errorLine(error);
    if (error instanceof LockHeld) return { result: "unreachable", reason: error.message };
    // Unreachable or refused (403): the infrastructure said no. Before the switch the live colour is untouched: exit 3.
    if (error instanceof Unreachable && !this.switched) {
      if (this.changed) await this.tryScaleDown(attempted);
      return { result: "unreachable", reason: `${why}; nothing was switched: ${this.liveWords()} still serves` };
    }
    if (error instanceof Unrecoverable) return { result: "failed", reason: why };
    if (!this.switched) {
      if (this.changed) {
        try {
          await this.steps.run("scale the new colour down", async () => {
            await this.cluster.scale(attempted, { backend: 0, frontend: 0 });
            return `${attempted} scaled to zero; ${this.liveWords()} was never touched`;
          });
        } catch (cleanup) {
          this.warnings.push(`could not scale ${attempted} down: ${cleanup instanceof Error ? cleanup.message : String(cleanup)}`);
        }
      }
      return { result: "rejected", reason: `${why}; not switched, ${this.liveWords()} still serves` };
    }
    if (!fallback || !this.live?.colours[fallback].exists) {
      return { result: "failed", reason: `${why}; there is no old colour to flip back to, so ${attempted} stays live: look at it now` };
    }
    try {
      await this.steps.run("flip back", async () => {
        await this.cluster.switchTo(fallback);
        const routing = await this.verifyRouting(fallback, "active");
        if (this.record) this.record = { ...this.record, restoredAt: this.deps.clock.now().toISOString() };
        return `active Services back on ${fallback}: ${routing}`;
      });
    } catch (flipError) {
      const detail = errorLine(flipError);
      return { result: "failed", reason: `${why}; flipping back to ${fallback} failed (${detail}): the active Services may point at ${attempted}` };
    }
    await this.tryScaleDown(attempted);
    return { result: "rolled-back", reason: `${why}; flipped back to ${fallback} and verified` };
  }

  private async tryScaleDown(colour: Colour): Promise<void> {
    try {
      await this.cluster.scale(colour, { backend: 0, frontend: 0 });
    } catch (error) {
      this.warnings.push(`could not scale ${colour} down: ${errorLine(error)}`);
    }
  }

  private liveWords(): string {
    const active = this.live?.active;
    if (!active) return "nothing (no colour was live)";
    return `${active} ${this.live!.colours[active].version ?? ""}`.trim();
  }

  /**
   * Run `body` with recovery: invalid input is rethrown (exit 2, nothing changed), any other failure is recovered as the
   * rules above say and reported; the lock is released in every case.
   */
  async execute(plan: Plan, body: (plan: Plan) => Promise<DeployReport>): Promise<DeployReport> {
    try {
      return await body(plan);
    } catch (error) {
      if (isInputError(error)) throw error;
      const { result, reason } = await this.recover(error, plan.idle, plan.active);
      return await this.finish(result, reason, { ...plan.base, colour: plan.idle });
    } finally {
      await this.unlock();
    }
  }

  /** Apply a colour's Deployments (these images) and the objects both colours share; the preview selects this colour. */
  async applyColour(colour: Colour, version: string, images: Images): Promise<string> {
    this.changed = true;
    const input = { env: this.deps.envName, version, images, colour, revision: this.record!.revision };
    const objects = [...sharedObjects(this.config, colour), ...APPS.map((app) => deployment(this.config, input, app))];
    for (const object of objects) await this.cluster.kube.apply(object as KubeObject);
    // The colour is new again: it is no longer the old colour waiting to be scaled down.
    await this.cluster.markScaleDown(colour, undefined);
    return `${objects.length} objects applied; ${colour} runs ${version}`;
  }

  /** The colour is up: wait for it, prove its preview routing and smoke it. */
  async prove(colour: Colour): Promise<void> {
    await this.steps.run("wait for ready", () => this.waitReady(colour));
    await this.steps.run("verify preview routing", () => this.verifyRouting(colour, "preview"));
    await this.steps.run("smoke the preview", () => this.smokePreview());
  }

  /** Switch to the colour, bake it, keep the old one for a flip rollback. */
  async goLive(plan: Plan): Promise<void> {
    await this.steps.run("switch", async () => `active Services on ${plan.idle}: ${await this.switchTo(plan.idle)}`);
    await this.steps.run("bake", () => this.bake(plan.idle));
    await this.keepOldColour(plan.active);
  }

  // -------------------------------------------------------------------------------------------------- the end

  /** Write the final record, prune the history, read back what is live, notify, and build the report. */
  async finish(result: RunResult, reason: string, base: ReportParts["base"]): Promise<DeployReport> {
    const finishedAt = this.deps.clock.now();
    const durationMs = Math.round(this.deps.clock.monotonicMs() - this.startedMs);
    if (this.record) {
      this.record = closedRecord(this.record, result, reason, finishedAt, durationMs);
      try {
        await this.cluster.updateRecord(this.record);
        this.records = [...this.records.filter((r) => r.revision !== this.record!.revision), this.record];
        for (const old of prunable(this.records, this.config.strategy.historyLimit)) await this.cluster.deleteRecord(old.revision);
      } catch (error) {
        this.warnings.push(`the history record could not be written: ${errorLine(error)}`);
      }
    }
    const live = await this.liveSummary();
    const { kind, warnings, startedAt } = this;
    const report = deployReport({ kind, env: this.deps.envName, record: this.record, base, result, reason, live, steps: this.steps.results, startedAt, finishedAt, durationMs, warnings });
    return notifyAbout(report, this.deps.notify?.bind(this.deps));
  }

  /** What is live at the end, read back from the cluster (or the last state seen, marked unconfirmed). */
  private async liveSummary(): Promise<LiveSummary> {
    let state = this.live;
    let confirmed = false;
    try {
      state = (await this.cluster.live()).state;
      confirmed = true;
    } catch {
      // the cluster is gone: report the last state seen
    }
    const live = liveRecord(this.records);
    const colour = state?.active;
    return {
      ...(colour ? { colour, ...(state!.colours[colour].version ? { version: state!.colours[colour].version } : {}), images: state!.colours[colour].images } : {}),
      ...(live && colour === live.colour ? { revision: live.revision } : {}),
      halfSwitched: state?.halfSwitched ?? false,
      confirmed,
    };
  }
}

/** The lock is held by another run (exit 3, nothing changed). */
export class LockHeld extends HelloCiError {
  readonly exitCode = 3 as const;
}
