/**
 * What an ECS deploy and an ECS rollback share, step by step (each one progress line and one row of the report):
 *   lock → read live state → backup and record → register task definition → update service (BLUE_GREEN, bake time,
 *   PAUSE hook at POST_TEST_TRAFFIC_SHIFT, alarms) → wait for test traffic (follow the service deployment until the
 *   hook waits) → smoke the test listener → continue (ContinueServiceDeployment) → production traffic and bake
 *   (ECS shifts and bakes; this run probes the public health checks meanwhile) → record, notify, report.
 *
 * Recovery, in the words of docs/deploy.md: before the update nothing changed (`rejected` 1, or `unreachable` 3);
 * before CONTINUE the hook is answered ROLLBACK (or the deployment stopped with a rollback) and production traffic
 * never moved (`rejected` 1); after CONTINUE ECS rolls back by itself on a failure or an alarm, or this run asks it to
 * on a high error rate (`rolled-back` 1, with ECS's reason); a rollback that fails or cannot be followed is `failed` 4.
 */
import type { ServiceDeployment, Service, TaskDefinition } from "@aws-sdk/client-ecs";
import { bakeDecision, plannedRounds, type BakeRound } from "../core/deploy/bake.js";
import { blueGreenConfiguration, BUSY_STATUSES, busyDeployments, followDecision, HOOK_STAGE, isBaking, ourDeployment, progressWords, reachedProduction, settleDeadRun, type FollowDecision } from "../core/deploy/ecs-deployment.js";
import { lockDecision, lockTagValue } from "../core/deploy/ecs-lock.js";
import { allowedDifferences, containerOf, diff, imagesOf, nextRevision, tagValue, TAG, unexpectedDifferences, type RevisionInput } from "../core/deploy/ecs-task-definition.js";
import { APPS } from "../core/deploy/names.js";
import { interrupted, liveRecord, nextRevision as nextHistoryRevision, prunable } from "../core/deploy/history.js";
import { closedRecord, deployReport, type ReportParts } from "../core/deploy/report.js";
import { compileHealthChecks } from "../core/config/environments.js";
import { defaultRunOptions, runChecks, type Probe } from "../core/checks/run.js";
import { runSmoke, smokeAgentName } from "../core/smoke/suite.js";
import { HelloCiError, Unreachable, UsageError } from "../errors.js";
import type { EcsDeploy } from "../schemas/deploy.js";
import { RECORD_SCHEMA, type DeployRecord } from "../schemas/deploy-record.js";
import type { DeployReport, LiveSummary, RunResult } from "../schemas/deploy-report.js";
import { notifyAbout } from "../deploy/notify.js";
import { errorLine, StepFailed, Steps } from "../deploy/steps.js";
import { pollUntil } from "../deploy/wait.js";
import type { RunDeps } from "../deploy/run-deps.js";
import { AwsNotFound, AwsRejected, type EcsApi } from "./aws.js";
import { EcsHistory } from "./history.js";

export interface EcsEngineDeps extends RunDeps {
  api: EcsApi;
  config: EcsDeploy;
  /** Where the test listener answers, and the probe that reaches it. */
  testListener: { baseUrl: string; probe: Probe };
}

/** A run's report, and the backup of what was live before it (the --backup file). */
export interface EcsOutcome {
  report: DeployReport;
  backup: string;
}

export interface Images {
  backend: string;
  frontend: string;
}

/** The lock is held by another run, or a service deployment is in progress (exit 3, nothing changed). */
export class EcsLockHeld extends HelloCiError {
  readonly exitCode = 3 as const;
}

/** ECS rolled the deployment back by itself (a failure or an alarm), or after this run asked it to. */
class EcsRolledBack extends Error {
  constructor(
    readonly step: string,
    readonly reason: string,
    readonly afterProduction: boolean,
  ) {
    super(`${step}: ${reason}`);
  }
}

/** A state the run cannot recover from by itself: a person must look (exit 4). */
class Unrecoverable extends Error {}

const family = (arn: string | undefined) => arn?.split("/").pop() ?? "none";

