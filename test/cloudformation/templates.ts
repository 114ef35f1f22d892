// Small hand-made templates for the validator's tests: a valid base, and
// factories that change one thing in it.
import type { Template } from "../../lib/cloudformation/Template.ts";

/** A function with its role, a queue it reads, and an output: valid as it stands. */
export function baseTemplate(): Template {
  return {
    AWSTemplateFormatVersion: "2010-09-09",
    Parameters: { Stage: { Type: "String", Default: "prod" } },
    Resources: {
      Queue: { Type: "AWS::SQS::Queue", Properties: { VisibilityTimeout: 60, QueueName: { "Fn::Sub": "app-${Stage}-tasks" } } },
      FnRole: {
        Type: "AWS::IAM::Role",
        Properties: {
          AssumeRolePolicyDocument: {
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Principal: { Service: ["lambda.amazonaws.com"] }, Action: ["sts:AssumeRole"] }],
          },
          Policies: [
            {
              PolicyName: "read-queue",
              PolicyDocument: {
                Version: "2012-10-17",
                Statement: [{ Effect: "Allow", Action: ["sqs:ReceiveMessage"], Resource: { "Fn::GetAtt": ["Queue", "Arn"] } }],
              },
            },
          ],
        },
      },
      MyLambdaFunction: {
        Type: "AWS::Lambda::Function",
        Properties: {
          Code: { ZipFile: "exports.handler = async () => 1;" },
          Handler: "index.handler",
          Runtime: "nodejs22.x",
          Architectures: ["arm64"],
          Timeout: "10", // CloudFormation accepts numbers as strings
          Role: { "Fn::GetAtt": ["FnRole", "Arn"] },
          Environment: { Variables: { QUEUE_URL: { Ref: "Queue" }, REGION: { "Fn::Sub": "${AWS::Region}" } } },
        },
        DependsOn: ["FnRole"],
      },
    },
    Outputs: { FunctionArn: { Value: { "Fn::GetAtt": ["MyLambdaFunction", "Arn"] } } },
  };
}

/** Today's blocker in miniature: an IoT authorizer naming the function by a logical id the Framework never generates. */
export function iotAuthorizerTemplate(functionLogicalId: string): Template {
  const t = baseTemplate();
  t.Resources!.IotDashauthorizerLambdaFunction = t.Resources!.MyLambdaFunction!;
  delete t.Resources!.MyLambdaFunction;
  t.Outputs = {};
  t.Resources!.DashboardIotAuthorizer = {
    Type: "AWS::IoT::Authorizer",
    Properties: { AuthorizerFunctionArn: { "Fn::GetAtt": [functionLogicalId, "Arn"] }, SigningDisabled: true, Status: "ACTIVE" },
  };
  t.Resources!.DashboardIotAuthorizerPermission = {
    Type: "AWS::Lambda::Permission",
    Properties: {
      Action: "lambda:InvokeFunction",
      FunctionName: { "Fn::GetAtt": [functionLogicalId, "Arn"] },
      Principal: "iot.amazonaws.com",
      SourceArn: { "Fn::GetAtt": ["DashboardIotAuthorizer", "Arn"] },
    },
  };
  return t;
}
