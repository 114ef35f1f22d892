// Serverless Framework v3 plugin: the embedded local cloud's side of
// `serverless offline` and `serverless invoke local`.
// - creates the queues, dead-letter queues and buckets declared in serverless.yml
//   in the running local cloud (no second list to keep in sync);
// - runs the SQS event source mappings with AWS's semantics (batch size,
//   batching window, maximum concurrency, ReportBatchItemFailures);
// - runs every function in local Lambda containers (localcloud/lambda/) instead of
//   serverless-offline's worker threads;
// - refuses to deploy the `local` stage to AWS; after a deploy, uploads the
//   dashboard to its bucket with a config.json for the deployed stack;
// - on deploy stages, refuses secret values in the functions' environments and
//   arm64 scrapers without an arm64 Chromium pack (offline, at package time), and
//   before CloudFormation checks that every SSM
//   parameter the functions read exists and that the template is valid;
// - copies native binaries for linux-arm64 beside the bundles at package time;
// - `${functionLogicalId:<function>}` / `${functionRoleLogicalId:<function>}`: the
//   logical ids the Framework gives a function's resource and (with
//   serverless-iam-roles-per-function) its role, for resources that reference them;
// - `${localSecret(<default>):<ENV>}`: a local stage's secret from the environment.
// The implementation is TypeScript, compiled on load by tsx.
"use strict";

// tsx's CommonJS API compiles the TypeScript (ESM syntax) for require(); its ESM
// API cannot register its loader from a CommonJS caller on Node 20.
const tsx = require("tsx/cjs/api");

let loaded;
function impl() {
  loaded ??= Promise.resolve(tsx.require("./localCloudPlugin.ts", __filename));
  return loaded;
}

// Deploy stages only: checks, template validation, the dashboard upload (and what they import).
let deployLoaded;
function deploySteps() {
  deployLoaded ??= Promise.resolve(tsx.require("./deploySteps.ts", __filename));
  return deployLoaded;
}

// Serverless v3's config schema predates the nodejs22.x runtime that Lambda and
// CloudFormation accept; add it so configValidationMode stays "error".
function allowNodejs22(serverless) {
  const enumOf = serverless.configSchemaHandler?.schema?.definitions?.awsLambdaRuntime?.enum;
  if (Array.isArray(enumOf) && !enumOf.includes("nodejs22.x")) enumOf.push("nodejs22.x");
}

// The Framework names a function's resource after its key with non-alphanumerics
// spelled out (`iot-authorizer` → `IotDashauthorizerLambdaFunction`). A guessed
// name fails the whole change set, so resources that reference a function ask
// the Framework's own naming for it.
function functionLogicalIdSource(serverless, source, logicalId) {
  return {
    resolve({ address }) {
      const functions = serverless.configurationInput?.functions ?? {};
      if (!address || !Object.prototype.hasOwnProperty.call(functions, address)) {
        throw new serverless.classes.Error(`\${${source}:${address ?? ""}}: no function named "${address ?? ""}" in serverless.yml`);
      }
      return { value: logicalId(serverless.getProvider("aws").naming, address) };
    },
  };
}

// Local stages take their secrets from the environment (CRYPTOVIZ_INGEST_TOKEN …).
// The Framework resolves every stage's params, and writes them all into
// serverless-state.json, which a deploy uploads: read with ${env:…}, whatever a
// developer has exported would travel with a prod deploy. This source reads the
// environment only when the stage being run is a local one; otherwise "".
function localSecretSource(options) {
  return {
    async resolve({ address, params, resolveConfigurationProperty }) {
      const stage = options.stage ?? (await resolveConfigurationProperty(["provider", "stage"]));
      const stages = (await resolveConfigurationProperty(["custom", "localCloud", "stages"])) ?? ["local"];
      if (!stages.includes(stage)) return { value: "" };
      const value = process.env[address];
      return { value: value !== undefined && value !== "" ? value : (params?.[0] ?? "") };
    },
  };
}

class LocalCloudPlugin {
  constructor(serverless, options, { log }) {
    allowNodejs22(serverless);
    this.configurationVariablesSources = {
      functionLogicalId: functionLogicalIdSource(serverless, "functionLogicalId", (naming, fn) => naming.getLambdaLogicalId(fn)),
      // serverless-iam-roles-per-function names a function's role <NormalizedName><global role id>.
      functionRoleLogicalId: functionLogicalIdSource(serverless, "functionRoleLogicalId", (naming, fn) => naming.getNormalizedFunctionName(fn) + naming.getRoleLogicalId()),
      localSecret: localSecretSource(options),
    };
    this.serverless = serverless;
    this.options = options;
    this.log = log;
    this.running = undefined;
    this.runtime = undefined;
    this.exitWithLauncher();
    this.hooks = {
      "before:offline:start:init": () => this.bootstrap().then(() => this.startRuntime()),
      "after:offline:start:init": () => this.startMappings(),
      "offline:functionsUpdated:cleanup": () => this.functionsRebuilt(),
      "before:offline:start:end": () => this.stopMappings().then(() => this.stopRuntime()),
      "before:invoke:local:invoke": () => this.bootstrap(),
      "after:invoke:local:invoke": () => this.exitAfterInvoke(),
      "before:deploy:deploy": () => this.checkBeforeDeploy(),
      "after:deploy:deploy": () => this.publishDashboard(),
      "before:package:initialize": () => this.beforePackage(),
    };
  }

