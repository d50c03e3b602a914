/**
 * The AWS endpoint the ECS tests point the SDK at (AWS_ENDPOINT_URL), an HTTP server on 127.0.0.1 that:
 *   - forwards every call moto implements (ECS task definitions, services, tags; SSM parameters) to moto as it came,
 *     signed and serialised by the real SDK: moto answers;
 *   - SCRIPTS, in the shape of the documented ECS API (JSON 1.1, epoch-second timestamps), what moto does not
 *     implement: ListServiceDeployments, DescribeServiceDeployments, ContinueServiceDeployment and
 *     StopServiceDeployment. An UpdateService that moto accepted starts a scripted service deployment that moves
 *     through ECS's lifecycle stages one stage per DescribeServiceDeployments, pauses at POST_TEST_TRAFFIC_SHIFT with a
 *     PAUSE hook AWAITING_ACTION, and on ROLLBACK (or an alarm the scenario fires) puts the previous task definition
 *     back on the moto service, as ECS restores the last revision;
 *   - injects the failures a scenario asks for (throttling, expired credentials) before forwarding.
 * Every call is recorded (operation and body) for the tests' assertions.
 */
import { randomBytes } from "node:crypto";
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type Scenario =
  /** Stages to the hook, wait for an answer; CONTINUE: production shift, bake, SUCCESSFUL. */
  | "blue-green"
  /** Never gets past SCALE_UP (the new tasks never become healthy). */
  | "stuck-scaling"
  /** Like blue-green, but a CloudWatch alarm fires during the bake: ECS rolls back by itself. */
  | "alarm-in-bake";

export interface Fault {
  /** Operation name, e.g. DescribeServices, or "*" for any. */
  op: string;
  /** How many matching calls fail. */
  times: number;
  status: number;
  type: string;
  message: string;
}

export interface Call {
  op: string;
  body: Record<string, unknown>;
}

interface SimDeployment {
  arn: string;
  serviceArn: string;
  clusterArn: string;
  cluster: string;
  service: string;
  createdAt: number;
  status: string;
  stage: string;
  sourceTaskDefinition: string;
  targetTaskDefinition: string;
  hookId: string;
  hookStatus?: string;
  hookExpiresAt?: number;
  rollbackReason?: string;
  statusReason?: string;
  triggeredAlarms: string[];
  bakeDescribes: number;
  scenario: Scenario;
  finishedAt?: number;
}

const BEFORE_HOOK = ["PRE_SCALE_UP", "SCALE_UP", "POST_SCALE_UP", "TEST_TRAFFIC_SHIFT", "POST_TEST_TRAFFIC_SHIFT"];
const AFTER_HOOK = ["PRODUCTION_TRAFFIC_SHIFT", "POST_PRODUCTION_TRAFFIC_SHIFT", "BAKE_TIME", "CLEAN_UP"];
const ECS = "AmazonEC2ContainerServiceV20141113.";
const SCRIPTED = new Set(["ListServiceDeployments", "DescribeServiceDeployments", "ContinueServiceDeployment", "StopServiceDeployment"]);

const seconds = (ms: number) => ms / 1000;

export class ScriptedEcs {
  url = "";
  readonly calls: Call[] = [];
  readonly faults: Fault[] = [];
  /** The scenario of the next UpdateService (per test). */
  scenario: Scenario = "blue-green";
  /** How many describes the bake lasts. */
  bakeDescribes = 6;
  readonly deployments: SimDeployment[] = [];
  private server = createServer((req, res) => void this.handle(req, res));

  constructor(private readonly motoUrl: string) {}

