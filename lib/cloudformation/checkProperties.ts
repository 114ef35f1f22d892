// Every resource's Properties against the resource specification: the type is
// known, no property name is unknown, required properties are present, and each
// value has the type CloudFormation expects (with CloudFormation's own leniency:
// numbers and booleans given as strings are accepted, and so is any intrinsic
// function, whose result is known only at deploy time).
import { intrinsicName } from "./intrinsics.ts";
import type { PropertySpec, PropertyType, ResourceSpec } from "./ResourceSpec.ts";
import { isRecord, type Template, type TemplateProblem } from "./Template.ts";

const RESOURCE_KEYS = new Set(["Type", "Properties", "DependsOn", "Condition", "DeletionPolicy", "UpdateReplacePolicy", "Metadata", "UpdatePolicy", "CreationPolicy"]);
const DELETION_POLICIES = new Set(["Delete", "Retain", "RetainExceptOnCreate", "Snapshot"]);
const CUSTOM_RESOURCE = "AWS::CloudFormation::CustomResource";

function describe(type: PropertyType): string {
  switch (type.type) {
    case "array":
      return `list of ${describe(type.element)}`;
    case "map":
      return `map of ${describe(type.element)}`;
    case "union":
      return type.types.map(describe).join(" | ");
    case "ref":
      return "object";
    default:
      return type.type;
  }
}

function kindOf(value: unknown): string {
  if (Array.isArray(value)) return "a list";
  if (value === null) return "null";
  if (isRecord(value)) return "an object";
  return `${typeof value} ${JSON.stringify(value)}`;
}

class PropertyChecker {
  constructor(
    private readonly spec: ResourceSpec,
    private readonly problems: TemplateProblem[],
  ) {}

  private add(path: string, message: string): void {
    this.problems.push({ path, message });
  }

  /** Checks a map of properties against their specification (a resource's Properties, or a nested type). */
  object(value: unknown, properties: Record<string, PropertySpec>, path: string, what: string): void {
    if (!isRecord(value)) {
      this.add(path, `${what} must be an object, got ${kindOf(value)}`);
      return;
    }
    for (const [name, child] of Object.entries(value)) {
      const property = properties[name];
      if (!property) {
        this.add(`${path}.${name}`, `${what} has no property "${name}"`);
        continue;
      }
      this.value(child, property.type, `${path}.${name}`);
    }
    for (const [name, property] of Object.entries(properties)) {
      if (property.required && !(name in value)) this.add(path, `${what} requires the property "${name}"`);
    }
  }