  // Started by `npm start`, serverless offline must not outlive the launcher, even
  // one killed with SIGKILL: the launcher holds our stdin, so its end means the
  // launcher (and the local cloud with it) is gone. Nothing can be drained then:
  // the pollers stop, the containers get SIGTERM, and this process exits.
  exitWithLauncher() {
    if (process.env.CRYPTOVIZ_EXIT_WITH_STDIN !== "1") return;
    let gone = false;
    const stop = () => {
      if (gone) return;
      gone = true;
      setTimeout(() => process.exit(1), 5000).unref();
      void Promise.allSettled([this.running?.stop(), this.runtime?.shutdown()]).then(() => process.exit(1));
    };
    process.stdin.on("end", stop).on("close", stop).on("error", stop).resume();
  }

  isLocal() {
    const stages = this.serverless.service.custom?.localCloud?.stages ?? ["local"];
    return stages.includes(this.serverless.service.provider.stage);
  }

  async bootstrap() {
    if (!this.isLocal()) return;
    const { bootstrapLocalCloud } = await impl();
    this.created = await bootstrapLocalCloud(this.serverless);
    const names = [...this.created.queues.values()].map((q) => q.name);
    this.log.verbose(`local cloud: queues ${names.join(", ")}; buckets ${this.created.buckets.join(", ")}`);
    for (const [old, n] of this.created.movedToFifo) {
      this.log.notice(`local cloud: ${old} is FIFO now; moved its ${n} message(s) to ${old}.fifo and deleted it`);
    }
  }

  // A handler keeps its connections open across invocations (MQTT, HTTP
  // keep-alive), as it should in Lambda; `invoke local` would then wait for them
  // forever. The result is printed by now, and this plugin's hook runs last.
  exitAfterInvoke() {
    process.exit(process.exitCode ?? 0);
  }

  async startMappings() {
    if (!this.isLocal() || !this.created) return;
    const { startMappings } = await impl();
    const log = this.log;
    this.running = startMappings(this.serverless, this.created, {
      info: (message, extra) => log.verbose(`${message} ${JSON.stringify(extra ?? {})}`),
      warn: (message, extra) => log.warning(`${message} ${JSON.stringify(extra ?? {})}`),
    });
    for (const m of this.running.mappings) {
      const s = m.settings;
      log.notice(
        `SQS → ${s.functionName}: batchSize ${s.batchSize}, window ${s.maximumBatchingWindowSeconds}s, ` +
          `maxConcurrency ${s.maximumConcurrency}${s.reportBatchItemFailures ? ", ReportBatchItemFailures" : ""}`,
      );
    }
  }

  async startRuntime() {
    if (!this.isLocal()) return;
    // The bundles are built by now. Unless --watch asked for rebuilds, esbuild's
    // service process (about 2 GB after building every function) has nothing left to do.
    if (process.env.CRYPTOVIZ_WATCH !== "true") await require("esbuild").stop();
    const { startLocalRuntime } = await impl();
    this.runtime = startLocalRuntime(this.serverless);
  }

  functionsRebuilt() {
    if (!this.runtime) return;
    this.runtime.recycle();
    this.log.notice("cryptoviz: functions rebuilt; their containers are replaced with the new code");
  }

  async stopRuntime() {
    await this.runtime?.shutdown();
    this.runtime = undefined;
  }

  async stopMappings() {
    if (this.running) await this.running.stop();
    this.running = undefined;
  }

  // Native binaries for linux-arm64 that esbuild cannot bundle are copied out of
  // node_modules at package time and zipped beside the bundle (native/README.md).
  prepareNativeBinaries() {
    const fs = require("node:fs");
    const path = require("node:path");
    const root = this.serverless.serviceDir ?? process.cwd();
    const crtEntry = require.resolve("aws-crt", { paths: [root] });
    const crtRoot = crtEntry.slice(0, crtEntry.lastIndexOf(`${path.sep}dist${path.sep}`));
    const binary = path.join(crtRoot, "dist", "bin", "linux-arm64-glibc", "aws-crt-nodejs.node");
    if (!fs.existsSync(binary)) throw new this.serverless.classes.Error(`aws-crt's linux-arm64 binary is missing at ${binary}: run npm install`);
    const target = path.join(root, "native", "aws-crt", "linux-arm64-glibc");
    fs.mkdirSync(target, { recursive: true });
    fs.copyFileSync(binary, path.join(target, "aws-crt-nodejs.node"));
  }

  // The dashboard goes to its bucket with a config.json for the deployed stack.
  async publishDashboard() {
    if (this.isLocal() || this.options.function) return;
    const { publishDeployedDashboard } = await deploySteps();
    const url = await publishDeployedDashboard(this.serverless);
    this.log.notice(`dashboard: ${url}`);
  }

  async beforePackage() {
    if (!this.isLocal()) {
      const { checkDeployConfig } = await deploySteps();
      await checkDeployConfig(this.serverless).catch((error) => {
        throw new this.serverless.classes.Error(error.message);
      });
    }
    this.prepareNativeBinaries();
  }

  async checkBeforeDeploy() {
    this.refuseLocalStage();
    if (this.options.function) return;
    const { checkBeforeDeploy } = await deploySteps();
    const checked = await checkBeforeDeploy(this.serverless).catch((error) => {
      throw new this.serverless.classes.Error(error.message);
    });
    this.log.notice(`deploy checks: ${checked}`);
  }

  refuseLocalStage() {
    if (this.isLocal()) {
      const stage = this.serverless.service.provider.stage;
      throw new this.serverless.classes.Error(`the '${stage}' stage runs on this machine only; deploy with --stage <name>, e.g. --stage prod`);
    }
  }
}

module.exports = LocalCloudPlugin;
