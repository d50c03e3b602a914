/**
 * Image names: lowercased (as metadata-action does) and checked against the distribution reference grammar
 * (`[host[:port]/]component(/component)*`), without a tag or digest: the plan adds the tags.
 */
const COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
const HOST = "(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)(?:\\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*(?::[0-9]+)?";
const NAME = new RegExp(`^(?:${HOST}/)?${COMPONENT}(?:/${COMPONENT})*$`);

export type ImageParse = { ok: true; name: string; title: string } | { ok: false; reason: string };

export function parseImageName(input: string): ImageParse {
  const name = input.trim().toLowerCase();
  if (name.includes("@") || /:[^/]*$/.test(name.replace(/^[^/]*\//, ""))) {
    return { ok: false, reason: `image '${input}' must not carry a tag or digest: give the repository only, e.g. ghcr.io/acme/helloagents-backend` };
  }
  if (!NAME.test(name) || name.length > 255) {
    return { ok: false, reason: `image '${input}' is not a valid repository name, e.g. ghcr.io/acme/helloagents-backend` };
  }
  const title = name.slice(name.lastIndexOf("/") + 1);
  return { ok: true, name, title };
}