  value(value: unknown, type: PropertyType, path: string): void {
    const fn = intrinsicName(value);
    if (fn !== undefined) {
      // Fn::If: each branch must fit (Ref AWS::NoValue removes the property).
      const arg = (value as Record<string, unknown>)[fn];
      if (fn === "Fn::If" && Array.isArray(arg) && arg.length === 3) {
        for (const i of [1, 2]) if (!isNoValue(arg[i])) this.value(arg[i], type, `${path}.Fn::If[${i}]`);
      }
      return;
    }
    switch (type.type) {
      case "string":
      case "date-time":
        // CloudFormation turns numbers and booleans into strings.
        if (!["string", "number", "boolean"].includes(typeof value)) this.add(path, `expected ${type.type}, got ${kindOf(value)}`);
        else if (type.type === "string" && type.allowedValues && !type.allowedValues.includes(String(value))) {
          this.add(path, `${JSON.stringify(value)} is not one of ${type.allowedValues.join(", ")}`);
        }
        return;
      case "integer":
      case "number": {
        const n = typeof value === "number" ? value : typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : NaN;
        if (Number.isNaN(n)) this.add(path, `expected ${type.type}, got ${kindOf(value)}`);
        else if (type.type === "integer" && !Number.isInteger(n)) this.add(path, `expected an integer, got ${n}`);
        else if (type.type === "integer" && type.allowedValues && !type.allowedValues.includes(n)) this.add(path, `${n} is not one of ${type.allowedValues.join(", ")}`);
        return;
      }
      case "boolean":
        if (typeof value !== "boolean" && value !== "true" && value !== "false") this.add(path, `expected boolean, got ${kindOf(value)}`);
        return;
      case "json":
        // A JSON document: an object, or a string holding one (CloudFormation accepts both).
        if (!isRecord(value) && !Array.isArray(value) && typeof value !== "string") this.add(path, `expected a JSON object, got ${kindOf(value)}`);
        return;
      case "null":
        if (value !== null) this.add(path, `expected null, got ${kindOf(value)}`);
        return;
      case "tag":
        this.object(value, { Key: { type: { type: "string" }, required: true }, Value: { type: { type: "string" }, required: true } }, path, "a tag");
        return;
      case "array":
        if (!Array.isArray(value)) {
          this.add(path, `expected ${describe(type)}, got ${kindOf(value)}`);
          return;
        }
        value.forEach((item, i) => this.value(item, type.element, `${path}[${i}]`));
        return;
      case "map":
        if (!isRecord(value)) {
          this.add(path, `expected ${describe(type)}, got ${kindOf(value)}`);
          return;
        }
        for (const [key, item] of Object.entries(value)) this.value(item, type.element, `${path}.${key}`);
        return;
      case "union": {
        // Fits if any alternative fits; otherwise report the alternative that came closest.
        let best: TemplateProblem[] | undefined;
        for (const alternative of type.types) {
          const attempt: TemplateProblem[] = [];
          new PropertyChecker(this.spec, attempt).value(value, alternative, path);
          if (attempt.length === 0) return;
          if (!best || attempt.length < best.length) best = attempt;
        }
        this.problems.push(...(best ?? []));
        return;
      }
      case "ref": {
        const definition = this.spec.typeDefinition(type.reference.$ref);
        if (!definition) return; // unknown to this copy of the specification: nothing to check against
        this.object(value, definition.properties, path, definition.name);
        return;
      }
    }
  }
}

function isNoValue(value: unknown): boolean {
  return isRecord(value) && value.Ref === "AWS::NoValue";
}

/** Resource types, resource attributes and properties against the specification. */
export function checkProperties(template: Template, spec: ResourceSpec): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  const checker = new PropertyChecker(spec, problems);
  for (const [id, resource] of Object.entries(template.Resources ?? {})) {
    const path = `Resources.${id}`;
    if (!isRecord(resource)) {
      problems.push({ path, message: "a resource must be an object" });
      continue;
    }
    for (const key of Object.keys(resource)) {
      if (!RESOURCE_KEYS.has(key)) problems.push({ path: `${path}.${key}`, message: `unknown resource attribute "${key}"` });
    }
    for (const key of ["DeletionPolicy", "UpdateReplacePolicy"] as const) {
      const policy = resource[key];
      if (policy !== undefined && !(typeof policy === "string" && DELETION_POLICIES.has(policy))) {
        problems.push({ path: `${path}.${key}`, message: `${key} must be one of ${[...DELETION_POLICIES].join(", ")}, got ${kindOf(policy)}` });
      }
    }
    const type = resource.Type;
    if (typeof type !== "string") {
      problems.push({ path: `${path}.Type`, message: "Type is required and must be a string" });
      continue;
    }
    const properties = resource.Properties ?? {};
    if (type.startsWith("Custom::") || type === CUSTOM_RESOURCE) {
      // A custom resource takes any properties; its provider is named by ServiceToken.
      if (!isRecord(properties) || properties.ServiceToken === undefined) {
        problems.push({ path: `${path}.Properties`, message: "a custom resource requires the property \"ServiceToken\"" });
      }
      continue;
    }
    const resourceType = spec.resourceType(type);
    if (!resourceType) {
      problems.push({ path: `${path}.Type`, message: `unknown resource type "${type}"` });
      continue;
    }
    checker.object(properties, resourceType.properties, `${path}.Properties`, type);
  }
  return problems;
}
