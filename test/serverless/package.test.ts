import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { formatProblems, validateTemplate } from "../../lib/cloudformation/validateTemplate.ts";
import { checkQueueContract } from "../../localcloud/resources/checkQueueContract.ts";
import { checkBeforeDeploy } from "../../localcloud/serverless/deploySteps.ts";
import { DEPLOY_DEFAULT_REGION } from "../../lib/config/deployRegion.ts";
import { DASHBOARD_ROLE, rolesDigest, SCRAPPER_ROLE } from "../../lib/search-security/searchRoles.ts";
import { declaredResources } from "../../localcloud/resources/declaredResources.ts";
import { serverless } from "../helpers/serverlessCli.ts";

type Template = { Resources: Record<string, { Type: string; Properties: Record<string, any>; DeletionPolicy?: string; UpdateReplacePolicy?: string }> };
const FUNCTIONS = [
  "api", "collect-market", "collect-social", "consume-news", "consume-prices", "consume-social", "infer-keywords", "infer-sentiment", "infer-summary",
  "ingest", "iot-authorizer", "scrape-news", "scrape-prices", "search-security",
];
// @sparticuz/chromium ships an x64 Chromium only (docs/scraper.md); everything else is Graviton.
const X86_64 = new Set(["scrape-news", "scrape-prices"]);
const CHROMIUM_PACK = ["al2023.tar.br", "chromium.br", "fonts.tar.br", "swiftshader.tar.br"].map((f) => `node_modules/@sparticuz/chromium/bin/${f}`);
const SCRAPER_CONFIGS = ["coindesk", "coinmarketcap", "cryptocompare", "u.today"].map((c) => `scrapers/${c}.yaml`);
let outDir: string;
let template: Template;
let templateText: string;
// Values an operator might still have in the environment from local runs: they must reach no artifact.
const SECRETS = {
  CRYPTOVIZ_INGEST_TOKEN: `ingest-${randomBytes(12).toString("hex")}`,
  CRYPTOVIZ_INFERENCE_TOKEN: `inference-${randomBytes(12).toString("hex")}`,
  CRYPTOVIZ_DEV_TOKEN_SECRET: `devsecret-${randomBytes(12).toString("hex")}`,
  CRYPTOVIZ_MQTT_PUBLISHER_PASSWORD: `mqttpub-${randomBytes(12).toString("hex")}`,
  CRYPTOVIZ_MQTT_DASHBOARD_PASSWORD: `mqttdash-${randomBytes(12).toString("hex")}`,
};
const DEPLOY_PARAMS = ["--param=bucketPrefix=acme-cryptoviz", "--param=iotEndpoint=a1b2c3d4e5-ats.iot.eu-west-1.amazonaws.com"];

before(async () => {
  outDir = mkdtempSync(join(tmpdir(), "cryptoviz-package-"));
  // No AWS credentials and no network to AWS: this must still work.
  await serverless(["package", "--stage", "prod", "--package", outDir, ...DEPLOY_PARAMS], SECRETS);
  templateText = readFileSync(join(outDir, "cloudformation-template-update-stack.json"), "utf8");
  template = JSON.parse(templateText);
});

