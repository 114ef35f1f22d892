// The plugin as the Framework loads it (plugin.cjs, TypeScript through tsx's
// CommonJS loader): its `${functionLogicalId:<function>}` variable against the
// Framework's own naming module, and its deploy-stage hooks.
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { describe, it } from "node:test";
import { serverless as serverlessCli } from "../helpers/serverlessCli.ts";

const require = createRequire(import.meta.url);
const LocalCloudPlugin = require("../../localcloud/serverless/plugin.cjs");
const naming = require("serverless/lib/plugins/aws/lib/naming.js");

class FrameworkError extends Error {}
const serverless = {
  configurationInput: { functions: { "iot-authorizer": {}, api: {} } },
  getProvider: () => ({ naming }),
  classes: { Error: FrameworkError },
};
const sources = new LocalCloudPlugin(serverless, {}, { log: {} }).configurationVariablesSources;
const source = sources.functionLogicalId;

describe("${functionLogicalId:<function>}", () => {
  it("resolves to the logical id the Framework gives the function's resource", () => {
    assert.deepEqual(source.resolve({ address: "iot-authorizer" }), { value: "IotDashauthorizerLambdaFunction" });
    assert.deepEqual(source.resolve({ address: "api" }), { value: "ApiLambdaFunction" });
  });

  it("${functionRoleLogicalId:<function>} names the role serverless-iam-roles-per-function creates for it", () => {
    assert.deepEqual(sources.functionRoleLogicalId.resolve({ address: "iot-authorizer" }), { value: "IotDashauthorizerIamRoleLambdaExecution" });
    assert.throws(() => sources.functionRoleLogicalId.resolve({ address: "nope" }), /functionRoleLogicalId:nope.*no function named "nope"/);
  });

  it("refuses a function serverless.yml does not declare, naming it, instead of producing a reference to nothing", () => {
    assert.throws(() => source.resolve({ address: "iot-authoriser" }), (e: Error) => e instanceof FrameworkError && /no function named "iot-authoriser"/.test(e.message));
  });
});

describe("deploy-stage hooks, loaded the way the Framework loads them", () => {
  const deployStage = (environment: Record<string, string>, provider: Record<string, unknown> = {}) => {
    const fake = {
      ...serverless,
      service: {
        provider: { stage: "prod", region: "eu-west-1", environment: {} },
        custom: { localCloud: { stages: ["local", "localstack"] }, notifyEnvironment: {}, dashboardDeploy: {} },
        functions: { ingest: { environment } },
      },
      serviceDir: process.cwd(),
      getProvider: () => ({ naming, getRegion: () => "eu-west-1", getCredentials: () => ({}), ...provider }),
    };
    const log = { notice() {}, verbose() {}, warning() {} };
    return new LocalCloudPlugin(fake, {}, { log });
  };

  it("refuses, at package time, a secret's value in a deploy stage's environment, naming the function and variable", async () => {
    const plugin = deployStage({ INGEST_TOKEN: "a-real-secret-value", INGEST_TOKEN_PARAMETER: "" });
    await assert.rejects(plugin.hooks["before:package:initialize"](), (e: Error) => e instanceof FrameworkError && /ingest: INGEST_TOKEN has a value/.test(e.message) && !e.message.includes("a-real-secret-value"));
    const dev = deployStage({ API_AUTH: "dev", API_DEV_TOKEN_SECRET: "" });
    await assert.rejects(dev.hooks["before:package:initialize"](), /ingest: API_AUTH is "dev", the local development login/);
  });

  it("refuses, at package time, arm64 scrapers without an arm64 Chromium pack URL, and lets them through with one", async () => {
    const withScraper = (architecture: string, env: Record<string, string>) => {
      const plugin = deployStage({});
      plugin.serverless.service.functions = { "scrape-news": { architecture, environment: env } };
      return plugin.hooks["before:package:initialize"]();
    };
    await assert.rejects(withScraper("arm64", { CHROMIUM_PACK_URL: "" }), (e: Error) => e instanceof FrameworkError && /scrape-news runs on arm64.*chromiumPackUrl=https:/.test(e.message));
    await withScraper("arm64", { CHROMIUM_PACK_URL: "https://packs.example.com/chromium-v143.0.4-pack.arm64.tar" });
    await withScraper("x86_64", { CHROMIUM_PACK_URL: "" });
  });

  it("resolves the arm64 option in serverless.yml: architecture, a zip without the x64 pack, the pack URL", async () => {
    const url = "https://packs.example.com/chromium-v143.0.4-pack.arm64.tar";
    const { stdout } = await serverlessCli(["print", "--stage", "prod", "--format", "json", "--param=scraperArchitecture=arm64", `--param=chromiumPackUrl=${url}`]);
    const config = JSON.parse(stdout) as { functions: Record<string, { architecture: string; package: { patterns: string[] }; environment: Record<string, string> }> };
    for (const fn of ["scrape-news", "scrape-prices"]) {
      assert.deepEqual([config.functions[fn]!.architecture, config.functions[fn]!.package.patterns, config.functions[fn]!.environment.CHROMIUM_PACK_URL], ["arm64", ["scrapers/**"], url], fn);
    }
  });

  it("runs the post-deploy dashboard step through the same loader (no TypeScript left to a dynamic import)", async () => {
    const plugin = deployStage({}, { naming: { getStackName: () => "cryptoviz-prod" }, request: async () => ({ Stacks: [{ Outputs: [] }] }) });
    // The step gets as far as reading its settings: every module it needs was loaded.
    await assert.rejects(plugin.hooks["after:deploy:deploy"](), /iotEndpoint is not set/);
  });
});
