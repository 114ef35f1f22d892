// Every Ref, Fn::GetAtt, Fn::Sub and DependsOn must name something that exists
// when CloudFormation creates the change set: a resource, a parameter or a
// pseudo parameter — and for Fn::GetAtt, an attribute that resource type has.
// A name that does not resolve fails the whole change set, so nothing deploys.
import { findReferences, PSEUDO_PARAMETERS, type Reference } from "./intrinsics.ts";
import type { ResourceSpec } from "./ResourceSpec.ts";
import { isRecord, type Template, type TemplateProblem } from "./Template.ts";

/** The logical ids a resource's DependsOn lists (a string or a list of strings). */
export function dependsOnOf(dependsOn: unknown): { ids: string[]; malformed: boolean } {
  if (dependsOn === undefined) return { ids: [], malformed: false };
  if (typeof dependsOn === "string") return { ids: [dependsOn], malformed: false };
  if (Array.isArray(dependsOn) && dependsOn.every((d) => typeof d === "string")) return { ids: dependsOn, malformed: false };
  return { ids: [], malformed: true };
}

/** Where a template's references can be: resource properties and conditions, outputs, conditions. */
export function referencesIn(template: Template): Reference[] {
  const out: Reference[] = [];
  for (const [id, resource] of Object.entries(template.Resources ?? {})) {
    if (!isRecord(resource)) continue;
    findReferences(resource.Properties, `Resources.${id}.Properties`, out);
    if (typeof resource.Condition === "string") out.push({ kind: "Condition", target: resource.Condition, path: `Resources.${id}.Condition` });
  }
  for (const [id, output] of Object.entries(template.Outputs ?? {})) {
    if (!isRecord(output)) continue;
    findReferences(output.Value, `Outputs.${id}.Value`, out);
    findReferences(output.Export, `Outputs.${id}.Export`, out);
    if (typeof output.Condition === "string") out.push({ kind: "Condition", target: output.Condition, path: `Outputs.${id}.Condition` });
  }
  for (const [id, condition] of Object.entries(template.Conditions ?? {})) findReferences(condition, `Conditions.${id}`, out);
  return out;
}

function typeOf(template: Template, id: string): string | undefined {
  const type = template.Resources?.[id]?.Type;
  return typeof type === "string" ? type : undefined;
}

function checkGetAtt(template: Template, spec: ResourceSpec, ref: Extract<Reference, { kind: "GetAtt" }>): string | undefined {
  if (template.Parameters?.[ref.target] !== undefined) return `Fn::GetAtt names "${ref.target}", a parameter: only resources have attributes`;
  const type = typeOf(template, ref.target);
  if (!template.Resources?.[ref.target]) return `Fn::GetAtt names "${ref.target}", which is not a resource of this template`;
  if (ref.attribute === undefined || type === undefined) return undefined;
  // Custom resources return whatever their provider sends; nested stacks any Outputs.<name>.
  if (type.startsWith("Custom::") || type === "AWS::CloudFormation::CustomResource") return undefined;
  if (type === "AWS::CloudFormation::Stack" && ref.attribute.startsWith("Outputs.")) return undefined;
  const resourceType = spec.resourceType(type);
  if (!resourceType) return undefined; // the unknown type is reported by the property check
  if (!(ref.attribute in resourceType.attributes)) {
    const known = Object.keys(resourceType.attributes).sort();
    return `${type} has no attribute "${ref.attribute}" (it has ${known.length > 0 ? known.join(", ") : "none"})`;
  }
  return undefined;
}

export function checkReferences(template: Template, spec: ResourceSpec): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  const resources = template.Resources ?? {};
  const parameters = template.Parameters ?? {};
  for (const ref of referencesIn(template)) {
    let message: string | undefined;
    switch (ref.kind) {
      case "Ref":
        if (!(ref.target in resources) && !(ref.target in parameters) && !PSEUDO_PARAMETERS.has(ref.target)) {
          message = `"${ref.target}" is not a resource, parameter or pseudo parameter of this template`;
        }
        break;
      case "GetAtt":
        message = checkGetAtt(template, spec, ref);
        break;
      case "Condition":
        if (!(ref.target in (template.Conditions ?? {}))) message = `no condition named "${ref.target}"`;
        break;
      case "FindInMap":
        if (!(ref.target in (template.Mappings ?? {}))) message = `no mapping named "${ref.target}"`;
        break;
      case "UnknownFunction":
        message = `"${ref.target}" is not an intrinsic function`;
        break;
      case "Malformed":
        message = ref.target;
        break;
    }
    if (message) problems.push({ path: ref.path, message });
  }
  for (const [id, resource] of Object.entries(resources)) {
    if (!isRecord(resource)) continue;
    const { ids, malformed } = dependsOnOf(resource.DependsOn);
    const path = `Resources.${id}.DependsOn`;
    if (malformed) problems.push({ path, message: "DependsOn must be a logical id or a list of them" });
    for (const target of ids) {
      if (target === id) problems.push({ path, message: `"${id}" depends on itself` });
      else if (!(target in resources)) problems.push({ path, message: `DependsOn names "${target}", which is not a resource of this template` });
    }
  }
  return problems;
}
