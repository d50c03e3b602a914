/**
 * Credentials in URLs (`https://user:secret@host/…`) never reach an output: reports, errors and progress lines show
 * `https://***@host/…`, and the CLI masks any credential given on its command line in everything it prints.
 */

/** `https://user:secret@host/p` → `https://***@host/p`; anything else is returned unchanged. */
export function redactUrl(url: string): string {
  if (!URL.canParse(url)) return url;
  const parsed = new URL(url);
  if (parsed.username === "" && parsed.password === "") return url;
  parsed.username = "***";
  parsed.password = "";
  return parsed.href;
}

/** Shorter strings are not masked in free text: they would mangle ordinary words (the URLs themselves are still redacted). */
const MIN_SECRET_LENGTH = 4;

/** The credentials in the URLs among `args` (the password, or a lone user name such as a token), raw and decoded. */
export function urlCredentials(args: readonly string[]): string[] {
  const secrets = new Set<string>();
  for (const arg of args) {
    for (const candidate of arg.match(/[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi) ?? []) {
      if (!URL.canParse(candidate)) continue;
      const url = new URL(candidate);
      const secret = url.password || url.username;
      if (secret === "") continue;
      for (const form of [secret, safeDecode(secret)]) if (form.length >= MIN_SECRET_LENGTH) secrets.add(form);
    }
  }
  return [...secrets];
}

/** Replace every occurrence of each secret with `***`. */
export function maskSecrets(text: string, secrets: readonly string[]): string {
  let masked = text;
  for (const secret of secrets) masked = masked.split(secret).join("***");
  return masked;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
