import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { tempDir } from "../../test/support/temp.js";
import { UsageError } from "../errors.js";
import { kubeconfigPath, loadKubeconfig, tlsName } from "./kubeconfig.js";

const dir = tempDir("kubeconfig-");
const TOKEN = "kc-secret-token-do-not-print";
let n = 0;

function write(content: string | object): string {
  const file = join(dir, `config-${++n}`);
  writeFileSync(file, typeof content === "string" ? content : stringify(content));
  return file;
}

function kubeconfig(server: string, cluster: Record<string, unknown> = {}, currentContext: string | null = "dev"): object {
  return {
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: "kind-dev", cluster: { server, "certificate-authority": "pki/ca.crt", ...cluster } }],
    users: [{ name: "admin", user: { token: TOKEN } }],
    contexts: [{ name: "dev", context: { cluster: "kind-dev", user: "admin" } }],
    ...(currentContext !== null ? { "current-context": currentContext } : {}),
  };
}

/** The UsageError loadKubeconfig throws (exit 2), or a failure when it throws nothing. */
function refusal(file: string, server?: string): UsageError {
  try {
    loadKubeconfig({ file, env: {}, ...(server !== undefined ? { server } : {}) });
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return error as UsageError;
  }
  throw new Error(`loadKubeconfig accepted ${file}`);
}

describe("kubeconfig: where it is read from (kubectl's order)", () => {
  it.each<[string, { file?: string; env: NodeJS.ProcessEnv }, string]>([
    ["--kubeconfig wins over KUBECONFIG", { file: "/a/flag", env: { KUBECONFIG: "/b/env", HOME: "/home/me" } }, "/a/flag"],
    ["KUBECONFIG next", { env: { KUBECONFIG: "/b/env", HOME: "/home/me" } }, "/b/env"],
    ["the first non-empty entry of a KUBECONFIG list", { env: { KUBECONFIG: ":/b/one:/b/two" } }, "/b/one"],
    ["~/.kube/config last", { env: { HOME: "/home/me" } }, "/home/me/.kube/config"],
    ["an empty KUBECONFIG counts as unset", { env: { KUBECONFIG: "", HOME: "/home/me" } }, "/home/me/.kube/config"],
  ])("%s", (_name, source, expected) => {
    expect(kubeconfigPath(source)).toBe(expected);
  });
});

describe("kubeconfig: refused as invalid input (exit 2), in one line that names the file and never its contents", () => {
  it.each<[string, () => string, string]>([
    ["a missing file", () => join(dir, "nope"), "no such file"],
    ["not YAML", () => write(`clusters: [{{{ token: ${TOKEN}\n`), "not a valid kubeconfig ("],
    ["an empty file", () => write(" \n"), "the file is empty"],
    ["YAML that is not a kubeconfig", () => write(`just a string with ${TOKEN}\n`), "not a kubeconfig (no clusters or contexts)"],
    ["a cluster without a server", () => write({ ...kubeconfig("https://x"), clusters: [{ name: "kind-dev", cluster: {} }] }), "not a valid kubeconfig (clusters[0].cluster.server is missing)"],
    ["no current context", () => write(kubeconfig("https://127.0.0.1:6443", {}, null)), "no current-context (set one with kubectl config use-context)"],
    ["a current context that does not exist", () => write(kubeconfig("https://127.0.0.1:6443", {}, "prod")), "no current-context"],
    ["a context naming a missing cluster", () => write({ ...kubeconfig("https://x"), contexts: [{ name: "dev", context: { cluster: "gone", user: "admin" } }] }), "context dev names no cluster"],
    ["a server that is not a URL", () => write(kubeconfig("not a url")), "cluster kind-dev has no valid server URL"],
  ])("%s", (_name, make, problem) => {
    const file = make();
    const error = refusal(file);
    expect(error.message).toContain(`kubeconfig ${file}: `);
    expect(error.message).toContain(problem);
    expect(error.message).not.toContain(TOKEN);
    expect(error.message).not.toContain("\n");
    expect(error.exitCode).toBe(2);
    expect(error.suggestion).toBe("pass --kubeconfig FILE or set KUBECONFIG");
  });

  it("a --server that is not a URL", () => {
    expect(refusal(write(kubeconfig("https://127.0.0.1:6443")), "tunnel").message).toBe('--server: "tunnel" is not a URL');
  });
});

describe("kubeconfig: loaded", () => {
  it("reads the current context's cluster and makes relative certificate paths absolute to the file", () => {
    const file = write(kubeconfig("https://10.0.0.5:6443"));
    const kc = loadKubeconfig({ file, env: {} });
    expect(kc.getCurrentCluster()).toMatchObject({ name: "kind-dev", server: "https://10.0.0.5:6443", caFile: join(dir, "pki/ca.crt") });
    expect(kc.getCurrentCluster()?.tlsServerName).toBeUndefined();
  });

  it("is found through KUBECONFIG when no file is given", () => {
    const file = write(kubeconfig("https://10.0.0.5:6443"));
    expect(loadKubeconfig({ env: { KUBECONFIG: file } }).getCurrentCluster()?.server).toBe("https://10.0.0.5:6443");
  });

  it.each<[string, string, Record<string, unknown>, string]>([
    ["a loopback IP server verifies as localhost (TLS forbids an IP as SNI name)", "https://127.0.0.1:40123", {}, "localhost"],
    ["an IPv6 loopback server verifies as localhost", "https://[::1]:40123", {}, "localhost"],
    ["a named server keeps its name", "https://kube.example.com:6443", {}, "kube.example.com"],
    ["an explicit tls-server-name is kept as it is", "https://127.0.0.1:40123", { "tls-server-name": "kind-control-plane" }, "kind-control-plane"],
  ])("--server override: %s", (_name, server, cluster, expected) => {
    const kc = loadKubeconfig({ file: write(kubeconfig(server, cluster)), env: {}, server: "https://host.docker.internal:40123" });
    expect(kc.getCurrentCluster()).toMatchObject({ server: "https://host.docker.internal:40123", tlsServerName: expected });
    // Everything else stays: the user's credentials and the context.
    expect(kc.getCurrentUser()?.token).toBe(TOKEN);
    expect(kc.getCurrentContext()).toBe("dev");
  });
});

describe("kubeconfig: the TLS name for a tunnel", () => {
  it.each([
    ["127.0.0.1", "localhost"],
    ["127.8.9.10", "localhost"],
    ["[::1]", "localhost"],
    ["::1", "localhost"],
    ["kube.example.com", "kube.example.com"],
    ["10.0.0.5", "10.0.0.5"],
  ])("%s → %s", (host, expected) => {
    expect(tlsName(host)).toBe(expected);
  });
});