export class EcsRun {
  readonly steps: Steps;
  readonly warnings: string[] = [];
  readonly startedAt: Date;
  readonly history: EcsHistory;
  private readonly startedMs: number;
  service: Service | undefined;
  live: { taskDefinition: TaskDefinition; version?: string } | undefined;
  records: DeployRecord[] = [];
  record: DeployRecord | undefined;
  /** The service was updated: from now on ECS runs a deployment of this run. */
  updated = false;
  /** CONTINUE was sent: production traffic moves (a failure from here is a rollback of live traffic). */
  continued = false;
  deployment: ServiceDeployment | undefined;
  hook: { id: string; expiresAt?: Date } | undefined;
  /** When CONTINUE was sent. */
  continuedAt: string | undefined;
  private sawProduction = false;
  private renewal: NodeJS.Timeout | undefined;
  private locked = false;

  constructor(
    readonly deps: EcsEngineDeps,
    readonly kind: "deploy" | "rollback",
  ) {
    this.startedAt = deps.clock.now();
    this.startedMs = deps.clock.monotonicMs();
    this.steps = new Steps(`${kind} ${deps.envName}`, deps.progress, deps.clock);
    this.history = new EcsHistory(deps.api, deps.config, deps.envName);
  }

  get api(): EcsApi {
    return this.deps.api;
  }

  get config(): EcsDeploy {
    return this.deps.config;
  }

  private get strategy() {
    return this.config.strategy;
  }

  // ---------------------------------------------------------------------------------------------------------- lock

  /** Refuse while a service deployment is in progress or another run holds the lock tag; then take the tag. */
  async lock(): Promise<void> {
    await this.steps.run("lock", async () => {
      const { cluster, service: name, region } = this.config;
      let service: Service;
      try {
        service = await this.api.service();
      } catch (error) {
        if (error instanceof AwsNotFound) throw new UsageError(`${this.deps.envName}: ${error.message}`, { suggestion: "create the service with the blue/green load balancer set-up first (docs/deploy.md, ECS)" });
        throw error;
      }
      const controller = service.deploymentController?.type ?? "ECS";
      if (controller !== "ECS") {
        throw new UsageError(`${this.deps.envName}: service ${name} uses the ${controller} deployment controller; ECS native blue/green needs the ECS controller`, { suggestion: "see docs/deploy.md, ECS" });
      }
      this.service = service;
      const busy = busyDeployments(await this.api.deployments(BUSY_STATUSES));
      if (busy.length > 0) {
        const d = busy[0]!;
        throw new EcsLockHeld(`${this.deps.envName}: ECS service deployment ${d.serviceDeploymentArn} is ${d.status} at ${d.lifecycleStage ?? "no stage"} since ${d.createdAt?.toISOString() ?? "an unknown time"}; wait for it to finish (hello-ci status --env ${this.deps.envName})`);
      }
      const now = this.deps.clock.now();
      const arn = service.serviceArn!;
      const decision = lockDecision(await this.api.tags(arn), this.deps.identity, now);
      if (decision.kind === "held") throw new EcsLockHeld(`${this.deps.envName} is being changed by ${decision.holder}; its lock expires at ${decision.expiresAt} unless renewed`);
      await this.writeLock();
      const check = lockDecision(await this.api.tags(arn), this.deps.identity, this.deps.clock.now());
      if (check.kind !== "ours") throw new EcsLockHeld(`${this.deps.envName}: another run took the lock at the same moment; try again`);
      this.locked = true;
      this.renewal = setInterval(() => void this.writeLock().catch(() => undefined), Math.max(1000, Math.floor(this.strategy.lockDuration / 3)));
      this.renewal.unref();
      const stale = decision.kind === "stale" ? `took over the stale lock of ${decision.holder} (expired ${decision.expiredAt}); ` : "";
      return `${stale}held by ${this.deps.identity} on service ${name} in cluster ${cluster} (${region}); no service deployment in progress`;
    });
  }

  private async writeLock(): Promise<void> {
    const until = new Date(this.deps.clock.now().getTime() + this.strategy.lockDuration);
    await this.api.tag(this.service!.serviceArn!, [{ key: TAG.lock, value: lockTagValue(this.deps.identity, until) }]);
  }

  /** Stop renewing and remove the lock tag if it is still ours. */
  async unlock(): Promise<void> {
    if (this.renewal) clearInterval(this.renewal);
    if (!this.locked || !this.service?.serviceArn) return;
    try {
      const decision = lockDecision(await this.api.tags(this.service.serviceArn), this.deps.identity, this.deps.clock.now());
      if (decision.kind === "ours") await this.api.untag(this.service.serviceArn, [TAG.lock]);
    } catch {
      this.warnings.push("the lock tag could not be removed; it expires by itself");
    }
  }

