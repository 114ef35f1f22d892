// The template as a whole: known sections, CloudFormation's quotas, logical ids
// and parameter types. These fail a deploy before any resource is looked at.
import { isRecord, type Template, type TemplateProblem } from "./Template.ts";

const SECTIONS = new Set(["AWSTemplateFormatVersion", "Description", "Metadata", "Parameters", "Rules", "Mappings", "Conditions", "Transform", "Resources", "Outputs"]);
// CloudFormation quotas (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html).
export const QUOTAS = { resources: 500, outputs: 200, parameters: 200, templateBytes: 1_000_000 } as const;
const PARAMETER_TYPES = /^(String|Number|List<Number>|CommaDelimitedList|AWS::SSM::Parameter::Name|AWS::SSM::Parameter::Value<.+>|AWS::[A-Za-z0-9]+::[A-Za-z0-9]+::[A-Za-z0-9.]+|List<AWS::[A-Za-z0-9:.]+>)$/;

export function checkTemplateShape(template: Template, templateBytes?: number): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });
  for (const key of Object.keys(template)) if (!SECTIONS.has(key)) add(key, `unknown template section "${key}"`);
  if (template.AWSTemplateFormatVersion !== undefined && template.AWSTemplateFormatVersion !== "2010-09-09") {
    add("AWSTemplateFormatVersion", `must be "2010-09-09", got ${JSON.stringify(template.AWSTemplateFormatVersion)}`);
  }
  const resources = template.Resources;
  if (!isRecord(resources) || Object.keys(resources).length === 0) add("Resources", "a template needs at least one resource");
  const counts: Array<[keyof typeof QUOTAS, string, unknown]> = [
    ["resources", "Resources", resources],
    ["outputs", "Outputs", template.Outputs],
    ["parameters", "Parameters", template.Parameters],
  ];
  for (const [quota, section, value] of counts) {
    const n = isRecord(value) ? Object.keys(value).length : 0;
    if (n > QUOTAS[quota]) add(section, `${n} ${quota}; CloudFormation allows ${QUOTAS[quota]}`);
  }
  if (templateBytes !== undefined && templateBytes > QUOTAS.templateBytes) add("", `the template is ${templateBytes} bytes; CloudFormation reads at most ${QUOTAS.templateBytes} from S3`);
  for (const section of ["Resources", "Outputs", "Parameters", "Conditions", "Mappings"] as const) {
    for (const id of Object.keys(template[section] ?? {})) {
      if (!/^[A-Za-z0-9]{1,255}$/.test(id)) add(`${section}.${id}`, "logical ids are letters and digits only (at most 255)");
    }
  }
  for (const [id, parameter] of Object.entries(template.Parameters ?? {})) {
    if (!isRecord(parameter) || typeof parameter.Type !== "string" || !PARAMETER_TYPES.test(parameter.Type)) {
      add(`Parameters.${id}.Type`, `unknown parameter type ${JSON.stringify(isRecord(parameter) ? parameter.Type : parameter)}`);
    }
  }
  for (const [id, output] of Object.entries(template.Outputs ?? {})) {
    if (!isRecord(output) || output.Value === undefined) add(`Outputs.${id}`, "an output needs a Value");
  }
  return problems;
}
