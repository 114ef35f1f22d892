// IAM policy documents in a template must be well formed, or IAM refuses them
// when the resource is created ("MalformedPolicyDocument") and the stack rolls
// back. Identity policies name no principal and must name resources; resource
// policies must name a principal; trust policies name a principal and no resource.
import { intrinsicName } from "./intrinsics.ts";
import { isRecord, type Template, type TemplateProblem } from "./Template.ts";

export type PolicyKind = "identity" | "resource" | "trust";

/** Where policy documents sit, per resource type: property path → kind. `[]` is every item of a list. */
const POLICY_LOCATIONS: Record<string, Array<[string[], PolicyKind]>> = {
  "AWS::IAM::Role": [
    [["AssumeRolePolicyDocument"], "trust"],
    [["Policies", "[]", "PolicyDocument"], "identity"],
  ],
  "AWS::IAM::User": [[["Policies", "[]", "PolicyDocument"], "identity"]],
  "AWS::IAM::Group": [[["Policies", "[]", "PolicyDocument"], "identity"]],
  "AWS::IAM::Policy": [[["PolicyDocument"], "identity"]],
  "AWS::IAM::ManagedPolicy": [[["PolicyDocument"], "identity"]],
  "AWS::IAM::RolePolicy": [[["PolicyDocument"], "identity"]],
  "AWS::S3::BucketPolicy": [[["PolicyDocument"], "resource"]],
  "AWS::SQS::QueuePolicy": [[["PolicyDocument"], "resource"]],
  "AWS::SNS::TopicPolicy": [[["PolicyDocument"], "resource"]],
  "AWS::KMS::Key": [[["KeyPolicy"], "resource"]],
  "AWS::OpenSearchService::Domain": [[["AccessPolicies"], "resource"]],
  "AWS::SecretsManager::ResourcePolicy": [[["ResourcePolicy"], "resource"]],
};

const STATEMENT_KEYS = new Set(["Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition"]);
const PRINCIPAL_KEYS = new Set(["AWS", "Service", "Federated", "CanonicalUser"]);
const CONDITION_OPERATORS = new Set([
  "StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase", "StringLike", "StringNotLike",
  "NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals", "NumericGreaterThan", "NumericGreaterThanEquals",
  "DateEquals", "DateNotEquals", "DateLessThan", "DateLessThanEquals", "DateGreaterThan", "DateGreaterThanEquals",
  "Bool", "BinaryEquals", "IpAddress", "NotIpAddress", "ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike", "Null",
]);

type Add = (path: string, message: string) => void;

const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);

function checkStrings(value: unknown, path: string, add: Add, what: string, valid: (s: string) => boolean, hint: string): void {
  if (intrinsicName(value) !== undefined) return;
  const items = asList(value);
  if (items.length === 0) add(path, `${what} must not be empty`);
  items.forEach((item, i) => {
    const at = Array.isArray(value) ? `${path}[${i}]` : path;
    if (intrinsicName(item) !== undefined) return;
    if (typeof item !== "string") add(at, `${what} must be a string, got ${JSON.stringify(item)}`);
    else if (!valid(item)) add(at, `${what} "${item}" ${hint}`);
  });
}

const validAction = (s: string) => s === "*" || /^[a-z0-9-]+:[A-Za-z0-9*?]+$/i.test(s);
// arn:partition:service:region:account:resource — the resource part may itself hold colons.
const validResource = (s: string) => s === "*" || (s.startsWith("arn:") && s.split(":").length >= 6);

function checkPrincipal(value: unknown, path: string, add: Add): void {
  if (value === "*" || intrinsicName(value) !== undefined) return;
  if (!isRecord(value)) {
    add(path, `a principal must be "*" or an object of AWS, Service, Federated or CanonicalUser, got ${JSON.stringify(value)}`);
    return;
  }
  for (const [key, names] of Object.entries(value)) {
    if (!PRINCIPAL_KEYS.has(key)) add(`${path}.${key}`, `unknown principal type "${key}"`);
    else if (key === "Service") checkStrings(names, `${path}.${key}`, add, "a service principal", (s) => /\.amazonaws\.com(\.cn)?$/.test(s), "is not a service principal (<service>.amazonaws.com)");
    else checkStrings(names, `${path}.${key}`, add, `a ${key} principal`, (s) => s.length > 0, "is empty");
  }
}

function checkCondition(value: unknown, path: string, add: Add): void {
  if (!isRecord(value)) {
    add(path, "Condition must be an object of operators");
    return;
  }
  for (const [operator, block] of Object.entries(value)) {
    const base = operator.replace(/^For(All|Any)Value:/, "").replace(/IfExists$/, "");
    if (!CONDITION_OPERATORS.has(base)) add(`${path}.${operator}`, `unknown condition operator "${operator}"`);
    if (!isRecord(block)) {
      add(`${path}.${operator}`, "a condition operator takes an object of condition keys");
      continue;
    }
    for (const key of Object.keys(block)) {
      if (!key.includes(":")) add(`${path}.${operator}.${key}`, `condition key "${key}" has no service prefix (aws:…, s3:…)`);
    }
  }
}

