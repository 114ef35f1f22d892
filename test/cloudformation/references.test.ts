import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkReferences } from "../../lib/cloudformation/checkReferences.ts";
import { findReferences, subVariables } from "../../lib/cloudformation/intrinsics.ts";
import { loadResourceSpec } from "../../lib/cloudformation/ResourceSpec.ts";
import { validateTemplate } from "../../lib/cloudformation/validateTemplate.ts";
import { baseTemplate, iotAuthorizerTemplate } from "./templates.ts";

const spec = await loadResourceSpec();
const messages = (t: Parameters<typeof checkReferences>[0]) => checkReferences(t, spec).map((p) => `${p.path}: ${p.message}`);

describe("references (Ref, Fn::GetAtt, Fn::Sub, DependsOn)", () => {
  it("accepts the valid base template with no problem at all", async () => {
    assert.deepEqual(await validateTemplate(baseTemplate(), { spec }), []);
  });

  it("refuses today's IoT authorizer blocker: Fn::GetAtt on IotDashboardAuthorizerLambdaFunction when the Framework named it IotDashauthorizerLambdaFunction", () => {
    const broken = messages(iotAuthorizerTemplate("IotDashboardAuthorizerLambdaFunction"));
    assert.deepEqual(broken, [
      'Resources.DashboardIotAuthorizer.Properties.AuthorizerFunctionArn.Fn::GetAtt: Fn::GetAtt names "IotDashboardAuthorizerLambdaFunction", which is not a resource of this template',
      'Resources.DashboardIotAuthorizerPermission.Properties.FunctionName.Fn::GetAtt: Fn::GetAtt names "IotDashboardAuthorizerLambdaFunction", which is not a resource of this template',
    ]);
    assert.deepEqual(messages(iotAuthorizerTemplate("IotDashauthorizerLambdaFunction")), []);
  });

  it("refuses a Ref to nothing, and accepts resources, parameters and pseudo parameters", () => {
    const t = baseTemplate();
    const env = (t.Resources!.MyLambdaFunction!.Properties as { Environment: { Variables: Record<string, unknown> } }).Environment.Variables;
    env.A = { Ref: "Stage" };
    env.B = { Ref: "AWS::Partition" };
    env.C = { Ref: "Missing" };
    env.D = { Ref: "AWS::Nowhere" };
    assert.deepEqual(messages(t), [
      'Resources.MyLambdaFunction.Properties.Environment.Variables.C.Ref: "Missing" is not a resource, parameter or pseudo parameter of this template',
      'Resources.MyLambdaFunction.Properties.Environment.Variables.D.Ref: "AWS::Nowhere" is not a resource, parameter or pseudo parameter of this template',
    ]);
  });

  it("refuses Fn::GetAtt of an attribute the resource type does not have, naming the ones it has", () => {
    const t = baseTemplate();
    t.Outputs!.Url = { Value: { "Fn::GetAtt": ["Queue", "Url"] } };
    t.Outputs!.Param = { Value: { "Fn::GetAtt": ["Stage", "Value"] } };
    const found = messages(t);
    assert.equal(found.length, 2);
    assert.match(found[0]!, /^Outputs\.Url\.Value\.Fn::GetAtt: AWS::SQS::Queue has no attribute "Url" \(it has Arn, QueueName, QueueUrl\)$/);
    assert.match(found[1]!, /"Stage", a parameter: only resources have attributes/);
  });

  it("reads ${X} as a Ref and ${X.Attr} as a Fn::GetAtt in Fn::Sub, skipping ${!Literal} and the Sub's own variables", () => {
    assert.deepEqual(subVariables("arn:${AWS::Partition}:x:${Queue.Arn}/${!Literal}/${Local}"), ["AWS::Partition", "Queue.Arn", "Local"]);
    const t = baseTemplate();
    t.Outputs!.Ok = { Value: { "Fn::Sub": ["${Queue.QueueName}-${Local}-${!NotARef}", { Local: { Ref: "Stage" } }] } };
    t.Outputs!.Bad = { Value: { "Fn::Sub": "${Nope}/${Queue.Nothing}/${Ghost.Arn}" } };
    assert.deepEqual(messages(t), [
      'Outputs.Bad.Value.Fn::Sub: "Nope" is not a resource, parameter or pseudo parameter of this template',
      'Outputs.Bad.Value.Fn::Sub: AWS::SQS::Queue has no attribute "Nothing" (it has Arn, QueueName, QueueUrl)',
      'Outputs.Bad.Value.Fn::Sub: Fn::GetAtt names "Ghost", which is not a resource of this template',
    ]);
  });

  it("refuses DependsOn on a missing resource or on itself, and an unknown intrinsic function", () => {
    const t = baseTemplate();
    t.Resources!.Queue!.DependsOn = ["Queue", "Elsewhere"];
    t.Outputs!.Typo = { Value: { "Fn::Getatt": ["Queue", "Arn"] } };
    assert.deepEqual(messages(t), [
      'Outputs.Typo.Value.Fn::Getatt: "Fn::Getatt" is not an intrinsic function',
      'Resources.Queue.DependsOn: "Queue" depends on itself',
      'Resources.Queue.DependsOn: DependsOn names "Elsewhere", which is not a resource of this template',
    ]);
  });

  it("finds references in both forms of Fn::GetAtt and inside other functions", () => {
    const refs = findReferences({ "Fn::Join": ["", [{ "Fn::GetAtt": "Queue.Arn" }, { Ref: "Stage" }]] }, "X");
    assert.deepEqual(refs.map((r) => [r.kind, r.target]), [["GetAtt", "Queue"], ["Ref", "Stage"]]);
  });
});
