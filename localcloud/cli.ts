// `npm start`: the embedded local cloud plus `serverless offline` (stage local).
// `npm run localcloud`: the local cloud alone (for `serverless invoke local`).
// Flags: --clean (start from an empty data directory), --demo (also run the local
// market and Jetstream simulators and collect from them every minute), --logs (every function log
// line on the terminal, not only warnings and errors), --watch (rebuild the
// functions when their sources change). See README: Configuration.
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { HeadObjectCommand, ListBucketsCommand, S3Client } from "@aws-sdk/client-s3";
import { SQSClient } from "@aws-sdk/client-sqs";
import { ConfigError } from "../lib/config/ConfigError.ts";
import { envOptional, envString } from "../lib/config/readEnv.ts";
import type { BuildResult } from "../lib/dashboard/buildDashboard.ts";
import { buildDashboardApart } from "./buildDashboardApart.ts";
import { issueDevToken } from "../lib/auth/issueDevToken.ts";
import { DEV_USER, publishLocalDashboard } from "../lib/dashboard/publishLocalDashboard.ts";
import { S3DashboardBucket } from "../lib/adapters/aws/S3DashboardBucket.ts";
import { QueueAdmin } from "../lib/adapters/aws/QueueAdmin.ts";
import { demoStreams, startDemoHistory, type DemoHistoryRun } from "./demo/loadDemoHistory.ts";
import { postDemoNews } from "./demo/postDemoNews.ts";
import { readLocalCloudConfig, type LocalCloudConfig } from "./LocalCloudConfig.ts";
import { LogRouter } from "./logs/LogRouter.ts";
import { MemoryLog } from "./logs/MemoryLog.ts";
import { MALLOC_ENV } from "./mallocEnv.ts";
import { TradeRetention } from "./retention/TradeRetention.ts";
import { startJetstreamSimulator, type JetstreamSimulator } from "./social-sim/startJetstreamSimulator.ts";
import { fileURLToPath } from "node:url";
import { startInThread, type ThreadPart } from "./threads/startInThread.ts";
import { assertPortsFree, PortInUseError, waitForPortsFree } from "./portCheck.ts";
import { startLocalCloud, type LocalCloud } from "./startLocalCloud.ts";

const STAGE = "local";
/** Pairs the demo market can price; each exchange lists only what the collector reads (demoListings). */
const DEMO_PAIRS = ["BTC-USDT", "ETH-USDT", "SOL-USDT", "BTC-USD", "ETH-USD"];
const OFFLINE_READY_TIMEOUT_MS = 90_000;

/** Each exchange's listings in the demo: the collector's settings, so no market runs that nobody collects. */
function demoListings(): Record<string, string[]> {
  const listed: Record<string, string[]> = {};
  for (const { exchange, symbol } of demoStreams(process.env)) (listed[exchange] ??= []).push(symbol.toUpperCase());
  return listed;
}

function fail(message: string): never {
  console.error(`cryptoviz: ${message}`);
  process.exit(1);
}

async function waitForHttp(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`serverless offline exited with code ${child.exitCode} before it was ready`);
    try {
      await fetch(url, { signal: AbortSignal.timeout(1000) });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(`serverless offline did not answer on ${url} within ${timeoutMs / 1000} s`);
}