// The packaged artifacts are ~180 MB a run.
after(() => {
  if (outDir) rmSync(outDir, { recursive: true, force: true });
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
    assert.equal(mappings.length, 3);
    for (const [id, m] of mappings) {
      assert.deepEqual(m.Properties.FunctionResponseTypes, ["ReportBatchItemFailures"], id);
      assert.ok(m.Properties.ScalingConfig?.MaximumConcurrency >= 2, id);
      assert.ok(m.Properties.BatchSize >= 1, id);
      const window = m.Properties.MaximumBatchingWindowInSeconds;
      const queue = template.Resources[m.Properties.EventSourceArn["Fn::GetAtt"][0]] as { Properties: { FifoQueue?: boolean } };
      if (queue.Properties.FifoQueue) {
        // "Batching window is not supported for FIFO queues": left out altogether.
        assert.equal(window, undefined, `${id}: no MaximumBatchingWindowInSeconds on a FIFO queue's mapping`);
        assert.ok(m.Properties.BatchSize <= 10, `${id}: at most 10 messages from a FIFO queue`);
        continue;
      }
      // Declared on every consumer of a standard queue (ARCHITECTURE.md), 0 included.
      assert.ok(typeof window === "number" && window >= 0 && window <= 300, `${id}: MaximumBatchingWindowInSeconds ${window}`);
      if (m.Properties.BatchSize > 10) assert.ok(window >= 1, `${id}: AWS requires a batching window of at least 1 s above 10 messages`);
    }
    const queues = Object.fromEntries(ofType("AWS::SQS::Queue"));
    for (const name of ["NewsTasksQueue", "PriceTasksQueue", "SocialTasksQueue"]) {
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
    assert.equal(declared.eventSources.length, 3);
  });

  it("carries no secret value in any artifact: template, state, or any file of any zip", () => {
    const found: string[] = [];
    for (const file of readdirSync(outDir)) {
      const path = join(outDir, file);
      const texts = file.endsWith(".zip")
        ? execFileSync("unzip", ["-Z1", path], { encoding: "utf8" }).trim().split("\n").map((entry) => [`${file}:${entry}`, execFileSync("unzip", ["-p", path, entry], { maxBuffer: 512 * 1024 * 1024 }).toString("latin1")] as const)
        : [[file, readFileSync(path, "latin1")] as const];
      for (const [where, text] of texts) for (const [name, value] of Object.entries(SECRETS)) if (text.includes(value)) found.push(`${name} in ${where}`);
    }
    assert.deepEqual(found, []);
    // The functions get the parameters' names instead.
    const env = (id: string) => template.Resources[id]!.Properties.Environment.Variables;
    assert.equal(env("IngestLambdaFunction").INGEST_TOKEN_PARAMETER, "/cryptoviz/prod/ingest-token");
    assert.equal(env("InferDashsummaryLambdaFunction").INFERENCE_TOKEN_PARAMETER, "/cryptoviz/prod/inference-token");
  });

  it("lets each function read exactly the SSM parameters it names, and no other", () => {
    const roles = Object.fromEntries(ofType("AWS::IAM::Role"));
    for (const [id, fn] of ofType("AWS::Lambda::Function")) {
      const named = Object.entries(fn.Properties.Environment.Variables as Record<string, unknown>)
        .filter(([k, v]) => k.endsWith("_PARAMETER") && v !== "")
        .map(([, v]) => `arn:\${AWS::Partition}:ssm:\${AWS::Region}:\${AWS::AccountId}:parameter${v}`)
        .sort();
      const role = roles[fn.Properties.Role["Fn::GetAtt"][0]]!;
      const statements = role.Properties.Policies.flatMap((p: { PolicyDocument: { Statement: Array<Record<string, any>> } }) => p.PolicyDocument.Statement);
      const ssm = statements.filter((st: Record<string, any>) => JSON.stringify(st.Action).includes("ssm:"));
      assert.ok(ssm.every((st: Record<string, any>) => JSON.stringify(st.Action) === '["ssm:GetParameter"]'), `${id}: GetParameter only`);
      assert.deepEqual(ssm.map((st: Record<string, any>) => st.Resource["Fn::Sub"]).sort(), named, id);
    }
    const readers = ofType("AWS::Lambda::Function")
      .filter(([, fn]) => Object.entries(fn.Properties.Environment.Variables as Record<string, unknown>).some(([k, v]) => k.endsWith("_PARAMETER") && v !== ""))
      .map(([id]) => id)
      .sort();
    assert.deepEqual(readers, ["ConsumeDashnewsLambdaFunction", "ConsumeDashsocialLambdaFunction", "InferDashkeywordsLambdaFunction", "InferDashsentimentLambdaFunction", "InferDashsummaryLambdaFunction", "IngestLambdaFunction"]);
  });

  it("stops a deploy before CloudFormation when a secret's SSM parameter is missing or not a SecureString, naming it and the command that creates it", async () => {
    const state = JSON.parse(readFileSync(join(outDir, "serverless-state.json"), "utf8"));
    const asked: string[] = [];
    const deploying = (existing: Record<string, string>) => ({
      service: { ...state.service, provider: { ...state.service.provider, compiledCloudFormationTemplate: template } },
      // AWS itself cannot run here: a provider that answers SSM from `existing`, and records every call.
      getProvider: () => ({
        naming: { getStackName: () => "cryptoviz-prod" },
        getRegion: () => "eu-west-1",
        getCredentials: () => ({}),
        request: async (service: string, method: string, params: { Names: string[] }) => {
          asked.push(`${service}.${method}`);
          return { Parameters: params.Names.filter((n) => existing[n]).map((n) => ({ Name: n, Type: existing[n] })), InvalidParameters: params.Names.filter((n) => !existing[n]) };
        },
      }),
    });
    await assert.rejects(checkBeforeDeploy(deploying({ "/cryptoviz/prod/inference-token": "String" }) as never), (e: Error) => {
      assert.match(e.message, /missing SSM parameter \/cryptoviz\/prod\/ingest-token \(INGEST_TOKEN for ingest\); create it:\n\s+aws ssm put-parameter --region eu-west-1 --type SecureString --name \/cryptoviz\/prod\/ingest-token/);
      assert.match(e.message, /SSM parameter \/cryptoviz\/prod\/inference-token \(INFERENCE_TOKEN for consume-news, consume-social, infer-keywords, infer-sentiment, infer-summary\) is a String, not a SecureString/);
      return true;
    });
    const ok = await checkBeforeDeploy(deploying({ "/cryptoviz/prod/ingest-token": "SecureString", "/cryptoviz/prod/inference-token": "SecureString" }) as never);
    assert.match(ok, /^2 SSM parameter\(s\) present .*; template valid$/);
    assert.deepEqual([...new Set(asked)], ["SSM.getParameters"], "nothing but SSM was asked: CloudFormation comes after");
  });

  it("refuses a secret passed as a --param on a deploy stage, before building anything", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cryptoviz-package-refused-"));
    const refused = await serverless(["package", "--stage", "prod", "--package", dir, ...DEPLOY_PARAMS, `--param=ingestToken=${SECRETS.CRYPTOVIZ_INGEST_TOKEN}`]).then(
      () => assert.fail("packaging should refuse the secret"),
      (e: { stdout: string; stderr: string }) => `${e.stdout}${e.stderr}`,
    );
    assert.match(refused, /ingest: INGEST_TOKEN has a value; on a deployed stage it would be written into the CloudFormation template/);
    assert.ok(!refused.includes(SECRETS.CRYPTOVIZ_INGEST_TOKEN), "the message does not repeat the value");
    assert.ok(!existsSync(join(dir, "cloudformation-template-update-stack.json")));
    rmSync(dir, { recursive: true, force: true });
  });

  it("grants the API's role searches of cryptoviz-* only, and ingest writes under raw/ and payloads/ only", () => {
    const statements = (roleId: string) =>
      template.Resources[roleId]!.Properties.Policies.flatMap((p: { PolicyDocument: { Statement: Array<Record<string, any>> } }) => p.PolicyDocument.Statement);
    const es = statements("ApiIamRoleLambdaExecution").filter((st: Record<string, any>) => JSON.stringify(st.Action).includes("es:"));
    assert.deepEqual(es.map((st: Record<string, any>) => [st.Action, st.Resource["Fn::Join"][1][1]]), [[["es:ESHttpGet", "es:ESHttpPost"], "/cryptoviz-*/_search"]]);
    const s3 = statements("IngestIamRoleLambdaExecution").filter((st: Record<string, any>) => JSON.stringify(st.Action).includes("s3:"));
    assert.deepEqual(s3.map((st: Record<string, any>) => [st.Action, st.Resource.map((r: Record<string, any>) => r["Fn::Join"][1][1])]), [[["s3:PutObject"], ["/raw/*", "/payloads/*"]]]);
  });

  it("turns on fine-grained access control with an IAM master user, and maps the api's role to cryptoviz-dashboard and the consumers' to cryptoviz-scrapper", () => {
    const domain = template.Resources.SearchDomain!.Properties;
    assert.deepEqual(domain.AdvancedSecurityOptions, { Enabled: true, InternalUserDatabaseEnabled: false, MasterUserOptions: { MasterUserARN: { "Fn::GetAtt": ["SearchSecurityRole", "Arn"] } } });
    assert.ok(domain.EncryptionAtRestOptions.Enabled && domain.NodeToNodeEncryptionOptions.Enabled && domain.DomainEndpointOptions.EnforceHTTPS, "what fine-grained access control requires");
    const security = template.Resources.SearchSecurity!;
    assert.equal(security.Type, "Custom::SearchSecurity");
    assert.deepEqual(security.Properties.ServiceToken, { "Fn::GetAtt": ["SearchDashsecurityLambdaFunction", "Arn"] });
    assert.deepEqual(security.Properties.DashboardRoleArns, [{ "Fn::GetAtt": ["ApiIamRoleLambdaExecution", "Arn"] }]);
    assert.deepEqual(security.Properties.ScrapperRoleArns, [{ "Fn::GetAtt": ["ConsumeDashnewsIamRoleLambdaExecution", "Arn"] }, { "Fn::GetAtt": ["ConsumeDashpricesIamRoleLambdaExecution", "Arn"] }, { "Fn::GetAtt": ["ConsumeDashsocialIamRoleLambdaExecution", "Arn"] }]);
    assert.equal(security.Properties.RolesDigest, rolesDigest(), `serverless.yml's RolesDigest must follow ${DASHBOARD_ROLE}/${SCRAPPER_ROLE}'s definitions: set it to "${rolesDigest()}"`);
    // The master role may call the security API and write its logs; nothing else.
    const actions = template.Resources.SearchSecurityRole!.Properties.Policies[0].PolicyDocument.Statement.flatMap((st: { Action: string[] }) => st.Action).sort();
    assert.deepEqual(actions, ["es:ESHttpGet", "es:ESHttpPut", "logs:CreateLogStream", "logs:PutLogEvents"]);
  });

  it("throttles the HTTP API: a default for the reads, its own limits for the webhook and the inference routes", () => {
    const stage = template.Resources.HttpApiStage!.Properties;
    assert.deepEqual([stage.DefaultRouteSettings.ThrottlingRateLimit, stage.DefaultRouteSettings.ThrottlingBurstLimit], [50, 100]);
    assert.deepEqual(stage.RouteSettings["POST /ingest/{kind}"], { ThrottlingRateLimit: 10, ThrottlingBurstLimit: 20 });
    const routeKeys = ofType("AWS::ApiGatewayV2::Route").map(([, r]) => r.Properties.RouteKey);
    for (const key of Object.keys(stage.RouteSettings)) assert.ok(routeKeys.includes(key), `throttled route ${key} exists`);
  });

  it("reserves no concurrency unless asked, and bounds the scheduled functions' overlap (no async retry, timeout within the schedule)", () => {
    for (const id of ["ScrapeDashnewsLambdaFunction", "ScrapeDashpricesLambdaFunction"]) {
      assert.deepEqual(template.Resources[id]!.Properties.ReservedConcurrentExecutions, { "Fn::If": ["ScraperConcurrencyReserved", 1, { Ref: "AWS::NoValue" }] }, id);
    }
    const conditions = (template as unknown as { Conditions: Record<string, unknown> }).Conditions;
    assert.deepEqual(conditions.ScraperConcurrencyReserved, { "Fn::Equals": ["false", "true"] }, "off by default");
    const rate = (fn: string) => {
      const [, rule] = ofType("AWS::Events::Rule").find(([id]) => id.startsWith(fn))!;
      const [, n] = /^rate\((\d+) minutes?\)$/.exec(rule.Properties.ScheduleExpression)!;
      return Number(n) * 60;
    };
    const retries = Object.fromEntries(ofType("AWS::Lambda::EventInvokeConfig").map(([id, c]) => [id.replace(/LambdaEvConf$/, ""), c.Properties.MaximumRetryAttempts]));
    assert.deepEqual(retries, { CollectDashmarket: 0, CollectDashsocial: 0, ScrapeDashnews: 0, ScrapeDashprices: 0 });
    const timeout = (id: string) => template.Resources[`${id}LambdaFunction`]!.Properties.Timeout;
    assert.ok(timeout("ScrapeDashnews") < rate("ScrapeDashnews") && timeout("ScrapeDashprices") < rate("ScrapeDashprices"), "a scraper run ends before the next starts");
    // collect-market overlaps on purpose, by at most one run: 60 s < timeout < 120 s.
    assert.ok(timeout("CollectDashmarket") > rate("CollectDashmarket") && timeout("CollectDashmarket") < 2 * rate("CollectDashmarket"));
    // collect-social resumes from its cursor: its window ends before the next run starts, its timeout within two runs.
    assert.ok(timeout("CollectDashsocial") < 2 * rate("CollectDashsocial"));
  });

  it("keeps the data when the stack goes (Retain), refuses plain HTTP to the buckets, and versions the archive with noncurrent expiry", () => {
    for (const id of ["RawArchiveBucket", "DashboardBucket", "SearchDomain", "DashboardUserPool"]) {
      assert.deepEqual([template.Resources[id]!.DeletionPolicy, template.Resources[id]!.UpdateReplacePolicy], ["Retain", "Retain"], id);
    }
    for (const [policyId, bucketId] of [["RawArchiveBucketPolicy", "RawArchiveBucket"], ["DashboardBucketPolicy", "DashboardBucket"]] as const) {
      const tls = template.Resources[policyId]!.Properties.PolicyDocument.Statement.find((st: { Sid?: string }) => st.Sid === "TlsOnly");
      assert.deepEqual([tls.Effect, tls.Principal, tls.Action, tls.Condition], ["Deny", "*", "s3:*", { Bool: { "aws:SecureTransport": "false" } }], policyId);
      assert.deepEqual(tls.Resource[0], { "Fn::GetAtt": [bucketId, "Arn"] });
    }
    const raw = template.Resources.RawArchiveBucket!.Properties;
    assert.deepEqual(raw.VersioningConfiguration, { Status: "Enabled" });
    const noncurrent = raw.LifecycleConfiguration.Rules.filter((r: Record<string, any>) => r.NoncurrentVersionExpiration);
    assert.deepEqual(noncurrent.map((r: Record<string, any>) => [r.Prefix ?? "*", r.NoncurrentVersionExpiration.NoncurrentDays]), [["*", 30], ["state/", 1]]);
  });

  it("sizes the prod search domain for a zone failure: at least two data nodes with zone awareness", () => {
    const cluster = template.Resources.SearchDomain!.Properties.ClusterConfig;
    assert.ok(cluster.InstanceCount >= 2 && cluster.ZoneAwarenessEnabled === true, JSON.stringify(cluster));
    assert.ok(cluster.ZoneAwarenessConfig.AvailabilityZoneCount >= 2 && cluster.InstanceCount % cluster.ZoneAwarenessConfig.AvailabilityZoneCount === 0, "as many nodes in each zone");
  });

  it("deploys by default to eu-west-1, a region Binance, Kucoin and BitMEX all serve, the default the scripts assume too", () => {
    const state = JSON.parse(readFileSync(join(outDir, "serverless-state.json"), "utf8")) as { service: { provider: { region: string } } };
    assert.equal(state.service.provider.region, "eu-west-1");
    assert.equal(DEPLOY_DEFAULT_REGION, state.service.provider.region, "lib/config/deployRegion.ts and serverless.yml agree");
  });

  it("points the IoT authorizer and its permission at the iot-authorizer function's resource", () => {
    const logicalId = createRequire(import.meta.url)("serverless/lib/plugins/aws/lib/naming.js").getLambdaLogicalId("iot-authorizer");
    assert.equal(template.Resources[logicalId]?.Type, "AWS::Lambda::Function");
    assert.deepEqual(template.Resources.DashboardIotAuthorizer!.Properties.AuthorizerFunctionArn, { "Fn::GetAtt": [logicalId, "Arn"] });
    assert.deepEqual(template.Resources.DashboardIotAuthorizerPermission!.Properties.FunctionName, { "Fn::GetAtt": [logicalId, "Arn"] });
  });

  it("makes the API and the IoT authorizer require tokens issued for the stack's Cognito app client", () => {
    for (const id of ["ApiLambdaFunction", "IotDashauthorizerLambdaFunction"]) {
      const env = template.Resources[id]!.Properties.Environment.Variables;
      assert.equal(env.API_AUTH, "oidc", id);
      assert.deepEqual(env.API_OIDC_AUDIENCE, { Ref: "DashboardUserPoolClient" }, id);
    }
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
