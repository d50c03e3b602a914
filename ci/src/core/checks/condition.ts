/**
 * Declarative assertions on a response, written as one-line conditions (the Gatus habit: validated when the
 * configuration loads, and every result keeps the value it observed).
 *
 *   condition := subject " " operator [ " " literal ]
 *   subject   := json-path             the parsed JSON body, see jsonpath.ts       $.checks["postgres:connection"][0].status
 *              | header.<name>        a response header (name case-insensitive)  header["content-encoding"]
 *              | body                 the raw body text
 *   operator  := == | != | < | <= | > | >= | contains | exists
 *   literal   := a JSON value: "text", 42, 1.5, true, false, null     (none after `exists`)
 *
 * `==`/`!=` compare JSON values structurally; `<`…`>=` need two numbers; `contains` is a substring test on strings
 * and a membership test on arrays. A missing subject satisfies no operator (`exists` reports it as false).
 */
import { isDeepStrictEqual } from "node:util";
import { lookupPath, parsePathPrefix, PathSyntaxError, type ParsedPath } from "./jsonpath.js";
import type { AssertionResult, Severity } from "./model.js";

export const OPERATORS = ["==", "!=", "<=", ">=", "<", ">", "contains", "exists"] as const;
export type Operator = (typeof OPERATORS)[number];

export type Subject = { kind: "json"; path: ParsedPath } | { kind: "header"; name: string } | { kind: "body" };

export interface Condition {
  subject: Subject;
  operator: Operator;
  /** The literal to compare with; absent for `exists`. */
  expected?: unknown;
  severity: Severity;
  /** Canonical text, as written back in results. */
  text: string;
}

export class ConditionSyntaxError extends Error {
  constructor(
    readonly input: string,
    reason: string,
  ) {
    super(`invalid condition ${JSON.stringify(input)}: ${reason}`);
    this.name = "ConditionSyntaxError";
  }
}

/** What a condition is evaluated against. `json` is undefined when the body is not JSON. */
export interface ResponseView {
  headers: Readonly<Record<string, string>>;
  bodyText: string;
  json: { ok: true; value: unknown } | { ok: false; reason: string };
}

export function parseCondition(input: string, severity: Severity = "fail"): Condition {
  const text = input.trim();
  let subject: Subject;
  let rest: string;
  try {
    if (text.startsWith("$")) {
      const { path, end } = parsePathPrefix(text, "$");
      subject = { kind: "json", path };
      rest = text.slice(end);
    } else if (text.startsWith("header")) {
      const { path, end } = parsePathPrefix(text, "header");
      const only = path.segments[0];
      if (path.segments.length !== 1 || only?.kind !== "key") {
        throw new ConditionSyntaxError(text, 'a header subject is header.<name> or header["<name>"]');
      }
      subject = { kind: "header", name: only.key.toLowerCase() };
      rest = text.slice(end);
    } else if (/^body(\s|$)/.test(text)) {
      subject = { kind: "body" };
      rest = text.slice(4);
    } else {
      throw new ConditionSyntaxError(text, "the subject must be a JSON path ($…), header.<name> or body");
    }
  } catch (error) {
    if (error instanceof PathSyntaxError) throw new ConditionSyntaxError(text, error.message);
    throw error;
  }
  rest = rest.trim();
  const operator = OPERATORS.find((op) => rest.startsWith(op) && (/^[a-z]/.test(op) ? /^\s|^$/.test(rest.slice(op.length)) : true));
  if (!operator) {
    throw new ConditionSyntaxError(text, `expected an operator (${OPERATORS.join(", ")}) after the subject`);
  }
  const literalText = rest.slice(operator.length).trim();
  if (operator === "exists") {
    if (literalText !== "") throw new ConditionSyntaxError(text, "`exists` takes no value");
    return { subject, operator, severity, text: `${subjectText(subject)} exists` };
  }
  if (literalText === "") throw new ConditionSyntaxError(text, `\`${operator}\` needs a value (a JSON literal such as "pass" or 200)`);
  let expected: unknown;
  try {
    expected = JSON.parse(literalText);
  } catch {
    throw new ConditionSyntaxError(text, `the value ${literalText} is not a JSON literal (quote strings: "pass")`);
  }
  if (["<", "<=", ">", ">="].includes(operator) && typeof expected !== "number") {
    throw new ConditionSyntaxError(text, `\`${operator}\` compares numbers; ${literalText} is not a number`);
  }
  if (subject.kind !== "json" && typeof expected !== "string" && !["<", "<=", ">", ">="].includes(operator)) {
    throw new ConditionSyntaxError(text, `${subjectText(subject)} is text; compare it with a quoted string`);
  }
  return { subject, operator, expected, severity, text: `${subjectText(subject)} ${operator} ${JSON.stringify(expected)}` };
}