async function summary(config: LocalCloudConfig, cloud: LocalCloud, withApi: boolean, market?: { port: number }, dashboardNote = "", social?: JetstreamSimulator): Promise<string> {
  const credentials = { accessKeyId: "local", secretAccessKey: "local" };
  const sqs = new SQSClient({ region: config.region, endpoint: cloud.sqsS3Url, credentials });
  const s3 = new S3Client({ region: config.region, endpoint: cloud.sqsS3Url, credentials, forcePathStyle: true });
  try {
    const queues = await new QueueAdmin(sqs, `cryptoviz-${STAGE}-`).list();
    const { Buckets = [] } = await s3.send(new ListBucketsCommand({}));
    const dashboardBucket = Buckets.find((b) => b.Name?.endsWith("-dashboard"))?.Name;
    let dashboard = "not built yet";
    if (dashboardBucket) {
      const exists = await s3.send(new HeadObjectCommand({ Bucket: dashboardBucket, Key: "index.html" })).then(() => true, () => false);
      if (exists) dashboard = `${cloud.sqsS3Url}/${dashboardBucket}/index.html`;
    }
    const { ports, identities, host } = config;
    const lines = [
      "",
      `CryptoViz local cloud is up (stage ${STAGE}, data in ${config.dataDir})`,
      ...(withApi
        ? [`  HTTP API         http://${host}:${ports.api.port}      POST /ingest/{news|prices}, POST /infer/*, GET /health, GET /markets /news … (docs/api.md)`, `  Lambda invoke    http://${host}:${ports.lambda.port}`]
        : []),
      `  SQS + S3         ${cloud.sqsS3Url}`,
      `  search           ${cloud.searchUrl}      (OpenSearch REST API)`,
      `  MQTT TCP         ${cloud.mqttTcpUrl}     publisher identity: ${identities.publisher.username}`,
      `  MQTT WebSocket   ${cloud.mqttWsUrl}  dashboard identity: ${identities.dashboard.username} / ${identities.dashboard.password} (subscribe only)`,
      `  dashboard        ${dashboard}${dashboardNote}`,
      ...(market
        ? [`  market sim       http://${host}:${market.port} (Binance, Kucoin, Bitmex; ${config.demoTradesPerSecond} trades/s per stream; collect-market runs every minute)`]
        : []),
      ...(social
        ? [`  jetstream sim    ${social.url}/subscribe (${config.demoSocialRate} events/s, seeded posts about coins and noise; collect-social runs every minute)`]
        : []),
      "  queues:",
      ...queues
        .filter((q) => q.deadLetter)
        .map((q) => `    ${q.name}  →  DLQ ${q.deadLetter!.name} after ${q.deadLetter!.maxReceiveCount} receives   (depth ${q.depth}, DLQ ${q.deadLetter!.depth})`),
      `  buckets:         ${Buckets.map((b) => b.Name).join(", ") || "none yet"}`,
      withApi ? "Press Ctrl-C to stop." : "Local cloud only (no functions served). Press Ctrl-C to stop.",
      "",
    ];
    return lines.join("\n");
  } finally {
    sqs.destroy();
    s3.destroy();
  }
}

function startOffline(config: LocalCloudConfig, options: { demo: boolean; watch: boolean }, logs: LogRouter): ChildProcess {
  const require = createRequire(import.meta.url);
  const serverlessBin = require.resolve("serverless/bin/serverless.js");
  // Its own process group, so that Ctrl-C reaches the launcher first and the
  // shutdown order stays: mappings drain, functions stop, then the cloud closes.
  // Its stdin is a pipe this process holds: if the launcher dies, even by SIGKILL,
  // the pipe closes and serverless offline stops (localcloud/serverless/plugin.cjs).
  const child = spawn(process.execPath, [serverlessBin, "offline", "start", "--stage", STAGE], {
    stdio: ["pipe", "pipe", "pipe"],
    detached: true,
    env: {
      ...process.env,
      CRYPTOVIZ_SQS_S3_PORT: String(config.ports.sqsS3.port),
      CRYPTOVIZ_SEARCH_PORT: String(config.ports.search.port),
      CRYPTOVIZ_MQTT_PORT: String(config.ports.mqttTcp.port),
      CRYPTOVIZ_API_PORT: String(config.ports.api.port),
      CRYPTOVIZ_LAMBDA_PORT: String(config.ports.lambda.port),
      CRYPTOVIZ_MQTT_PUBLISHER_USER: config.identities.publisher.username,
      CRYPTOVIZ_MQTT_PUBLISHER_PASSWORD: config.identities.publisher.password,
      CRYPTOVIZ_MARKET_SIM_PORT: String(config.ports.marketSim.port),
      CRYPTOVIZ_JETSTREAM_PORT: String(config.ports.jetstream.port),
      CRYPTOVIZ_DEMO: options.demo ? "true" : "false",
      CRYPTOVIZ_WATCH: options.watch ? "true" : "false",
      CRYPTOVIZ_DATA_DIR: config.dataDir,
      CRYPTOVIZ_EXIT_WITH_STDIN: "1",
      CRYPTOVIZ_LOG_PROTOCOL: "launcher",
      SLS_TELEMETRY_DISABLED: "1",
      SLS_NOTIFICATIONS_MODE: "off",
    },
  });
  for (const stream of ["stdout", "stderr"] as const) {
    createInterface({ input: child[stream]!, crlfDelay: Infinity }).on("line", (line) => logs.serverlessLine(line, stream));
  }
  return child;
}

/**
 * Asks serverless offline to stop (it drains the mappings, then retires the
 * containers); whatever of its process group is left after `timeoutMs` is killed.
 * A batch still running then returns to its queue, where it is kept.
 */