  // -------------------------------------------------------------------------------------------- live and history

  async readLive(): Promise<void> {
    await this.steps.run("read live state", async () => {
      const arn = this.service!.taskDefinition;
      if (!arn) throw new UsageError(`${this.deps.envName}: service ${this.config.service} has no task definition`);
      const [{ taskDefinition, tags }, { records, unreadable }] = await Promise.all([this.api.taskDefinition(arn), this.history.read()]);
      if (taskDefinition.family !== this.config.taskDefinitionFamily) {
        throw new UsageError(`${this.deps.envName}: service ${this.config.service} runs task-definition family ${taskDefinition.family}, the configuration says ${this.config.taskDefinitionFamily}`, {
          suggestion: "set deploy.taskDefinitionFamily to the service's family",
        });
      }
      const missing = APPS.filter((app) => !containerOf(taskDefinition, this.config, app));
      if (missing.length > 0) {
        const names = (taskDefinition.containerDefinitions ?? []).map((c) => c.name).join(", ") || "none";
        throw new UsageError(`${this.deps.envName}: ${family(arn)} has no container named ${missing.map((app) => `${JSON.stringify(this.config.containers[app].name)} (the ${app})`).join(" or ")}; it has ${names}`, {
          suggestion: "set deploy.containers.<app>.name to the container names of the service's task definition",
        });
      }
      this.records = records;
      for (const bad of unreadable) this.warnings.push(`history record ignored: ${bad}`);
      const version = tagValue(tags, TAG.version) ?? records.find((r) => r.taskDefinition === arn)?.version;
      this.live = { taskDefinition, ...(version ? { version } : {}) };
      const record = liveRecord(records);
      return `live: ${family(arn)}${version ? ` (${version})` : ""}${record ? `, revision ${record.revision}` : ""}; ${this.service!.runningCount ?? 0}/${this.service!.desiredCount ?? 0} tasks running; ${records.length} record(s) in the history (${this.history.path})`;
    });
    const dead = interrupted(this.records, -1);
    if (dead.length > 0) {
      await this.steps.run("settle dead runs", async () => {
        const settled: string[] = [];
        for (const r of dead) {
          const deployment = r.serviceDeployment ? await this.api.deployment(r.serviceDeployment).catch((error: unknown) => (error instanceof AwsNotFound ? undefined : Promise.reject(error))) : undefined;
          const finished = settleDeadRun(r, deployment, this.deps.clock.now().toISOString(), this.kind);
          await this.history.write(finished);
          this.records = this.records.map((x) => (x.revision === r.revision ? finished : x));
          settled.push(`${r.revision} ${finished.result}`);
        }
        return `a run died before finishing: revision ${settled.join(", ")} (what ECS made of its deployment)`;
      });
    }
  }

  /** The next revision's `running` record, and the backup of what is live (the service and its task definition). */
  async begin(fields: Pick<DeployRecord, "version" | "images"> & Partial<Pick<DeployRecord, "commit" | "rollbackTo" | "method">>): Promise<DeployRecord> {
    let record!: DeployRecord;
    await this.steps.run("backup and record", async () => {
      const live = this.live!;
      const previous = liveRecord(this.records);
      record = {
        schema: RECORD_SCHEMA,
        revision: nextHistoryRevision(this.records),
        kind: this.kind,
        env: this.deps.envName,
        actor: this.deps.actor,
        startedAt: this.startedAt.toISOString(),
        result: "running",
        reason: "running",
        ...fields,
        previous: { taskDefinition: live.taskDefinition.taskDefinitionArn!, ...(previous ? { revision: previous.revision } : {}), ...(live.version ? { version: live.version } : {}) },
      };
      await this.history.write(record);
      this.record = record;
      return `revision ${record.revision} recorded in ${this.history.path}; backup of service ${this.config.service} and ${family(live.taskDefinition.taskDefinitionArn)}`;
    });
    return record;
  }

