/**
 * Loading the kubeconfig with @kubernetes/client-node (clusters, users, exec and OIDC auth plugins, relative paths):
 * from `--kubeconfig`, else `$KUBECONFIG`, else `~/.kube/config`. A file that cannot be read or parsed, or that names
 * no current context, is invalid input (exit 2) in one line that names the file and never its contents.
 *
 * `server` replaces the API server address (a tunnel to a loopback API server, e.g. kind from inside a container);
 * certificate verification then keeps checking the original host name (`tls-server-name`).
 */
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import { UsageError } from "../errors.js";

export interface KubeconfigSource {
  /** An explicit file (the --kubeconfig flag). */
  file?: string;
  env: NodeJS.ProcessEnv;
  /** Replace the cluster's server URL, keeping TLS verification against the original host. */
  server?: string;
}

/** Where the kubeconfig comes from, in kubectl's order (only the first file of a KUBECONFIG list is used). */
export function kubeconfigPath(source: Pick<KubeconfigSource, "file" | "env">): string {
  if (source.file) return source.file;
  const fromEnv = source.env.KUBECONFIG?.split(":").find((p) => p !== "");
  if (fromEnv) return fromEnv;
  return join(source.env.HOME ?? homedir(), ".kube", "config");
}

function fail(file: string, problem: string): never {
  throw new UsageError(`kubeconfig ${file}: ${problem}`, { suggestion: "pass --kubeconfig FILE or set KUBECONFIG" });
}

/**
 * The name to verify the API server's certificate against through a tunnel. TLS forbids an IP address as SNI name, so
 * a loopback IP becomes `localhost`, which kind, k3d and minikube put in their API server certificates.
 */
export function tlsName(host: string): string {
  const bare = host.replace(/^\[|\]$/g, "");
  if (bare === "::1" || /^127\./.test(bare)) return "localhost";
  return bare;
}

/** Load and check the kubeconfig; apply the server override. */
export function loadKubeconfig(source: KubeconfigSource): KubeConfig {
  const file = kubeconfigPath(source);
  if (!existsSync(file)) fail(file, "no such file");
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    fail(file, `cannot read it (${(error as NodeJS.ErrnoException).code ?? "error"})`);
  }
  if (text.trim() === "") fail(file, "the file is empty");
  const kc = new KubeConfig();
  try {
    kc.loadFromString(text);
    kc.makePathsAbsolute(join(file, ".."));
  } catch (error) {
    // The parser's message may quote the file; keep only its first line's kind of problem.
    const why = error instanceof Error ? error.message.split("\n")[0]!.slice(0, 120) : "unreadable";
    fail(file, `not a valid kubeconfig (${why})`);
  }
  // YAML that is no kubeconfig at all (a string, a list) loads as an empty one: say that, not "no current-context".
  if (kc.clusters.length === 0 && kc.contexts.length === 0) fail(file, "not a kubeconfig (no clusters or contexts)");
  const context = kc.getCurrentContext();
  if (!context || !kc.getContextObject(context)) fail(file, "no current-context (set one with kubectl config use-context)");
  const cluster = kc.getCurrentCluster();
  if (!cluster) fail(file, `context ${context} names no cluster`);
  if (!URL.canParse(cluster.server)) fail(file, `cluster ${cluster.name} has no valid server URL`);
  if (source.server) {
    if (!URL.canParse(source.server)) throw new UsageError(`--server: ${JSON.stringify(source.server)} is not a URL`);
    const original = tlsName(new URL(cluster.server).hostname);
    const clusters = kc.clusters.map((c) => (c.name === cluster.name ? { ...c, server: source.server!, tlsServerName: c.tlsServerName ?? original } : c));
    kc.loadFromOptions({ clusters, users: kc.users, contexts: kc.contexts, currentContext: context });
  }
  return kc;
}