export function subjectText(subject: Subject): string {
  switch (subject.kind) {
    case "json":
      return subject.path.text;
    case "header":
      return /^[a-z0-9-]+$/.test(subject.name) ? `header["${subject.name}"]` : `header[${JSON.stringify(subject.name)}]`;
    case "body":
      return "body";
  }
}

/** Build the view once per response: headers lower-cased, body parsed as JSON when it is JSON. */
export function responseView(headers: Readonly<Record<string, string>>, bodyText: string): ResponseView {
  const lower: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) lower[name.toLowerCase()] = value;
  let json: ResponseView["json"];
  try {
    json = { ok: true, value: JSON.parse(bodyText) as unknown };
  } catch {
    const preview = bodyText.length > 60 ? `${bodyText.slice(0, 60)}…` : bodyText;
    json = { ok: false, reason: `body is not JSON: ${JSON.stringify(preview)}` };
  }
  return { headers: lower, bodyText, json };
}

/** Evaluate one condition against a response and record what was observed. */
export function evaluateCondition(condition: Condition, view: ResponseView): AssertionResult {
  const base = {
    assertion: subjectText(condition.subject),
    expected: condition.operator === "exists" ? "exists" : `${condition.operator} ${JSON.stringify(condition.expected)}`,
    severity: condition.severity,
  };
  const observed = observe(condition.subject, view);
  if (!observed.found) {
    return { ...base, observed: null, ok: false, detail: observed.detail };
  }
  const value = observed.value;
  const reported = typeof value === "string" && value.length > 200 ? `${value.slice(0, 200)}…` : value;
  const { ok, detail } = compare(condition.operator, value, condition.expected);
  return { ...base, observed: condition.operator === "exists" ? true : (reported ?? null), ok, ...(detail ? { detail } : {}) };
}

function observe(subject: Subject, view: ResponseView): { found: true; value: unknown } | { found: false; detail: string } {
  switch (subject.kind) {
    case "body":
      return { found: true, value: view.bodyText };
    case "header": {
      const value = view.headers[subject.name];
      return value === undefined ? { found: false, detail: `no ${subject.name} header` } : { found: true, value };
    }
    case "json": {
      if (!view.json.ok) return { found: false, detail: view.json.reason };
      const lookup = lookupPath(view.json.value, subject.path);
      return lookup.found ? lookup : { found: false, detail: `${lookup.missingAt} not found in the body` };
    }
  }
}

function compare(operator: Operator, observed: unknown, expected: unknown): { ok: boolean; detail?: string } {
  switch (operator) {
    case "exists":
      return { ok: true };
    case "==":
      return { ok: isDeepStrictEqual(observed, expected) };
    case "!=":
      return { ok: !isDeepStrictEqual(observed, expected) };
    case "contains":
      if (typeof observed === "string" && typeof expected === "string") return { ok: observed.includes(expected) };
      if (Array.isArray(observed)) return { ok: observed.some((item) => isDeepStrictEqual(item, expected)) };
      return { ok: false, detail: `contains needs a string or an array, observed a ${typeName(observed)}` };
    default: {
      const left = typeof observed === "string" && observed.trim() !== "" ? Number(observed) : observed;
      if (typeof left !== "number" || Number.isNaN(left) || typeof expected !== "number") {
        return { ok: false, detail: `${operator} needs a number, observed a ${typeName(observed)}` };
      }
      const ok = operator === "<" ? left < expected : operator === "<=" ? left <= expected : operator === ">" ? left > expected : left >= expected;
      return { ok };
    }
  }
}

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}