  async start(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, "127.0.0.1", () => r()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  stop(): Promise<void> {
    return new Promise((r) => {
      this.server.closeAllConnections();
      this.server.close(() => r());
    });
  }

  /** The calls of one operation, in order. */
  callsOf(op: string): Call[] {
    return this.calls.filter((c) => c.op === op);
  }

  /** A deployment already in progress on a service (another pipeline's). */
  seedInProgress(cluster: string, service: string, account = "123456789012", region = "eu-west-1"): string {
    const d = this.newDeployment({ cluster, service, account, region, source: "arn:aws:ecs:x:1:task-definition/other:1", target: "arn:aws:ecs:x:1:task-definition/other:2", scenario: "blue-green" });
    d.stage = "SCALE_UP";
    return d.arn;
  }

  /** A deployment that already ended (what ECS made of a dead run's deployment). */
  seedFinished(cluster: string, service: string, status: "SUCCESSFUL" | "ROLLBACK_SUCCESSFUL", account = "123456789012", region = "eu-west-1"): string {
    const d = this.newDeployment({ cluster, service, account, region, source: "", target: "arn:aws:ecs:x:1:task-definition/other:2", scenario: "blue-green" });
    d.status = status;
    // A hook that timed out rolls back before production traffic moves.
    d.stage = status === "SUCCESSFUL" ? "CLEAN_UP" : "POST_TEST_TRAFFIC_SHIFT";
    d.finishedAt = Date.now();
    if (status === "ROLLBACK_SUCCESSFUL") d.rollbackReason = "The lifecycle hook timed out.";
    return d.arn;
  }

  private newDeployment({ cluster, service, account, region, source, target, scenario }: { cluster: string; service: string; account: string; region: string; source: string; target: string; scenario: Scenario }): SimDeployment {
    const id = randomBytes(8).toString("hex");
    const d: SimDeployment = {
      arn: `arn:aws:ecs:${region}:${account}:service-deployment/${cluster}/${service}/${id}`,
      serviceArn: `arn:aws:ecs:${region}:${account}:service/${cluster}/${service}`,
      clusterArn: `arn:aws:ecs:${region}:${account}:cluster/${cluster}`,
      cluster,
      service,
      createdAt: Date.now(),
      status: "PENDING",
      stage: "RECONCILE_SERVICE",
      sourceTaskDefinition: source,
      targetTaskDefinition: target,
      hookId: `ecs-pause-${randomBytes(12).toString("hex")}`,
      triggeredAlarms: [],
      bakeDescribes: this.bakeDescribes,
      scenario,
    };
    this.deployments.push(d);
    return d;
  }

  // ---- HTTP ---------------------------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const target = String(req.headers["x-amz-target"] ?? "");
    const op = target.includes(".") ? target.slice(target.lastIndexOf(".") + 1) : target;
    let body: Record<string, unknown> = {};
    try {
      body = raw.length > 0 ? (JSON.parse(raw.toString()) as Record<string, unknown>) : {};
    } catch {
      // not JSON: forwarded as it is
    }
    this.calls.push({ op, body });
    const fault = this.faults.find((f) => f.times > 0 && (f.op === "*" || f.op === op));
    if (fault) {
      fault.times -= 1;
      return this.json(res, fault.status, { __type: fault.type, message: fault.message });
    }
    if (target.startsWith(ECS) && SCRIPTED.has(op)) return this.scripted(op, body, res);
    let before: string | undefined;
    if (target === `${ECS}UpdateService`) before = await this.liveTaskDefinition(req, body);
    const answer = await this.forward(req, raw);
    if (target === `${ECS}UpdateService` && answer.status === 200) {
      const service = (JSON.parse(answer.body.toString()) as { service: { serviceArn: string; taskDefinition: string } }).service;
      const [, region, account] = /^arn:aws:ecs:([^:]+):(\d+):/.exec(service.serviceArn)!;
      this.newDeployment({ cluster: String(body.cluster), service: String(body.service).split("/").pop()!, account: account!, region: region!, source: before ?? "", target: service.taskDefinition, scenario: this.scenario });
    }
    res.writeHead(answer.status, answer.headers).end(answer.body);
  }

  private json(res: ServerResponse, status: number, value: unknown): void {
    const text = JSON.stringify(value);
    res.writeHead(status, { "content-type": "application/x-amz-json-1.1", "content-length": Buffer.byteLength(text), "x-amzn-requestid": randomBytes(8).toString("hex") }).end(text);
  }

  private forward(req: IncomingMessage, body: Buffer, path = req.url ?? "/"): Promise<{ status: number; headers: Record<string, string | string[]>; body: Buffer }> {
    const to = new URL(this.motoUrl);
    return new Promise((resolve, reject) => {
      const headers = { ...req.headers, host: to.host, "content-length": String(body.length) };
      const up = httpRequest({ host: to.hostname, port: to.port, method: req.method, path, headers }, (answer) => {
        const chunks: Buffer[] = [];
        answer.on("data", (c: Buffer) => chunks.push(c));
        answer.on("end", () => resolve({ status: answer.statusCode ?? 502, headers: answer.headers as Record<string, string | string[]>, body: Buffer.concat(chunks) }));
      });
      up.on("error", reject);
      up.end(body);
    });
  }

