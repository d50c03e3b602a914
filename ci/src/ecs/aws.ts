/**
 * The AWS I/O of an ECS deploy, and nothing else: the ECS and SSM calls the engine makes, each retried on throttling
 * and transient failures with backoff inside a deadline (the SDK's own retries are off, so this is the one policy),
 * and turned into the project's errors: credentials missing, expired or refused and a denied permission are
 * `AwsUnreachable` (exit 3) with one line saying what to do; a missing resource is `AwsNotFound`; a request AWS
 * refused is `AwsRejected`. Credentials come from the SDK's standard chain (environment, shared config and SSO,
 * web identity for GitHub OIDC, container and instance roles); `AWS_ENDPOINT_URL` points the SDK elsewhere (tests).
 */
import {
  ContinueServiceDeploymentCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  ListServiceDeploymentsCommand,
  ListTagsForResourceCommand,
  RegisterTaskDefinitionCommand,
  StopServiceDeploymentCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateServiceCommand,
  type DeploymentConfiguration,
  type RegisterTaskDefinitionCommandInput,
  type Service,
  type ServiceDeployment,
  type ServiceDeploymentStatus,
  type Tag,
  type TaskDefinition,
} from "@aws-sdk/client-ecs";
import { DeleteParametersCommand, GetParametersByPathCommand, PutParameterCommand, SSMClient, type Parameter } from "@aws-sdk/client-ssm";
import { backoffMs, classifyAwsError, credentialsAdvice, type AwsErrorClass } from "../core/deploy/ecs-errors.js";
import { Unreachable } from "../errors.js";
import type { EcsDeploy } from "../schemas/deploy.js";

/** AWS did not answer within the deadline, or refused the credentials or the permission: nothing more can be done. */
export class AwsUnreachable extends Unreachable {
  constructor(
    message: string,
    readonly kind: AwsErrorClass["kind"],
    suggestion?: string,
  ) {
    super(message, suggestion ? { suggestion } : {});
  }
}

/** The named resource does not exist. */
export class AwsNotFound extends Error {}

/** AWS refused the request itself (a bad parameter, a state that does not allow it). */
export class AwsRejected extends Error {}

export interface RetryClock {
  monotonicMs(): number;
  sleep(ms: number): Promise<void>;
}

export interface AwsOptions {
  /** How long one call may keep being retried. */
  deadlineMs: number;
  clock: RetryClock;
  /** One line per retry (progress on stderr). */
  onRetry?(line: string): void;
  random?(): number;
}

/** Call `fn` until it succeeds, retrying throttling and transient failures with backoff until the deadline. */
export async function withRetry<T>(what: string, fn: () => Promise<T>, options: AwsOptions): Promise<T> {
  const deadline = options.clock.monotonicMs() + options.deadlineMs;
  const random = options.random ?? Math.random;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await fn();
    } catch (error) {
      const c = classifyAwsError(error);
      if (c.kind === "throttled" || c.kind === "transient") {
        const wait = backoffMs(attempt, random);
        if (options.clock.monotonicMs() + wait > deadline) {
          throw new AwsUnreachable(`AWS ${what}: no answer within ${Math.round(options.deadlineMs / 1000)}s (${attempt} attempt(s); last: ${c.detail})`, c.kind, "check the network path to AWS (proxy, VPN, endpoints) and run again");
        }
        options.onRetry?.(`AWS ${what}: ${c.detail}; retry ${attempt} in ${wait} ms`);
        await options.clock.sleep(wait);
        continue;
      }
      if (c.kind === "credentials" || c.kind === "denied") {
        const verb = c.kind === "denied" ? "not allowed" : c.code === "CredentialsProviderError" ? "no credentials" : "credentials refused";
        throw new AwsUnreachable(`AWS ${what}: ${verb} (${c.detail}): ${credentialsAdvice(c.kind, c.code)}`, c.kind);
      }
      if (c.kind === "not-found") throw new AwsNotFound(`${what}: ${c.detail}`);
      throw new AwsRejected(`${what}: ${c.detail}`);
    }
  }
}

/** Pages through a listing: `page(token)` returns the items and the next token. */
async function allPages<T>(page: (token: string | undefined) => Promise<{ items: T[]; next: string | undefined }>): Promise<T[]> {
  const out: T[] = [];
  let token: string | undefined;
  for (let i = 0; i < 100; i += 1) {
    const { items, next } = await page(token);
    out.push(...items);
    if (!next) return out;
    token = next;
  }
  return out;
}

/** The ECS and SSM calls of one environment. */
export class EcsApi {
  private readonly ecs: ECSClient;
  private readonly ssm: SSMClient;

  constructor(
    readonly config: EcsDeploy,
    private readonly options: AwsOptions,
  ) {
    // The SDK warns on every start that a future version will need Node 22; this project pins Node 20 and a version that works there.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
    const common = { region: config.region, maxAttempts: 1, requestHandler: { connectionTimeout: 5_000, requestTimeout: 30_000 } };
    this.ecs = new ECSClient(common);
    this.ssm = new SSMClient(common);
  }

