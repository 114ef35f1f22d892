import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkTemplateShape, QUOTAS } from "../../lib/cloudformation/checkTemplateShape.ts";
import { baseTemplate } from "./templates.ts";

describe("template shape and quotas", () => {
  it("refuses unknown sections, bad logical ids, unknown parameter types and outputs without a value", () => {
    const t = baseTemplate() as Record<string, unknown> & ReturnType<typeof baseTemplate>;
    t.Resource = {};
    t.Resources!["my-queue"] = { Type: "AWS::SQS::Queue" };
    t.Parameters!.Size = { Type: "Integer" };
    t.Outputs!.Empty = {};
    assert.deepEqual(checkTemplateShape(t).map((p) => `${p.path}: ${p.message}`), [
      'Resource: unknown template section "Resource"',
      "Resources.my-queue: logical ids are letters and digits only (at most 255)",
      'Parameters.Size.Type: unknown parameter type "Integer"',
      "Outputs.Empty: an output needs a Value",
    ]);
  });

  it("accepts SSM parameter types and refuses more resources than CloudFormation allows, and an oversized template", () => {
    const t = baseTemplate();
    t.Parameters!.Layer = { Type: "AWS::SSM::Parameter::Value<String>", Default: "/x" };
    assert.deepEqual(checkTemplateShape(t), []);
    for (let i = 0; i < QUOTAS.resources; i++) t.Resources![`Q${i}`] = { Type: "AWS::SQS::Queue" };
    assert.deepEqual(checkTemplateShape(t, 1_200_000).map((p) => p.message), [
      `${QUOTAS.resources + 3} resources; CloudFormation allows ${QUOTAS.resources}`,
      "the template is 1200000 bytes; CloudFormation reads at most 1000000 from S3",
    ]);
  });
});