  /** What was live before the change, as JSON (the --backup file): task definitions are immutable, so this restores it. */
  backup(): string {
    const s = this.service;
    return `${JSON.stringify(
      {
        takenAt: this.startedAt.toISOString(),
        service: s ? { serviceArn: s.serviceArn, clusterArn: s.clusterArn, taskDefinition: s.taskDefinition, desiredCount: s.desiredCount, deploymentConfiguration: s.deploymentConfiguration, loadBalancers: s.loadBalancers } : undefined,
        taskDefinition: this.live?.taskDefinition,
      },
      null,
      2,
    )}\n`;
  }

  private async saveRecord(patch: Partial<DeployRecord>): Promise<void> {
    if (!this.record) return;
    this.record = { ...this.record, ...patch };
    await this.history.write(this.record);
  }

  // ------------------------------------------------------------------------------------------ the new revision

  /** Register the live revision with the new images; prove it differs in nothing else. */
  async register(input: Omit<RevisionInput, "env" | "revision">): Promise<string> {
    let arn = "";
    await this.steps.run("register task definition", async () => {
      const live = this.live!.taskDefinition;
      const request = nextRevision(live, this.config, { ...input, env: this.deps.envName, revision: this.record!.revision });
      const unexpected = unexpectedDifferences(live, request, this.config);
      if (unexpected.length > 0) throw new Error(`the new revision would differ from the live one in ${unexpected.join(", ")} (a bug in hello-ci)`);
      const registered = await this.api.register(request);
      arn = registered.taskDefinitionArn!;
      const changed = diff(live, registered);
      const allowed = allowedDifferences(this.config);
      const odd = changed.filter((p) => !allowed(p));
      if (odd.length > 0) this.warnings.push(`ECS registered ${family(arn)} with more differences than asked for: ${odd.join(", ")}`);
      await this.saveRecord({ taskDefinition: arn });
      return `${family(arn)} registered; differs from ${family(live.taskDefinitionArn)} only in ${changed.filter(allowed).join(", ") || "nothing (the same images)"}`;
    });
    return arn;
  }

  /** Use an existing revision as it is (a rollback to a revision ECS still has). */
  async reuse(arn: string, why: string): Promise<void> {
    this.steps.skip("register task definition", `${family(arn)} is still active: ${why}`);
    await this.saveRecord({ taskDefinition: arn });
  }

  /** Update the service to the revision with the blue/green configuration; then find the service deployment. */
  async update(arn: string): Promise<void> {
    await this.steps.run("update service", async () => {
      const configuration = blueGreenConfiguration(this.service!.deploymentConfiguration, this.strategy, this.config.alarms);
      const before = new Date(this.deps.clock.now().getTime() - 1000);
      try {
        await this.api.updateService(arn, configuration);
      } catch (error) {
        // Refused by ECS: nothing changed. Anything else (no answer): the update may have been applied.
        if (!(error instanceof AwsRejected || error instanceof AwsNotFound)) this.updated = true;
        throw error;
      }
      this.updated = true;
      const found = await pollUntil(this.deps.clock, 60_000, Math.min(this.strategy.pollInterval, 2000), async () => {
        const mine = ourDeployment(await this.api.deployments([], before), before);
        return mine?.serviceDeploymentArn ? { done: true as const, value: mine } : { done: false as const, detail: "no service deployment yet" };
      });
      if (!found.done) throw new Unrecoverable(`ECS started no service deployment within 60s after the update to ${family(arn)}: look at the service's deployments`);
      this.deployment = found.value;
      await this.saveRecord({ serviceDeployment: found.value.serviceDeploymentArn! });
      const alarms = this.config.alarms.length > 0 ? `; alarms ${this.config.alarms.join(", ")} roll back` : "";
      return `${family(arn)} with BLUE_GREEN, bake ${configuration.bakeTimeInMinutes} min, a pause hook at ${HOOK_STAGE} (ECS rolls back after ${this.strategy.hookTimeout / 60_000} min without an answer)${alarms}; deployment ${found.value.serviceDeploymentArn}`;
    });
  }

  private async describe(): Promise<ServiceDeployment> {
    const d = await this.api.deployment(this.deployment!.serviceDeploymentArn!);
    this.deployment = d;
    if (reachedProduction(d, this.sawProduction)) this.sawProduction = true;
    return d;
  }

