import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import { formatProblems, validateTemplate } from "../../lib/cloudformation/validateTemplate.ts";
import { checkQueueContract } from "../../localcloud/resources/checkQueueContract.ts";
import { declaredResources } from "../../localcloud/resources/declaredResources.ts";
import { serverless } from "../helpers/serverlessCli.ts";

type Template = { Resources: Record<string, { Type: string; Properties: Record<string, any> }> };
const FUNCTIONS = [
  "api", "collect-market", "consume-news", "consume-prices", "infer-keywords", "infer-sentiment", "infer-summary",
  "ingest", "iot-authorizer", "scrape-news", "scrape-prices",
];
// @sparticuz/chromium ships an x64 Chromium only (docs/scraper.md); everything else is Graviton.
const X86_64 = new Set(["scrape-news", "scrape-prices"]);
const CHROMIUM_PACK = ["al2023.tar.br", "chromium.br", "fonts.tar.br", "swiftshader.tar.br"].map((f) => `node_modules/@sparticuz/chromium/bin/${f}`);
const SCRAPER_CONFIGS = ["coindesk", "coinmarketcap", "cryptocompare", "u.today"].map((c) => `scrapers/${c}.yaml`);
let outDir: string;
let template: Template;
let templateText: string;

before(async () => {
  outDir = mkdtempSync(join(tmpdir(), "cryptoviz-package-"));
  // No AWS credentials and no network to AWS: this must still work.
  await serverless(["package", "--stage", "prod", "--package", outDir]);
  templateText = readFileSync(join(outDir, "cloudformation-template-update-stack.json"), "utf8");
  template = JSON.parse(templateText);
});

const ofType = (type: string) => Object.entries(template.Resources).filter(([, r]) => r.Type === type);