  /** Call moto directly (a scripted ECS action changing the service, as ECS itself would). */
  private async moto(req: Pick<IncomingMessage, "headers">, op: string, body: unknown): Promise<Record<string, unknown>> {
    const headers = { authorization: String(req.headers.authorization ?? ""), "x-amz-target": `${ECS}${op}`, "content-type": "application/x-amz-json-1.1" };
    const res = await fetch(this.motoUrl, { method: "POST", headers, body: JSON.stringify(body) });
    return (await res.json()) as Record<string, unknown>;
  }

  private lastHeaders: Pick<IncomingMessage, "headers"> | undefined;

  private async liveTaskDefinition(req: IncomingMessage, body: Record<string, unknown>): Promise<string | undefined> {
    this.lastHeaders = { headers: { ...req.headers } };
    const out = (await this.moto(req, "DescribeServices", { cluster: body.cluster, services: [body.service] })) as { services?: Array<{ taskDefinition?: string }> };
    return out.services?.[0]?.taskDefinition;
  }

  /** ECS puts the last revision back on the service. */
  private async restore(d: SimDeployment): Promise<void> {
    if (this.lastHeaders && d.sourceTaskDefinition) await this.moto(this.lastHeaders, "UpdateService", { cluster: d.cluster, service: d.service, taskDefinition: d.sourceTaskDefinition });
  }

  // ---- the scripted API ---------------------------------------------------------------------------------------

  private async scripted(op: string, body: Record<string, unknown>, res: ServerResponse): Promise<void> {
    if (op === "ListServiceDeployments") {
      const service = String(body.service ?? "").split("/").pop();
      const cluster = String(body.cluster ?? "").split("/").pop();
      const statuses = (body.status as string[] | undefined) ?? [];
      const after = (body.createdAt as { after?: number } | undefined)?.after;
      const found = this.deployments
        .filter((d) => d.service === service && d.cluster === cluster && (statuses.length === 0 || statuses.includes(d.status)) && (after === undefined || seconds(d.createdAt) >= after))
        .sort((a, b) => b.createdAt - a.createdAt);
      return this.json(res, 200, {
        serviceDeployments: found.map((d) => ({ serviceDeploymentArn: d.arn, serviceArn: d.serviceArn, clusterArn: d.clusterArn, createdAt: seconds(d.createdAt), startedAt: seconds(d.createdAt), status: d.status })),
      });
    }
    if (op === "DescribeServiceDeployments") {
      const arns = (body.serviceDeploymentArns as string[] | undefined) ?? [];
      const found: SimDeployment[] = [];
      for (const arn of arns) {
        const d = this.deployments.find((x) => x.arn === arn);
        if (d) {
          await this.advance(d);
          found.push(d);
        }
      }
      const failures = arns.filter((a) => !found.some((d) => d.arn === a)).map((arn) => ({ arn, reason: "MISSING" }));
      return this.json(res, 200, { serviceDeployments: found.map((d) => this.describe(d)), failures });
    }
    const d = this.deployments.find((x) => x.arn === body.serviceDeploymentArn);
    if (!d) return this.json(res, 400, { __type: "ServiceDeploymentNotFoundException", message: "The service deployment does not exist." });
    if (op === "ContinueServiceDeployment") {
      if (d.stage !== "POST_TEST_TRAFFIC_SHIFT" || d.hookStatus !== "AWAITING_ACTION" || body.hookId !== d.hookId) {
        return this.json(res, 400, { __type: "InvalidParameterException", message: "The lifecycle hook is not awaiting action." });
      }
      d.hookStatus = "SUCCEEDED";
      if (body.action === "ROLLBACK") {
        d.status = "ROLLBACK_REQUESTED";
        d.rollbackReason = "The lifecycle hook was answered ROLLBACK.";
      } else {
        d.stage = AFTER_HOOK[0]!;
      }
      return this.json(res, 200, { serviceDeploymentArn: d.arn });
    }
    // StopServiceDeployment
    if (!["PENDING", "IN_PROGRESS"].includes(d.status)) return this.json(res, 400, { __type: "ConflictException", message: `The service deployment is ${d.status}.` });
    d.status = body.stopType === "ABORT" ? "STOP_REQUESTED" : "ROLLBACK_REQUESTED";
    d.rollbackReason = "Service deployment rolled back because of a stop request.";
    return this.json(res, 200, { serviceDeploymentArn: d.arn });
  }

