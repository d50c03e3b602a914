/**
 * Deploy, rollback and status: the toolkit's `hello-ci deploy|rollback|status` run in the toolkit container with the
 * kubeconfig mounted as a secret file (Kubernetes environments) or the AWS credentials as secret variables (ECS
 * environments), the webhook URL and runtime Secret values as secret variables, and (for a cluster whose API server
 * is on the host's loopback: kind, k3d, minikube) a tunnel to it. The release's images are resolved to digests on the
 * engine first: a deploy never uses a tag.
 */
import { Container, Directory, Secret, Service } from "@dagger.io/dagger"

import { OUT_DIR } from "./paths.js"
import { parseDeployImages, type DeployImages, type DeployTarget } from "./toolkit-json.js"
import { okOrThrow, runToolkit, toolkitMessage } from "./toolkit-run.js"

/** Where the kubeconfig is mounted (a secret file: never a layer, never argv or env). */
export const KUBECONFIG_PATH = "/run/secrets/kubeconfig"
/** The alias the API server tunnel is bound at. */
export const API_SERVER_ALIAS = "kube-api"
/** The environment variable the toolkit reads the webhook URL from (never a flag). */
export const WEBHOOK_ENV = "HELLO_CI_WEBHOOK_URL"

/** One key of the environment's runtime Secret, and its value (a secret). */
export interface RuntimeSecretValue {
  readonly key: string
  readonly value: Secret
}

/** AWS credentials for an ECS environment (`with-aws-credentials`): the SDK's standard environment variables, as secrets. */
export interface AwsCredentials {
  readonly accessKeyId: Secret
  readonly secretAccessKey: Secret
  readonly sessionToken?: Secret
}

/** How to reach the cluster and what to hand the toolkit. */
export interface ClusterAccess {
  /** Kubernetes environments only. */
  readonly kubeconfig?: Secret
  /** ECS environments only. */
  readonly aws?: AwsCredentials
  /** A tunnel to an API server on the host's loopback (`--api-server tcp://localhost:6443`). */
  readonly apiServer?: Service
  readonly webhook?: Secret
  readonly runtimeSecrets: readonly RuntimeSecretValue[]
}

/** The toolkit with the cluster's credentials mounted, and the flags that point hello-ci at them. */
export async function clusterToolkit(toolkit: Container, access: ClusterAccess): Promise<{ ctr: Container; args: string[] }> {
  let ctr = toolkit
  const args: string[] = []
  if (access.kubeconfig) {
    ctr = ctr.withMountedSecret(KUBECONFIG_PATH, access.kubeconfig).withEnvVariable("KUBECONFIG", KUBECONFIG_PATH)
    args.push("--kubeconfig", KUBECONFIG_PATH)
  } else if (access.apiServer) {
    throw new Error("--api-server tunnels to a Kubernetes API server: give --kubeconfig too")
  }
  if (access.aws) {
    ctr = ctr.withSecretVariable("AWS_ACCESS_KEY_ID", access.aws.accessKeyId).withSecretVariable("AWS_SECRET_ACCESS_KEY", access.aws.secretAccessKey)
    if (access.aws.sessionToken) ctr = ctr.withSecretVariable("AWS_SESSION_TOKEN", access.aws.sessionToken)
  }
  if (access.apiServer) {
    const port = new URL(`tcp://${await access.apiServer.endpoint()}`).port
    ctr = ctr.withServiceBinding(API_SERVER_ALIAS, access.apiServer)
    args.push("--server", `https://${API_SERVER_ALIAS}:${port}`)
  }
  if (access.webhook) ctr = ctr.withSecretVariable(WEBHOOK_ENV, access.webhook)
  access.runtimeSecrets.forEach((s, i) => {
    ctr = ctr.withSecretVariable(`HELLO_CI_RUNTIME_${i}`, s.value)
    args.push("--secret-from-env", `${s.key}=HELLO_CI_RUNTIME_${i}`)
  })
  return { ctr, args }
}

/** The release's tag references for the environment and where it deploys to (`hello-ci deploy-images`). */
export async function releaseImages(toolkit: Container, env: string, version: string): Promise<DeployImages> {
  const run = await okOrThrow(await runToolkit(toolkit, ["deploy-images", "--env", env, "--version", version]), { refusal: "deploy refused the input" })
  return parseDeployImages(await run.stdout())
}

/** Refuse, before anything is resolved, credentials that do not fit the environment's target. */
export function checkAccess(fn: string, env: string, target: DeployTarget, access: Pick<ClusterAccess, "kubeconfig" | "aws">): void {
  if (target === "kubernetes" && !access.kubeconfig) {
    throw new Error(`${fn}: environment ${env} deploys to Kubernetes: give --kubeconfig file://… (a kubeconfig with embedded credentials)`)
  }
  if (target === "ecs") {
    if (access.kubeconfig) throw new Error(`${fn}: environment ${env} deploys to ECS: drop --kubeconfig and give AWS credentials with with-aws-credentials`)
    if (!access.aws) throw new Error(`${fn}: environment ${env} deploys to ECS: give AWS credentials first, e.g. with-aws-credentials --access-key-id env://AWS_ACCESS_KEY_ID --secret-access-key env://AWS_SECRET_ACCESS_KEY --session-token env://AWS_SESSION_TOKEN`)
  }
}

/**
 * Run `hello-ci deploy|rollback …` with --json, the Markdown report and the backup; return the report directory when
 * it exited 0, otherwise throw with its one-line result and the report.
 */
export async function runDeployCommand(ctr: Container, args: readonly string[], fresh: string): Promise<Directory> {
  const command = args[0] ?? "deploy"
  const files = ["--json", "--report", `${OUT_DIR}/report.md`, "--backup", `${OUT_DIR}/backup.json`]
  const run = await runToolkit(ctr, [...args, ...files], { fresh, redirectStdout: `${OUT_DIR}/report.json` })
  if (run.exitCode === 0) return run.container.directory(OUT_DIR)
  // 1 and 4 (and 3 once running) come with a report; 2, or 3 before anything, is the toolkit's one line.
  const stderr = await run.stderr()
  const line = toolkitMessage(stderr)
  const report = await run.container.file(`${OUT_DIR}/report.md`).contents().catch(() => "")
  throw new Error(`${command} failed (exit ${run.exitCode}): ${line}${report ? `\n\n${report.trim()}` : ""}`)
}
