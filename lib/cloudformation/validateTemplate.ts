// Validates a CloudFormation template the way CloudFormation does before it
// creates anything: its shape and quotas, every reference, dependency cycles,
// every resource's properties against the resource specification, and the IAM
// policy documents. Returns the problems; an empty list means it would be accepted
// as far as these checks go (what only AWS knows — names taken, quotas of the
// account — is out of reach offline).
import { checkPolicyDocuments } from "./checkPolicyDocuments.ts";
import { checkProperties } from "./checkProperties.ts";
import { checkReferences } from "./checkReferences.ts";
import { checkTemplateShape } from "./checkTemplateShape.ts";
import { findCycles } from "./findCycles.ts";
import { loadResourceSpec, type ResourceSpec } from "./ResourceSpec.ts";
import type { Template, TemplateProblem } from "./Template.ts";

export async function validateTemplate(template: Template, options: { spec?: ResourceSpec; templateBytes?: number } = {}): Promise<TemplateProblem[]> {
  const spec = options.spec ?? (await loadResourceSpec());
  return [
    ...checkTemplateShape(template, options.templateBytes),
    ...checkReferences(template, spec),
    ...findCycles(template),
    ...checkProperties(template, spec),
    ...checkPolicyDocuments(template),
  ];
}

export function formatProblems(problems: readonly TemplateProblem[]): string {
  return problems.map((p) => `${p.path ? `${p.path}: ` : ""}${p.message}`).join("\n");
}