describe("serverless package --stage prod (offline, no credentials)", () => {
  it("is a template CloudFormation accepts: references resolve, no cycle, properties per the resource specification, IAM documents well formed", async () => {
    const problems = await validateTemplate(JSON.parse(templateText), { templateBytes: Buffer.byteLength(templateText) });
    assert.equal(problems.length, 0, `CloudFormation would refuse the packaged template:\n${formatProblems(problems)}`);
  });

  it("produces one artifact per function, each carrying only its bundle and the native files it needs", () => {
    const zips = readdirSync(outDir).filter((f) => f.endsWith(".zip")).sort();
    assert.deepEqual(zips, FUNCTIONS.map((f) => `${f}.zip`));
    for (const fn of FUNCTIONS) {
      const listing = execFileSync("unzip", ["-Z1", join(outDir, `${fn}.zip`)], { encoding: "utf8" }).trim().split("\n").sort();
      const expected = [`functions/${fn}/handler.cjs`, `functions/${fn}/handler.cjs.map`];
      if (fn.startsWith("consume-")) expected.push("native/aws-crt/linux-arm64-glibc/aws-crt-nodejs.node");
      if (fn.startsWith("scrape-")) expected.push(...CHROMIUM_PACK, ...SCRAPER_CONFIGS);
      if (fn === "infer-sentiment") expected.push(...readdirSync("models/cryptoviz-sentiment").filter((f) => /\.(onnx|json)$/.test(f)).map((f) => `models/cryptoviz-sentiment/${f}`));
      // ONNX Runtime is never bundled: it comes from the linux-arm64 layer.
      if (!fn.startsWith("scrape-")) assert.ok(!listing.some((f) => f.includes("onnxruntime")), `${fn}.zip carries no ONNX Runtime`);
      assert.deepEqual(listing, expected.sort(), `${fn}.zip`);
    }
  });

  it("declares every function on nodejs22.x, arm64 but for the Chromium scrapers, each with its own IAM role", () => {
    const functions = ofType("AWS::Lambda::Function");
    assert.equal(functions.length, FUNCTIONS.length);
    const roles = new Set<string>();
    for (const [id, fn] of functions) {
      const key = String(fn.Properties.FunctionName).replace(/^cryptoviz-prod-/, "");
      assert.deepEqual(fn.Properties.Architectures, [X86_64.has(key) ? "x86_64" : "arm64"], id);
      assert.equal(fn.Properties.Runtime, "nodejs22.x", id);
      roles.add(JSON.stringify(fn.Properties.Role));
    }
    assert.equal(roles.size, FUNCTIONS.length, "least privilege: one role per function");
  });

  it("gives infer-sentiment the ONNX Runtime layer from SSM, so packaging needs no AWS account", () => {
    const [, fn] = ofType("AWS::Lambda::Function").find(([id]) => id === "InferDashsentimentLambdaFunction")!;
    assert.deepEqual(fn.Properties.Layers, [{ Ref: "OnnxRuntimeLayerArn" }]);
    const parameters = (template as unknown as { Parameters: Record<string, { Type: string }> }).Parameters;
    assert.equal(parameters.OnnxRuntimeLayerArn!.Type, "AWS::SSM::Parameter::Value<String>");
  });

  it("wires the queues with batch size, batching window, maximum concurrency and partial batch failures", () => {
    const mappings = ofType("AWS::Lambda::EventSourceMapping");
    assert.equal(mappings.length, 2);
    for (const [id, m] of mappings) {
      assert.deepEqual(m.Properties.FunctionResponseTypes, ["ReportBatchItemFailures"], id);
      assert.ok(m.Properties.ScalingConfig?.MaximumConcurrency >= 2, id);
      assert.ok(m.Properties.BatchSize >= 1, id);
      // Declared on every consumer (ARCHITECTURE.md), 0 included.
      const window = m.Properties.MaximumBatchingWindowInSeconds;
      assert.ok(typeof window === "number" && window >= 0 && window <= 300, `${id}: MaximumBatchingWindowInSeconds ${window}`);
      if (m.Properties.BatchSize > 10) assert.ok(window >= 1, `${id}: AWS requires a batching window of at least 1 s above 10 messages`);
    }
    const queues = Object.fromEntries(ofType("AWS::SQS::Queue"));
    for (const name of ["NewsTasksQueue", "PriceTasksQueue"]) {
      const q = queues[name]!.Properties;
      assert.equal(q.MaximumMessageSize, 262144);
      assert.ok(q.RedrivePolicy.maxReceiveCount >= 1);
      assert.ok(queues[q.RedrivePolicy.deadLetterTargetArn["Fn::GetAtt"][0]], `${name} has a declared DLQ`);
    }
  });

  it("passes the queue contract check the local cloud applies", () => {
    const functions = Object.fromEntries(
      ofType("AWS::Lambda::Function").map(([id, fn]) => [id, { name: fn.Properties.FunctionName, timeout: fn.Properties.Timeout, events: [] as Array<Record<string, unknown>> }]),
    );
    for (const [, m] of ofType("AWS::Lambda::EventSourceMapping")) {
      const fnId = m.Properties.FunctionName["Fn::GetAtt"][0];
      functions[fnId]!.events.push({
        sqs: {
          arn: m.Properties.EventSourceArn,
          batchSize: m.Properties.BatchSize,
          maximumBatchingWindow: m.Properties.MaximumBatchingWindowInSeconds,
          maximumConcurrency: m.Properties.ScalingConfig.MaximumConcurrency,
          functionResponseType: m.Properties.FunctionResponseTypes[0],
        },
      });
    }
    // The framework's own deployment bucket is not part of the application.
    const { ServerlessDeploymentBucket: _framework, ...resources } = template.Resources;
    const declared = declaredResources(resources, functions);
    assert.deepEqual(checkQueueContract(declared), []);
    assert.equal(declared.eventSources.length, 2);
  });

  it("deploys by default to ap-northeast-1, a region Binance, Kucoin and BitMEX all serve", () => {
    const state = JSON.parse(readFileSync(join(outDir, "serverless-state.json"), "utf8")) as { service: { provider: { region: string } } };
    assert.equal(state.service.provider.region, "ap-northeast-1");
  });

  it("points the IoT authorizer and its permission at the iot-authorizer function's resource", () => {
    const logicalId = createRequire(import.meta.url)("serverless/lib/plugins/aws/lib/naming.js").getLambdaLogicalId("iot-authorizer");
    assert.equal(template.Resources[logicalId]?.Type, "AWS::Lambda::Function");
    assert.deepEqual(template.Resources.DashboardIotAuthorizer!.Properties.AuthorizerFunctionArn, { "Fn::GetAtt": [logicalId, "Arn"] });
    assert.deepEqual(template.Resources.DashboardIotAuthorizerPermission!.Properties.FunctionName, { "Fn::GetAtt": [logicalId, "Arn"] });
  });

  it("lets the dashboard sign in from the distribution's root as well as /index.html", () => {
    const clients = ofType("AWS::Cognito::UserPoolClient") as Array<[string, { Properties: Record<string, unknown> }]>;
    assert.equal(clients.length, 1);
    const client = clients[0]![1];
    const paths = (key: string) => (client.Properties[key] as Array<{ "Fn::Join": [string, unknown[]] }>).map((j) => j["Fn::Join"][1].at(-1));
    // The page's redirect URI is its own origin + path (dashboard/src/auth/pkce.ts redirectUriOf).
    assert.deepEqual(paths("CallbackURLs"), ["/", "/index.html"]);
    assert.deepEqual(paths("LogoutURLs"), ["/", "/index.html"]);
  });
});