  /** One step of ECS's lifecycle per describe. */
  private async advance(d: SimDeployment): Promise<void> {
    if (["SUCCESSFUL", "ROLLBACK_SUCCESSFUL", "ROLLBACK_FAILED", "STOPPED"].includes(d.status)) return;
    if (d.status === "ROLLBACK_REQUESTED") {
      d.status = "ROLLBACK_IN_PROGRESS";
      return;
    }
    if (d.status === "ROLLBACK_IN_PROGRESS") {
      await this.restore(d);
      d.status = "ROLLBACK_SUCCESSFUL";
      d.finishedAt = Date.now();
      return;
    }
    if (d.status === "PENDING") {
      d.status = "IN_PROGRESS";
      d.stage = BEFORE_HOOK[0]!;
      return;
    }
    if (d.scenario === "stuck-scaling" && d.stage === "SCALE_UP") return;
    const before = BEFORE_HOOK.indexOf(d.stage);
    if (before >= 0 && before < BEFORE_HOOK.length - 1) {
      d.stage = BEFORE_HOOK[before + 1]!;
      if (d.stage === "POST_TEST_TRAFFIC_SHIFT") {
        d.hookStatus = "AWAITING_ACTION";
        d.hookExpiresAt = Date.now() + 30 * 60_000;
      }
      return;
    }
    if (d.stage === "POST_TEST_TRAFFIC_SHIFT") return; // waits for ContinueServiceDeployment
    if (d.stage === "BAKE_TIME" && d.bakeDescribes > 0) {
      d.bakeDescribes -= 1;
      if (d.scenario === "alarm-in-bake" && d.bakeDescribes === 2) {
        d.status = "ROLLBACK_IN_PROGRESS";
        d.triggeredAlarms = ["helloagents-staging-5xx"];
        d.rollbackReason = "CloudWatch alarm helloagents-staging-5xx is in ALARM state.";
        d.statusReason = "Deployment failed: alarm detected; rolling back to the last completed service revision.";
      }
      return;
    }
    const after = AFTER_HOOK.indexOf(d.stage);
    if (after >= 0 && after < AFTER_HOOK.length - 1) {
      d.stage = AFTER_HOOK[after + 1]!;
      return;
    }
    if (d.stage === "CLEAN_UP") {
      d.status = "SUCCESSFUL";
      d.finishedAt = Date.now();
    }
  }

  private describe(d: SimDeployment): Record<string, unknown> {
    const revision = (td: string) => ({ arn: `${td.replace(":task-definition/", ":service-revision/")}`, requestedTaskCount: 2, runningTaskCount: d.stage === "PRE_SCALE_UP" ? 0 : 2, pendingTaskCount: 0 });
    return {
      serviceDeploymentArn: d.arn,
      serviceArn: d.serviceArn,
      clusterArn: d.clusterArn,
      createdAt: seconds(d.createdAt),
      startedAt: seconds(d.createdAt),
      updatedAt: seconds(Date.now()),
      ...(d.finishedAt ? { finishedAt: seconds(d.finishedAt) } : {}),
      sourceServiceRevisions: d.sourceTaskDefinition ? [revision(d.sourceTaskDefinition)] : [],
      targetServiceRevision: revision(d.targetTaskDefinition),
      status: d.status,
      ...(d.statusReason ? { statusReason: d.statusReason } : {}),
      lifecycleStage: d.stage,
      lifecycleHookDetails: d.hookStatus
        ? [{ hookId: d.hookId, targetType: "PAUSE", status: d.hookStatus, ...(d.hookExpiresAt ? { expiresAt: seconds(d.hookExpiresAt) } : {}), timeoutAction: "ROLLBACK" }]
        : [],
      deploymentConfiguration: { strategy: "BLUE_GREEN" },
      ...(d.rollbackReason ? { rollback: { reason: d.rollbackReason, startedAt: seconds(Date.now()), serviceRevisionArn: revision(d.sourceTaskDefinition).arn } } : {}),
      ...(d.triggeredAlarms.length > 0 ? { alarms: { status: "TRIGGERED", alarmNames: d.triggeredAlarms, triggeredAlarmNames: d.triggeredAlarms } } : {}),
    };
  }
}