function checkStatement(statement: unknown, kind: PolicyKind, path: string, add: Add, sids: Set<string>): void {
  if (intrinsicName(statement) !== undefined) return;
  if (!isRecord(statement)) {
    add(path, "a statement must be an object");
    return;
  }
  for (const key of Object.keys(statement)) if (!STATEMENT_KEYS.has(key)) add(`${path}.${key}`, `unknown statement element "${key}"`);
  const { Sid, Effect } = statement;
  if (Sid !== undefined) {
    if (typeof Sid !== "string" || !/^[A-Za-z0-9]*$/.test(Sid)) add(`${path}.Sid`, "Sid must be letters and digits only");
    else if (sids.has(Sid)) add(`${path}.Sid`, `duplicate Sid "${Sid}"`);
    else sids.add(Sid);
  }
  if (Effect !== "Allow" && Effect !== "Deny") add(`${path}.Effect`, `Effect must be "Allow" or "Deny", got ${JSON.stringify(Effect)}`);
  const has = (k: string) => statement[k] !== undefined;
  if (has("Action") === has("NotAction")) add(path, "a statement needs exactly one of Action and NotAction");
  for (const k of ["Action", "NotAction"]) if (has(k)) checkStrings(statement[k], `${path}.${k}`, add, "an action", validAction, 'is not "service:Action"');
  const principal = has("Principal") || has("NotPrincipal");
  if (has("Principal") && has("NotPrincipal")) add(path, "a statement takes Principal or NotPrincipal, not both");
  if (kind === "identity" && principal) add(path, "an identity policy must not name a Principal (it applies to the role or user it is attached to)");
  if (kind !== "identity" && !principal) add(path, `a ${kind} policy statement must name a Principal`);
  for (const k of ["Principal", "NotPrincipal"]) if (has(k)) checkPrincipal(statement[k], `${path}.${k}`, add);
  const resource = has("Resource") || has("NotResource");
  if (has("Resource") && has("NotResource")) add(path, "a statement takes Resource or NotResource, not both");
  if (kind === "trust" && resource) add(path, "a trust policy must not name a Resource");
  if (kind !== "trust" && !resource) add(path, "a statement needs Resource or NotResource");
  for (const k of ["Resource", "NotResource"]) if (has(k)) checkStrings(statement[k], `${path}.${k}`, add, "a resource", validResource, 'is neither "*" nor an ARN (arn:partition:service:region:account:resource)');
  if (has("Condition")) checkCondition(statement.Condition, `${path}.Condition`, add);
}

/** One policy document: Version, Statement, and each statement's elements. */
export function checkPolicyDocument(document: unknown, kind: PolicyKind, path: string): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  const add: Add = (p, message) => problems.push({ path: p, message });
  if (intrinsicName(document) !== undefined) return problems;
  let doc = document;
  if (typeof doc === "string") {
    try {
      doc = JSON.parse(doc);
    } catch {
      add(path, "a policy document given as a string must be JSON");
      return problems;
    }
  }
  if (!isRecord(doc)) {
    add(path, "a policy document must be an object");
    return problems;
  }
  for (const key of Object.keys(doc)) if (!["Version", "Id", "Statement"].includes(key)) add(`${path}.${key}`, `unknown policy element "${key}"`);
  // A missing Version is accepted (IAM then reads the 2008 language, where policy
  // variables stay literal text: the Framework's own bucket policy has none).
  if (doc.Version !== undefined && doc.Version !== "2012-10-17" && doc.Version !== "2008-10-17") {
    add(`${path}.Version`, `Version must be "2012-10-17" (or "2008-10-17"), got ${JSON.stringify(doc.Version)}`);
  }
  const statements = doc.Statement;
  if (statements === undefined || (Array.isArray(statements) && statements.length === 0)) add(path, "a policy document needs at least one Statement");
  const sids = new Set<string>();
  asList(statements ?? []).forEach((s, i) => checkStatement(s, kind, Array.isArray(statements) ? `${path}.Statement[${i}]` : `${path}.Statement`, add, sids));
  return problems;
}

function valuesAt(value: unknown, steps: readonly string[], path: string): Array<[unknown, string]> {
  if (steps.length === 0) return value === undefined ? [] : [[value, path]];
  const [step, ...rest] = steps as [string, ...string[]];
  if (step === "[]") return Array.isArray(value) ? value.flatMap((item, i) => valuesAt(item, rest, `${path}[${i}]`)) : [];
  return isRecord(value) ? valuesAt(value[step], rest, `${path}.${step}`) : [];
}

/** Every policy document of the template's resources, checked by kind. */
export function checkPolicyDocuments(template: Template): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  for (const [id, resource] of Object.entries(template.Resources ?? {})) {
    if (!isRecord(resource) || typeof resource.Type !== "string") continue;
    for (const [steps, kind] of POLICY_LOCATIONS[resource.Type] ?? []) {
      for (const [document, path] of valuesAt(resource.Properties, steps, `Resources.${id}.Properties`)) {
        problems.push(...checkPolicyDocument(document, kind, path));
      }
    }
  }
  return problems;
}