  /** Follow the deployment until the pause hook waits for an answer (within the progress deadline). */
  async waitForTestTraffic(): Promise<"hook" | "live"> {
    let outcome: "hook" | "live" = "hook";
    await this.steps.run("wait for test traffic", async () => {
      const result = await pollUntil<FollowDecision>(
        this.deps.clock,
        this.strategy.progressDeadline,
        this.strategy.pollInterval,
        async () => {
          const decision = followDecision(await this.describe(), this.sawProduction);
          return decision.state === "waiting" ? { done: false as const, detail: decision.detail } : { done: true as const, value: decision };
        },
        (detail) => this.steps.note(`waiting: ${detail}`),
      );
      if (!result.done) throw new StepFailed("wait for test traffic", `the pause hook was not reached within the progress deadline (${this.strategy.progressDeadline / 1000}s): ${result.detail}`);
      const decision = result.value;
      if (decision.state === "rolled-back") throw new EcsRolledBack("wait for test traffic", `ECS rolled back before test traffic: ${decision.reason}`, decision.afterProduction);
      if (decision.state === "broken") throw new Unrecoverable(decision.reason);
      if (decision.state === "live") {
        outcome = "live";
        this.warnings.push(`ECS finished the deployment without pausing at ${HOOK_STAGE}: the test-listener smoke did not gate it`);
        return `ECS finished without pausing (${decision.detail})`;
      }
      if (decision.state !== "hook") throw new Error("unreachable");
      this.hook = { id: decision.hookId, ...(decision.expiresAt ? { expiresAt: decision.expiresAt } : {}) };
      return `the new revision has the test traffic; ${decision.detail}`;
    });
    return outcome;
  }

  /** The read-only smoke suite against the test listener (test traffic goes to the new revision only). */
  async smokeTestListener(): Promise<void> {
    await this.steps.run("smoke the test listener", async () => {
      const { testListener, clock } = this.deps;
      const { report } = await runSmoke(
        { baseUrl: testListener.baseUrl, write: false, keep: false, agentName: smokeAgentName(clock.now(), "preview"), budgetMs: 2000 },
        testListener.probe,
        clock,
        { ...defaultRunOptions, deadlineMs: 60_000 },
      );
      if (report.verdict === "fail" || report.verdict === "unreachable") {
        const failing = report.checks.filter((c) => c.verdict === "fail" || c.verdict === "unreachable").map((c) => `${c.name} (${c.verdict})`);
        throw new StepFailed("smoke the test listener", `${report.verdict}: ${failing.join(", ")}`);
      }
      return `${report.verdict}: ${report.checks.length} checks against the test listener`;
    });
  }

  /** Answer the pause hook with CONTINUE: production traffic shifts next. */
  async continueDeployment(): Promise<void> {
    await this.steps.run("continue", async () => {
      const d = await this.describe();
      const decision = followDecision(d, this.sawProduction);
      if (decision.state !== "hook") {
        if (decision.state === "rolled-back") throw new EcsRolledBack("continue", `ECS rolled back while the test listener was smoked: ${decision.reason}`, decision.afterProduction);
        throw new StepFailed("continue", `the pause hook no longer waits (${decision.state === "waiting" ? decision.detail : decision.state}); the hook may have timed out`);
      }
      await this.api.answerHook(d.serviceDeploymentArn!, decision.hookId, "CONTINUE");
      this.continued = true;
      this.continuedAt = this.deps.clock.now().toISOString();
      return `CONTINUE sent to the pause hook ${decision.hookId}`;
    });
  }