  private call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    return withRetry(what, fn, this.options);
  }

  close(): void {
    this.ecs.destroy();
    this.ssm.destroy();
  }

  /** The service, or AwsNotFound naming the cluster and service. */
  async service(): Promise<Service> {
    const { cluster, service } = this.config;
    const out = await this.call("describe the service (ecs:DescribeServices)", () => this.ecs.send(new DescribeServicesCommand({ cluster, services: [service] })));
    const found = out.services?.find((s) => s.serviceName === service || s.serviceArn?.endsWith(`/${service}`));
    if (!found || found.status === "INACTIVE") {
      const why = out.failures?.[0]?.reason ?? (found ? "INACTIVE" : "MISSING");
      throw new AwsNotFound(`ECS service ${service} in cluster ${cluster} (${this.config.region}): ${why}`);
    }
    return found;
  }

  async taskDefinition(arn: string): Promise<{ taskDefinition: TaskDefinition; tags: Tag[] }> {
    const out = await this.call("describe the task definition (ecs:DescribeTaskDefinition)", () => this.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn, include: ["TAGS"] })));
    if (!out.taskDefinition) throw new AwsNotFound(`task definition ${arn}: not found`);
    return { taskDefinition: out.taskDefinition, tags: out.tags ?? [] };
  }

  async register(input: RegisterTaskDefinitionCommandInput): Promise<TaskDefinition> {
    const out = await this.call("register the task definition (ecs:RegisterTaskDefinition)", () => this.ecs.send(new RegisterTaskDefinitionCommand(input)));
    if (!out.taskDefinition?.taskDefinitionArn) throw new AwsRejected("register the task definition: ECS returned no revision");
    return out.taskDefinition;
  }

  async updateService(taskDefinition: string, deploymentConfiguration: DeploymentConfiguration): Promise<Service> {
    const { cluster, service } = this.config;
    const out = await this.call("update the service (ecs:UpdateService)", () => this.ecs.send(new UpdateServiceCommand({ cluster, service, taskDefinition, deploymentConfiguration })));
    if (!out.service) throw new AwsRejected("update the service: ECS returned no service");
    return out.service;
  }

  /** The service's deployments with the given statuses (all when none are given), described. */
  async deployments(statuses: readonly ServiceDeploymentStatus[] = [], createdAfter?: Date): Promise<ServiceDeployment[]> {
    const { cluster, service } = this.config;
    const arns = await allPages(async (nextToken) => {
      const out = await this.call("list the service deployments (ecs:ListServiceDeployments)", () =>
        this.ecs.send(
          new ListServiceDeploymentsCommand({
            cluster,
            service,
            ...(statuses.length > 0 ? { status: [...statuses] } : {}),
            ...(createdAfter ? { createdAt: { after: createdAfter } } : {}),
            ...(nextToken ? { nextToken } : {}),
          }),
        ),
      );
      return { items: (out.serviceDeployments ?? []).flatMap((d) => (d.serviceDeploymentArn ? [d.serviceDeploymentArn] : [])), next: out.nextToken };
    });
    if (arns.length === 0) return [];
    return this.describeDeployments(arns);
  }

  async describeDeployments(arns: readonly string[]): Promise<ServiceDeployment[]> {
    const out: ServiceDeployment[] = [];
    for (let i = 0; i < arns.length; i += 20) {
      const batch = arns.slice(i, i + 20);
      const page = await this.call("describe the service deployment (ecs:DescribeServiceDeployments)", () => this.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: batch })));
      out.push(...(page.serviceDeployments ?? []));
    }
    return out;
  }

  async deployment(arn: string): Promise<ServiceDeployment> {
    const [found] = await this.describeDeployments([arn]);
    if (!found) throw new AwsNotFound(`service deployment ${arn}: not found`);
    return found;
  }

  async answerHook(serviceDeploymentArn: string, hookId: string, action: "CONTINUE" | "ROLLBACK"): Promise<void> {
    await this.call(`answer the pause hook with ${action} (ecs:ContinueServiceDeployment)`, () => this.ecs.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn, hookId, action })));
  }

  async stopWithRollback(serviceDeploymentArn: string): Promise<void> {
    await this.call("roll the deployment back (ecs:StopServiceDeployment)", () => this.ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn, stopType: "ROLLBACK" })));
  }

  async tags(resourceArn: string): Promise<Tag[]> {
    const out = await this.call("read the service's tags (ecs:ListTagsForResource)", () => this.ecs.send(new ListTagsForResourceCommand({ resourceArn })));
    return out.tags ?? [];
  }

  async tag(resourceArn: string, tags: Tag[]): Promise<void> {
    await this.call("tag the service (ecs:TagResource)", () => this.ecs.send(new TagResourceCommand({ resourceArn, tags })));
  }

  async untag(resourceArn: string, tagKeys: string[]): Promise<void> {
    await this.call("untag the service (ecs:UntagResource)", () => this.ecs.send(new UntagResourceCommand({ resourceArn, tagKeys })));
  }

  // ---- SSM Parameter Store: the history ------------------------------------------------------------------------

  async parameters(path: string): Promise<Parameter[]> {
    return allPages(async (NextToken) => {
      const out = await this.call("read the history (ssm:GetParametersByPath)", () => this.ssm.send(new GetParametersByPathCommand({ Path: path, Recursive: false, ...(NextToken ? { NextToken } : {}) })));
      return { items: out.Parameters ?? [], next: out.NextToken };
    });
  }

  async putParameter(name: string, value: string, description: string): Promise<void> {
    await this.call("write the history (ssm:PutParameter)", () => this.ssm.send(new PutParameterCommand({ Name: name, Value: value, Type: "String", Overwrite: true, Description: description })));
  }

  async deleteParameters(names: string[]): Promise<void> {
    for (let i = 0; i < names.length; i += 10) {
      const batch = names.slice(i, i + 10);
      await this.call("prune the history (ssm:DeleteParameters)", () => this.ssm.send(new DeleteParametersCommand({ Names: batch })));
    }
  }
}
