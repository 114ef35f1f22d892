import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkPolicyDocument, checkPolicyDocuments } from "../../lib/cloudformation/checkPolicyDocuments.ts";
import { baseTemplate } from "./templates.ts";

const doc = (statement: Record<string, unknown>) => ({ Version: "2012-10-17", Statement: [statement] });
const messages = (document: unknown, kind: "identity" | "resource" | "trust") => checkPolicyDocument(document, kind, "P").map((p) => `${p.path}: ${p.message}`);

describe("IAM policy documents", () => {
  it("accepts well-formed identity, resource and trust policies", () => {
    assert.deepEqual(messages(doc({ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*", Condition: { StringLike: { "s3:prefix": ["a/*"] } } }), "identity"), []);
    assert.deepEqual(messages(doc({ Sid: "Tls", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } }), "resource"), []);
    assert.deepEqual(messages(doc({ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }), "trust"), []);
  });

  it("refuses a bad Effect, a missing Action, a malformed action and a resource that is not an ARN", () => {
    assert.deepEqual(messages(doc({ Effect: "allow", Action: ["s3GetObject"], Resource: ["bucket/*"] }), "identity"), [
      'P.Statement[0].Effect: Effect must be "Allow" or "Deny", got "allow"',
      'P.Statement[0].Action[0]: an action "s3GetObject" is not "service:Action"',
      'P.Statement[0].Resource[0]: a resource "bucket/*" is neither "*" nor an ARN (arn:partition:service:region:account:resource)',
    ]);
    assert.deepEqual(messages(doc({ Effect: "Allow", Resource: "*" }), "identity"), ["P.Statement[0]: a statement needs exactly one of Action and NotAction"]);
  });

  it("refuses a principal in an identity policy, none in a resource policy, and a resource in a trust policy", () => {
    assert.match(messages(doc({ Effect: "Allow", Principal: "*", Action: "s3:*", Resource: "*" }), "identity")[0]!, /must not name a Principal/);
    assert.match(messages(doc({ Effect: "Allow", Action: "s3:*", Resource: "*" }), "resource")[0]!, /must name a Principal/);
    assert.match(messages(doc({ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole", Resource: "*" }), "trust")[0]!, /must not name a Resource/);
  });

  it("refuses unknown elements, unknown condition operators, keys without a prefix, duplicate Sids and a wrong Version", () => {
    const found = messages(
      {
        Version: "2012-10-18",
        Statement: [
          { Sid: "A", Effect: "Allow", Action: "s3:*", Resource: "*", Condition: { StringEqualz: { "aws:x": "1" }, Bool: { SecureTransport: "true" } } },
          { Sid: "A", Effect: "Allow", Action: "s3:*", Resources: "*" },
        ],
      },
      "identity",
    );
    assert.deepEqual(found, [
      'P.Version: Version must be "2012-10-17" (or "2008-10-17"), got "2012-10-18"',
      'P.Statement[0].Condition.StringEqualz: unknown condition operator "StringEqualz"',
      'P.Statement[0].Condition.Bool.SecureTransport: condition key "SecureTransport" has no service prefix (aws:…, s3:…)',
      'P.Statement[1].Resources: unknown statement element "Resources"',
      'P.Statement[1].Sid: duplicate Sid "A"',
      "P.Statement[1]: a statement needs Resource or NotResource",
    ]);
  });

  it("finds the documents of a template's roles and checks each by its kind", () => {
    const t = baseTemplate();
    const role = t.Resources!.FnRole!.Properties as { Policies: Array<{ PolicyDocument: { Statement: Array<Record<string, unknown>> } }> };
    role.Policies[0]!.PolicyDocument.Statement[0]!.Principal = "*";
    assert.deepEqual(checkPolicyDocuments(t).map((p) => p.path), ["Resources.FnRole.Properties.Policies[0].PolicyDocument.Statement[0]"]);
  });
});