  /** Follow the production traffic shift and ECS's bake, probing the public health checks while ECS bakes. */
  async productionAndBake(): Promise<void> {
    await this.steps.run("production traffic and bake", async () => {
      const { strategy } = this;
      const planned = plannedRounds(strategy.bakeTime, strategy.probeInterval);
      const rounds: BakeRound[] = [];
      const checks = compileHealthChecks(this.deps.env, { samples: 1 });
      const deadline = this.deps.clock.monotonicMs() + strategy.progressDeadline + strategy.bakeTime;
      let nextRound = 0;
      let lastSaid = "";
      for (;;) {
        const d = await this.describe();
        const decision = followDecision(d, this.sawProduction);
        if (decision.state === "live") {
          return `live: ECS finished the deployment (${decision.detail}); ${rounds.length === 0 ? "no health round fell in the bake" : `${rounds.filter((r) => r.ok).length} of ${rounds.length} health rounds passed while ECS baked`}`;
        }
        if (decision.state === "rolled-back") throw new EcsRolledBack("production traffic and bake", `ECS rolled back: ${decision.reason}`, decision.afterProduction);
        if (decision.state === "broken") throw new Unrecoverable(decision.reason);
        if (decision.detail !== lastSaid) {
          this.steps.note(`waiting: ${decision.detail}`);
          lastSaid = decision.detail;
        }
        const now = this.deps.clock.monotonicMs();
        if (isBaking(d) && now >= nextRound) {
          const health = await runChecks(checks, this.deps.http, this.deps.clock, { ...defaultRunOptions, retries: 0, deadlineMs: Math.max(strategy.probeInterval, 5000) });
          const failing = health.checks.filter((c) => c.verdict === "fail" || c.verdict === "unreachable").map((c) => `${c.name} ${c.verdict}`);
          rounds.push({ at: this.deps.clock.now().toISOString(), ok: failing.length === 0, detail: failing.length === 0 ? `${health.checks.length} checks passed` : failing.join(", ") });
          this.steps.note(`bake round ${rounds.length}/${planned}: ${failing.length === 0 ? "ok" : "FAILED"}: ${rounds.at(-1)!.detail}`);
          const bake = bakeDecision(rounds, planned, strategy.maxFailureRatio);
          if (bake.state === "failed") {
            await this.rollBackAndFollow();
            throw new EcsRolledBack("production traffic and bake", `${bake.detail}; ECS rolled back on this run's request`, true);
          }
          nextRound = now + strategy.probeInterval;
        }
        if (this.deps.clock.monotonicMs() > deadline) {
          await this.rollBackAndFollow();
          throw new EcsRolledBack("production traffic and bake", `not live within the progress deadline plus the bake time (${(strategy.progressDeadline + strategy.bakeTime) / 1000}s): ${progressWords(d)}; ECS rolled back on this run's request`, this.sawProduction);
        }
        // While baking, wake for the next health round if it comes before the next poll.
        await this.deps.clock.sleep(isBaking(d) ? Math.min(strategy.pollInterval, Math.max(50, nextRound - now)) : strategy.pollInterval);
      }
    });
  }

  /** Ask ECS to roll back (ROLLBACK to the hook while it waits, else StopServiceDeployment) and follow it to the end. */
  private async rollBackAndFollow(): Promise<string> {
    const current = await this.describe();
    const decision = followDecision(current, this.sawProduction);
    // Already rolling back (ECS's own decision, or a hook that timed out): only follow it.
    const rolling = current.status === "ROLLBACK_REQUESTED" || current.status === "ROLLBACK_IN_PROGRESS";
    if (decision.state === "hook") await this.api.answerHook(current.serviceDeploymentArn!, decision.hookId, "ROLLBACK");
    else if (decision.state === "waiting" && !rolling) await this.api.stopWithRollback(current.serviceDeploymentArn!);
    const result = await pollUntil(this.deps.clock, this.strategy.progressDeadline, this.strategy.pollInterval, async () => {
      const decision = followDecision(await this.describe(), this.sawProduction);
      if (decision.state === "rolled-back") return { done: true as const, value: decision.reason };
      if (decision.state === "broken") throw new Unrecoverable(decision.reason);
      if (decision.state === "live") throw new Unrecoverable("ECS finished the deployment although a rollback was asked for: the new revision is live");
      return { done: false as const, detail: decision.state === "waiting" ? decision.detail : decision.state };
    });
    if (!result.done) throw new Unrecoverable(`the rollback did not finish within the progress deadline: ${result.detail}`);
    return result.value;
  }

  // ------------------------------------------------------------------------------------------------ recovery