function stopChild(child: ChildProcess, timeoutMs = 15_000): Promise<void> {
  return new Promise((resolve) => {
    const killGroup = () => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        /* already gone */
      }
    };
    if (child.exitCode !== null || child.signalCode !== null) {
      killGroup();
      return resolve();
    }
    const timer = setTimeout(killGroup, timeoutMs);
    child.once("exit", () => {
      clearTimeout(timer);
      killGroup(); // anything the child left in its group
      resolve();
    });
    child.kill("SIGTERM");
  });
}

async function main(): Promise<void> {
  // The children (serverless offline, the containers) start with the launcher's allocator settings (mallocEnv.ts).
  for (const [name, value] of Object.entries(MALLOC_ENV)) process.env[name] ??= value;
  const { values, positionals } = parseArgs({
    args: process.argv.slice(2),
    allowPositionals: true,
    options: {
      clean: { type: "boolean", default: false },
      demo: { type: "boolean", default: false },
      logs: { type: "boolean", default: false },
      watch: { type: "boolean", default: false },
    },
  });
  const command = positionals[0] ?? "start";
  if (command !== "start" && command !== "cloud") fail(`unknown command "${command}" (expected start or cloud)`);

  const config = readLocalCloudConfig();
  const withApi = command === "start";
  const demo = values.demo && withApi;
  if (withApi) {
    // A previous run killed a moment ago may still be letting go of its ports.
    await waitForPortsFree(config.host, [config.ports.api, config.ports.lambda, ...(demo ? [config.ports.marketSim, config.ports.jetstream] : [])], 10_000, (setting) =>
      console.log(`waiting for port ${setting.port} (${setting.name}) to be released…`),
    );
  }

  const started = Date.now();
  const cloud = await startLocalCloud(config, { clean: values.clean });
  console.log(`local cloud started in ${Date.now() - started} ms`);
  if (cloud.releasedInFlight > 0) {
    console.log(`${cloud.releasedInFlight} message(s) that were being processed when the last run stopped are queued again`);
  }
  const retention = new TradeRetention({
    searchUrl: cloud.searchUrl,
    retentionHours: config.tradeRetentionHours,
    onError: (error) => console.error(`cryptoviz: trade retention pass failed: ${error.message}`),
  });
  retention.start();
  const logs = withApi ? new LogRouter({ dir: join(config.dataDir, "logs"), showAll: values.logs }) : undefined;
  // Built (if its sources changed) while serverless offline starts; uploaded once the buckets exist.
  let dashboardBuild: Promise<BuildResult> | undefined;
  if (withApi) {
    dashboardBuild = buildDashboardApart();
    dashboardBuild.catch(() => undefined); // reported when awaited below
  }

  let child: ChildProcess | undefined;
  let market: { port: number; close(): Promise<void> } | undefined;
  let social: JetstreamSimulator | undefined;
  let history: DemoHistoryRun | undefined;
  let simulatorThread: ThreadPart<{ port: number }> | undefined;
  const memoryLog = new MemoryLog(join(config.dataDir, "logs"), async () => ({
    ...(await cloud.threadMemory()),
    ...(simulatorThread ? { simulator: await simulatorThread.memory() } : {}),
  }));
  let stopping = false;
  const shutdown = async (code: number, why: string) => {
    if (stopping) return;
    stopping = true;
    // Say what stopped it: a stack that vanished without a reason is hard to explain afterwards.
    console.log(`\nstopping (${why})…`);
    if (child) await stopChild(child);
    memoryLog.stop();
    history?.stop(); // a pass under way is cut short by the exit: every write it made is idempotent
    await retention.stop();
    await market?.close();
    await social?.close();
    await cloud.close();
    await logs?.close();
    process.exit(code);
  };
  process.on("SIGINT", () => void shutdown(0, "SIGINT"));
  process.on("SIGTERM", () => void shutdown(0, "SIGTERM"));
  process.on("SIGHUP", () => void shutdown(0, "SIGHUP"));
  // Started through npm (or tsx's wrapper), the launcher goes when its parent goes:
  // re-parented means whoever started it is gone, and nobody else will stop it.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) void shutdown(0, "the process that started it is gone");
  }, 1000).unref();
  // Chaos on demand: `kill -USR2 <pid>` restarts the broker; clients must reconnect and resubscribe.
  process.on("SIGUSR2", () => {
    if (stopping) return;
    const t0 = Date.now();
    cloud.restartMqtt().then(
      () => console.log(`mqtt broker restarted (SIGUSR2) in ${Date.now() - t0} ms`),
      (error: unknown) => console.error(`cryptoviz: mqtt broker restart failed: ${(error as Error).message}`),
    );
  });

  if (demo) {
    // In a thread of its own: the exchanges are other machines (localcloud/threads/startInThread.ts).
    const sim: ThreadPart<{ port: number }> = await startInThread(fileURLToPath(new URL("./threads/simulator.worker.ts", import.meta.url)), {
      host: config.host,
      port: config.ports.marketSim.port,
      seed: "cryptoviz-demo",
      symbols: DEMO_PAIRS,
      listed: demoListings(),
      tradesPerSecond: config.demoTradesPerSecond,
    });
    simulatorThread = sim;
    market = { port: sim.ready.port, close: sim.close };
    // The charts' last 24 hours, beside the start: it holds no port and nothing waits for it.
    history = startDemoHistory(cloud.searchUrl, `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${market.port}`, {
      info: (line) => console.log(line),
      error: (line) => console.error(`cryptoviz: ${line}`),
    });
    // Bluesky's Jetstream stand-in; collect-social resumes from its cursor each minute (an hour of history to replay).
    social = await startJetstreamSimulator({ host: config.host, port: config.ports.jetstream.port, seed: "cryptoviz-demo", rate: config.demoSocialRate });
  }
  if (withApi) {
    child = startOffline(config, { demo, watch: values.watch }, logs!);
    child.on("exit", (code) => {
      if (!stopping) {
        console.error(`cryptoviz: serverless offline exited (code ${code}); its last lines (all of it in ${logs!.path}):`);
        for (const line of logs!.tail().slice(-30)) console.error(`  ${line}`);
        console.error("stopping the local cloud");
        void shutdown(code || 1, "serverless offline exited");
      }
    });
    try {
      await waitForHttp(`http://${config.host}:${config.ports.api.port}/health`, child, OFFLINE_READY_TIMEOUT_MS);
    } catch (error) {
      console.error(`cryptoviz: ${(error as Error).message}`);
      return shutdown(1, "serverless offline did not start");
    }
  }
  let dashboardNote = "";
  if (dashboardBuild) {
    // The development identity: a token with the dashboard role, signed with the
    // secret the local stage's API checks (serverless.yml, param devTokenSecret).
    const devToken =
      envOptional(process.env, "CRYPTOVIZ_DEV_TOKEN") ??
      (await issueDevToken(envString(process.env, "CRYPTOVIZ_DEV_TOKEN_SECRET", "local-dev-token-secret"), { user: DEV_USER, roles: ["dashboard"], ttl: 30 * 24 * 3600 }));
    const s3 = new S3Client({ region: config.region, endpoint: cloud.sqsS3Url, credentials: { accessKeyId: "local", secretAccessKey: "local" }, forcePathStyle: true });
    try {
      const published = await publishLocalDashboard(await S3DashboardBucket.find(s3), cloud.sqsS3Url, dashboardBuild, {
        host: config.host,
        apiPort: config.ports.api.port,
        mqttWsUrl: cloud.mqttWsUrl,
        dashboardIdentity: config.identities.dashboard,
        devToken,
      });
      const build = published.build.built ? `built in ${(published.build.ms / 1000).toFixed(1)} s` : "unchanged, not rebuilt";
      dashboardNote = `  (${build})\n  dev identity     ${DEV_USER}, role dashboard: curl -H 'Authorization: Bearer ${devToken}' …`;
    } catch (error) {
      // The pipeline runs without its dashboard; say what failed and carry on.
      console.error(`cryptoviz: dashboard not published: ${(error as Error).message}`);
    } finally {
      s3.destroy();
    }
  }
  console.log(await summary(config, cloud, withApi, market, dashboardNote + (logs ? `\n  logs             ${logs.path}${values.logs ? "" : " (the terminal shows warnings and errors; --logs shows every function line)"}` : ""), social));
  console.log(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s (pid ${process.pid}: Ctrl-C stops, kill -USR2 ${process.pid} restarts the MQTT broker)`);
  if (demo) {
    // News for the demo too, through the real webhook → queue → enrichment → store.
    const apiUrl = `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${config.ports.api.port}`;
    postDemoNews(apiUrl, envString(process.env, "CRYPTOVIZ_INGEST_TOKEN", "local-ingest-token")).then(
      (n) => console.log(`demo news: ${n} articles posted to the webhook (enriched and stored within seconds)`),
      (error: unknown) => console.error(`cryptoviz: demo news not posted: ${(error as Error).message}`),
    );
  }
}

main().catch((error: unknown) => {
  if (error instanceof PortInUseError || error instanceof ConfigError) fail(error.message);
  fail((error as Error).stack ?? String(error));
});
