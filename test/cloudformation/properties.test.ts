import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkProperties } from "../../lib/cloudformation/checkProperties.ts";
import { loadResourceSpec } from "../../lib/cloudformation/ResourceSpec.ts";
import type { Template } from "../../lib/cloudformation/Template.ts";
import { baseTemplate } from "./templates.ts";

const spec = await loadResourceSpec();
const messages = (t: Template) => checkProperties(t, spec).map((p) => `${p.path}: ${p.message}`);
const fnProps = (t: Template) => t.Resources!.MyLambdaFunction!.Properties as Record<string, unknown>;

describe("resource properties against the CloudFormation resource specification", () => {
  it("refuses an unknown resource type and an unknown property name", () => {
    const t = baseTemplate();
    t.Resources!.Topic = { Type: "AWS::SNS::Topics", Properties: {} };
    fnProps(t).Timeouts = 10;
    assert.deepEqual(messages(t), [
      'Resources.MyLambdaFunction.Properties.Timeouts: AWS::Lambda::Function has no property "Timeouts"',
      'Resources.Topic.Type: unknown resource type "AWS::SNS::Topics"',
    ]);
  });

  it("refuses a missing required property, at the top and in a nested type", () => {
    const t = baseTemplate();
    delete fnProps(t).Role;
    fnProps(t).DeadLetterConfig = {}; // optional object: fine empty
    t.Resources!.Archive = { Type: "AWS::S3::Bucket", Properties: { LifecycleConfiguration: { Rules: [{ Id: "expire", ExpirationInDays: 14 }] } } };
    assert.deepEqual(messages(t), [
      'Resources.MyLambdaFunction.Properties: AWS::Lambda::Function requires the property "Role"',
      'Resources.Archive.Properties.LifecycleConfiguration.Rules[0]: Rule requires the property "Status"',
    ]);
  });

  it("checks value types the way CloudFormation coerces them", () => {
    const t = baseTemplate();
    Object.assign(fnProps(t), {
      MemorySize: "a lot", // integer
      Architectures: "arm64", // list
      Environment: { Variables: { OK: 1, BAD: { nested: true } } }, // map of strings
      Timeout: "10", // a numeric string is an integer
      ReservedConcurrentExecutions: 2.5,
    });
    assert.deepEqual(messages(t).sort(), [
      'Resources.MyLambdaFunction.Properties.Architectures: expected list of string, got string "arm64"',
      "Resources.MyLambdaFunction.Properties.Environment.Variables.BAD: expected string, got an object",
      'Resources.MyLambdaFunction.Properties.MemorySize: expected integer, got string "a lot"',
      "Resources.MyLambdaFunction.Properties.ReservedConcurrentExecutions: expected an integer, got 2.5",
    ]);
  });

  it("refuses a value outside the allowed values, and checks both branches of Fn::If", () => {
    const t = baseTemplate();
    t.Resources!.Logs = { Type: "AWS::Logs::LogGroup", Properties: { RetentionInDays: { "Fn::If": ["Long", 400, 42] } } };
    assert.deepEqual(messages(t), [
      "Resources.Logs.Properties.RetentionInDays.Fn::If[2]: 42 is not one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653",
    ]);
  });

  it("accepts intrinsic functions anywhere, and any property of a custom resource but ServiceToken", () => {
    const t = baseTemplate();
    fnProps(t).MemorySize = { Ref: "Stage" };
    t.Resources!.Setup = { Type: "Custom::Setup", Properties: { ServiceToken: { "Fn::GetAtt": ["MyLambdaFunction", "Arn"] }, Anything: [1, { a: 2 }] } };
    t.Resources!.Broken = { Type: "AWS::CloudFormation::CustomResource", Properties: { Anything: 1 } };
    assert.deepEqual(messages(t), ['Resources.Broken.Properties: a custom resource requires the property "ServiceToken"']);
  });

  it("refuses unknown resource attributes and deletion policies", () => {
    const t = baseTemplate();
    t.Resources!.Queue!.DeletionPolicy = "Keep";
    (t.Resources!.Queue as Record<string, unknown>).Tags = [];
    assert.deepEqual(messages(t), [
      'Resources.Queue.Tags: unknown resource attribute "Tags"',
      'Resources.Queue.DeletionPolicy: DeletionPolicy must be one of Delete, Retain, RetainExceptOnCreate, Snapshot, got string "Keep"',
    ]);
  });
});