  async recover(error: unknown): Promise<{ result: RunResult; reason: string }> {
    const why = errorLine(error);
    if (error instanceof EcsLockHeld) return { result: "unreachable", reason: error.message };
    if (error instanceof Unrecoverable) return { result: "failed", reason: `${why}; look at the service now (hello-ci status --env ${this.deps.envName})` };
    if (!this.updated) {
      if (error instanceof Unreachable) return { result: "unreachable", reason: `${why}; nothing was changed: ${this.liveWords()} still serves` };
      return { result: "rejected", reason: `${why}; nothing was changed: ${this.liveWords()} still serves` };
    }
    if (error instanceof EcsRolledBack) {
      return error.afterProduction
        ? { result: "rolled-back", reason: `${why}; ${this.liveWords()} serves again` }
        : { result: "rejected", reason: `${why}; production traffic never moved: ${this.liveWords()} still serves` };
    }
    if (error instanceof Unreachable) {
      const arn = this.deployment?.serviceDeploymentArn ?? "(not found yet)";
      const after = this.continued
        ? "production traffic may have moved; ECS still rolls back on a failure or an alarm"
        : `ECS rolls it back by itself when the pause hook times out${this.hook?.expiresAt ? ` at ${this.hook.expiresAt.toISOString()}` : ` (${this.strategy.hookTimeout / 60_000} min)`}`;
      return { result: "failed", reason: `${why}; service deployment ${arn} was left running: ${after}` };
    }
    if (!this.deployment) return { result: "failed", reason: `${why}; the service was updated but its deployment was not found: look at it now` };
    // A step failed as designed (smoke, hook deadline, rejected request): ask ECS to roll back and follow it.
    try {
      let ecsWords = "";
      await this.steps.run("roll back", async () => {
        ecsWords = await this.rollBackAndFollow();
        return `ECS rolled back (${ecsWords})`;
      });
      return this.continued
        ? { result: "rolled-back", reason: `${why}; ECS rolled back to ${this.liveWords()} and verified it` }
        : { result: "rejected", reason: `${why}; ROLLBACK sent before production traffic moved: ${this.liveWords()} still serves` };
    } catch (rollbackError) {
      return { result: "failed", reason: `${why}; the rollback did not complete (${errorLine(rollbackError)}): look at the service now` };
    }
  }

  private liveWords(): string {
    const live = this.live;
    if (!live) return "the live revision";
    return `${family(live.taskDefinition.taskDefinitionArn)}${live.version ? ` (${live.version})` : ""}`;
  }

  // -------------------------------------------------------------------------------------------------- the end

  /** Write the final record, prune the history, read back what runs, notify, and build the report. */
  async finish(result: RunResult, reason: string, base: ReportParts["base"]): Promise<DeployReport> {
    const finishedAt = this.deps.clock.now();
    const durationMs = Math.round(this.deps.clock.monotonicMs() - this.startedMs);
    if (this.record) {
      this.record = closedRecord(this.record, result, reason, finishedAt, durationMs);
      // Production traffic starts moving when the hook is answered CONTINUE: that is the switch of the history's metrics.
      if (this.continuedAt && !this.record.switchedAt) this.record.switchedAt = this.continuedAt;
      if (result === "rolled-back") this.record.restoredAt = finishedAt.toISOString();
      try {
        await this.history.write(this.record);
        this.records = [...this.records.filter((r) => r.revision !== this.record!.revision), this.record];
        await this.history.delete(prunable(this.records, this.strategy.historyLimit).map((r) => r.revision));
      } catch (error) {
        this.warnings.push(`the history record could not be written: ${errorLine(error)}`);
      }
    }
    const live = await this.liveSummary();
    const { kind, warnings, startedAt } = this;
    const report = deployReport({ kind, env: this.deps.envName, record: this.record, base, result, reason, live, steps: this.steps.results, startedAt, finishedAt, durationMs, warnings });
    return notifyAbout(report, this.deps.notify?.bind(this.deps));
  }

  /** What runs at the end, read back from ECS (or the last revision seen, unconfirmed). */
  private async liveSummary(): Promise<LiveSummary> {
    try {
      const service = await this.api.service();
      const arn = service.taskDefinition!;
      const { taskDefinition, tags } = await this.api.taskDefinition(arn);
      const record = byTaskDefinition(this.records, arn);
      const version = tagValue(tags, TAG.version) ?? record?.version;
      return { ...(version ? { version } : {}), ...(record ? { revision: record.revision } : {}), images: imagesOf(taskDefinition, this.config), halfSwitched: false, confirmed: true };
    } catch {
      const td = this.live?.taskDefinition;
      return { ...(this.live?.version ? { version: this.live.version } : {}), ...(td ? { images: imagesOf(td, this.config) } : {}), halfSwitched: false, confirmed: false };
    }
  }
}

/** The newest record that went live with this task-definition revision. */
export function byTaskDefinition(records: readonly DeployRecord[], arn: string): DeployRecord | undefined {
  return [...records].sort((a, b) => b.revision - a.revision).find((r) => r.taskDefinition === arn && r.result === "deployed");
}
