/**
 * A deliberately small JSON path dialect for health assertions (no dependency, no eval, no wildcards).
 *
 *   path    := "$" segment*
 *   segment := "." ident | "[" index "]" | "[" string "]"
 *   ident   := [A-Za-z_][A-Za-z0-9_-]*
 *   index   := 0 | [1-9][0-9]*          (array position)
 *   string  := a JSON double-quoted string (object key, any characters: "postgres:connection")
 *
 * A path names at most one value, so an assertion always has exactly one observed value to report. Query languages
 * (JSONPath RFC 9535, jsonpath-plus) return node lists and some evaluate script filters; neither fits a health check.
 */

export type PathSegment = { kind: "key"; key: string } | { kind: "index"; index: number };

export interface ParsedPath {
  segments: PathSegment[];
  /** The canonical text of the path, e.g. `$.checks["postgres:connection"][0].status`. */
  text: string;
}

export type PathLookup = { found: true; value: unknown } | { found: false; missingAt: string };

export class PathSyntaxError extends Error {
  constructor(
    readonly input: string,
    readonly position: number,
    reason: string,
  ) {
    super(`invalid JSON path ${JSON.stringify(input)} at position ${position}: ${reason}`);
    this.name = "PathSyntaxError";
  }
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_-]*/;
const INDEX = /^(0|[1-9][0-9]*)\]/;

/** Parse a path from the start of `input`; returns the path and where it ended (so conditions can read an operator). */
export function parsePathPrefix(input: string, root = "$"): { path: ParsedPath; end: number } {
  if (!input.startsWith(root)) throw new PathSyntaxError(input, 0, `a path starts with ${root}`);
  const segments: PathSegment[] = [];
  let i = root.length;
  while (i < input.length) {
    const c = input[i];
    if (c === ".") {
      const match = IDENT.exec(input.slice(i + 1));
      if (!match) throw new PathSyntaxError(input, i + 1, "expected a name after '.' (use [\"…\"] for other keys)");
      segments.push({ kind: "key", key: match[0] });
      i += 1 + match[0].length;
    } else if (c === "[") {
      const rest = input.slice(i + 1);
      const index = INDEX.exec(rest);
      if (index?.[1] !== undefined) {
        segments.push({ kind: "index", index: Number(index[1]) });
        i += 1 + index[0].length;
      } else if (rest.startsWith('"')) {
        const close = closingQuote(rest);
        if (close < 0) throw new PathSyntaxError(input, i + 1, "unterminated string");
        if (rest[close + 1] !== "]") throw new PathSyntaxError(input, i + close + 2, "expected ']' after the key");
        segments.push({ kind: "key", key: JSON.parse(rest.slice(0, close + 1)) as string });
        i += close + 3;
      } else {
        throw new PathSyntaxError(input, i + 1, "expected an array index or a double-quoted key inside [ ]");
      }
    } else {
      break;
    }
  }
  return { path: { segments, text: formatPath(segments, root) }, end: i };
}

/** Parse a whole string as a path. */
export function parsePath(input: string): ParsedPath {
  const trimmed = input.trim();
  const { path, end } = parsePathPrefix(trimmed);
  if (end !== trimmed.length) throw new PathSyntaxError(trimmed, end, `unexpected ${JSON.stringify(trimmed[end])}`);
  return path;
}

export function formatPath(segments: readonly PathSegment[], root = "$"): string {
  return (
    root +
    segments
      .map((s) => (s.kind === "index" ? `[${s.index}]` : IDENT.exec(s.key)?.[0] === s.key ? `.${s.key}` : `[${JSON.stringify(s.key)}]`))
      .join("")
  );
}

/** Look a path up in a parsed JSON document. */
export function lookupPath(document: unknown, path: ParsedPath): PathLookup {
  let current: unknown = document;
  for (let n = 0; n < path.segments.length; n++) {
    const segment = path.segments[n] as PathSegment;
    if (segment.kind === "index") {
      if (!Array.isArray(current) || segment.index >= current.length) {
        return { found: false, missingAt: formatPath(path.segments.slice(0, n + 1)) };
      }
      current = current[segment.index] as unknown;
    } else {
      if (current === null || typeof current !== "object" || Array.isArray(current) || !Object.hasOwn(current, segment.key)) {
        return { found: false, missingAt: formatPath(path.segments.slice(0, n + 1)) };
      }
      current = (current as Record<string, unknown>)[segment.key];
    }
  }
  return { found: true, value: current };
}

/** Index of the closing quote of a JSON string that starts at text[0] === '"', or -1. */
function closingQuote(text: string): number {
  for (let i = 1; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === '"') return i;
  }
  return -1;
}
