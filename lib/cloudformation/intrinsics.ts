// CloudFormation's intrinsic functions: recognising them, and finding every
// reference (Ref, Fn::GetAtt, Fn::Sub) inside a value, wherever it is nested.
import { isRecord } from "./Template.ts";

export const PSEUDO_PARAMETERS = new Set([
  "AWS::AccountId",
  "AWS::NotificationARNs",
  "AWS::NoValue",
  "AWS::Partition",
  "AWS::Region",
  "AWS::StackId",
  "AWS::StackName",
  "AWS::URLSuffix",
]);

export const INTRINSIC_FUNCTIONS = new Set([
  "Ref",
  "Condition",
  "Fn::Base64",
  "Fn::Cidr",
  "Fn::FindInMap",
  "Fn::GetAtt",
  "Fn::GetAZs",
  "Fn::ImportValue",
  "Fn::Join",
  "Fn::Length",
  "Fn::Select",
  "Fn::Split",
  "Fn::Sub",
  "Fn::ToJsonString",
  "Fn::Transform",
  "Fn::And",
  "Fn::Equals",
  "Fn::If",
  "Fn::Not",
  "Fn::Or",
]);

/** `{ "Ref": … }` or `{ "Fn::…": … }`: one key naming a function. An unknown `Fn::` name is reported by the reference check. */
export function intrinsicName(value: unknown): string | undefined {
  if (!isRecord(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const key = keys[0]!;
  return key === "Ref" || key.startsWith("Fn::") ? key : undefined;
}

export type Reference =
  | { kind: "Ref"; target: string; path: string }
  | { kind: "GetAtt"; target: string; attribute: string | undefined; path: string }
  | { kind: "Condition"; target: string; path: string }
  | { kind: "FindInMap"; target: string; path: string }
  | { kind: "UnknownFunction"; target: string; path: string }
  | { kind: "Malformed"; target: string; path: string };

/** The names inside `${…}` of an Fn::Sub string; `${!Literal}` is an escape, not a reference. */
export function subVariables(text: string): string[] {
  const names: string[] = [];
  for (const match of text.matchAll(/\$\{([^}]*)\}/g)) {
    const inner = match[1]!.trim();
    if (inner.startsWith("!")) continue;
    names.push(inner);
  }
  return names;
}

function subReferences(text: string, locals: ReadonlySet<string>, path: string, out: Reference[]): void {
  for (const name of subVariables(text)) {
    if (locals.has(name)) continue;
    // `${AWS::Region}` has no dot; `${Resource.Attribute}` is a GetAtt.
    const dot = name.indexOf(".");
    if (dot > 0) out.push({ kind: "GetAtt", target: name.slice(0, dot), attribute: name.slice(dot + 1), path });
    else out.push({ kind: "Ref", target: name, path });
  }
}

/** Every reference in `value`, with the path where it appears. */
export function findReferences(value: unknown, path: string, out: Reference[] = []): Reference[] {
  if (Array.isArray(value)) {
    value.forEach((item, i) => findReferences(item, `${path}[${i}]`, out));
    return out;
  }
  if (!isRecord(value)) return out;
  const name = intrinsicName(value);
  if (name === undefined) {
    for (const [key, child] of Object.entries(value)) findReferences(child, `${path}.${key}`, out);
    return out;
  }
  const arg = value[name];
  const at = `${path}.${name}`;
  switch (name) {
    case "Ref":
      if (typeof arg === "string") out.push({ kind: "Ref", target: arg, path: at });
      else out.push({ kind: "Malformed", target: "Ref must name a resource or parameter as a string", path: at });
      return out;
    case "Fn::GetAtt": {
      if (typeof arg === "string") {
        const dot = arg.indexOf(".");
        if (dot <= 0) out.push({ kind: "Malformed", target: `Fn::GetAtt "${arg}" is not Resource.Attribute`, path: at });
        else out.push({ kind: "GetAtt", target: arg.slice(0, dot), attribute: arg.slice(dot + 1), path: at });
      } else if (Array.isArray(arg) && arg.length === 2 && typeof arg[0] === "string") {
        // The attribute may itself be a Ref (to a parameter); then it is known only at deploy time.
        out.push({ kind: "GetAtt", target: arg[0], attribute: typeof arg[1] === "string" ? arg[1] : undefined, path: at });
        if (typeof arg[1] !== "string") findReferences(arg[1], `${at}[1]`, out);
      } else out.push({ kind: "Malformed", target: "Fn::GetAtt takes [Resource, Attribute]", path: at });
      return out;
    }
    case "Fn::Sub": {
      if (typeof arg === "string") subReferences(arg, new Set(), at, out);
      else if (Array.isArray(arg) && arg.length === 2 && typeof arg[0] === "string" && isRecord(arg[1])) {
        subReferences(arg[0], new Set(Object.keys(arg[1])), at, out);
        findReferences(arg[1], `${at}[1]`, out);
      } else out.push({ kind: "Malformed", target: "Fn::Sub takes a string or [string, {variables}]", path: at });
      return out;
    }
    case "Fn::If": {
      if (Array.isArray(arg) && arg.length === 3 && typeof arg[0] === "string") {
        out.push({ kind: "Condition", target: arg[0], path: at });
        findReferences(arg[1], `${at}[1]`, out);
        findReferences(arg[2], `${at}[2]`, out);
      } else out.push({ kind: "Malformed", target: "Fn::If takes [Condition, ValueIfTrue, ValueIfFalse]", path: at });
      return out;
    }
    case "Condition":
      if (typeof arg === "string") out.push({ kind: "Condition", target: arg, path: at });
      return out;
    case "Fn::FindInMap":
      if (Array.isArray(arg) && typeof arg[0] === "string") out.push({ kind: "FindInMap", target: arg[0], path: at });
      findReferences(arg, at, out);
      return out;
    default:
      if (!INTRINSIC_FUNCTIONS.has(name)) out.push({ kind: "UnknownFunction", target: name, path: at });
      findReferences(arg, at, out);
      return out;
  }
}
