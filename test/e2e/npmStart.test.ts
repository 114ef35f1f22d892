import { MALLOC_ENV } from "../../localcloud/mallocEnv.ts";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync, rmSync, utimesSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { Client } from "@opensearch-project/opensearch";
import mqtt from "mqtt";
import { issueDevToken } from "../../lib/auth/issueDevToken.ts";
import { QueueAdmin } from "../../lib/adapters/aws/QueueAdmin.ts";
import { portIsFree } from "../helpers/freePorts.ts";
import { localCloudEnv, type LocalCloudEnv } from "../helpers/localCloudEnv.ts";
import { sleep, waitFor } from "../helpers/waitFor.ts";

let setup: LocalCloudEnv;
let child: ChildProcess;
let output = "";
let cloudMs = Infinity;
let readyMs = Infinity;
let exitCode: number | null = null;
let sqs: SQSClient;
let search: Client;

const api = (path: string) => `http://127.0.0.1:${setup.ports.api}${path}`;
const token = "local-ingest-token";

before(async () => {
  setup = await localCloudEnv();
  const started = Date.now();
  // Exactly what `npm start` runs, on free ports and a fresh data directory.
  child = spawn(process.execPath, ["--import", "tsx", "localcloud/cli.ts", "start"], {
    // Containers idle for a minute are retired, so the idle step below sees them go.
    env: { ...process.env, ...MALLOC_ENV, ...setup.env, CRYPTOVIZ_LOG_LEVEL: "WARN", CRYPTOVIZ_LOCAL_IDLE_SECONDS: "60" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (d: Buffer) => {
    output += d;
    if (cloudMs === Infinity && /local cloud started/.test(output)) cloudMs = Date.now() - started;
    if (readyMs === Infinity && /ready in/.test(output)) readyMs = Date.now() - started;
  });
  child.stderr!.on("data", (d: Buffer) => (output += d));
  child.on("exit", (code) => (exitCode = code));
  await waitFor("npm start to be ready", () => readyMs !== Infinity || exitCode !== null, 90_000, 100);
  assert.equal(exitCode, null, `npm start exited early:\n${output}`);
  const credentials = { accessKeyId: "local", secretAccessKey: "local" };
  sqs = new SQSClient({ region: "us-east-1", endpoint: `http://127.0.0.1:${setup.ports.sqsS3}`, credentials });
  search = new Client({ node: `http://127.0.0.1:${setup.ports.search}` });
});

after(async () => {
  sqs?.destroy();
  await search?.close();
  if (exitCode === null) child.kill("SIGKILL");
  rmSync(setup.dataDir, { recursive: true, force: true });
});

/** The local Lambda containers of this run, by the handler each serves. */
function containers(): Array<{ pid: string; handler: string }> {
  const marker = `CRYPTOVIZ_DATA_DIR=${setup.dataDir}`;
  return readdirSync("/proc").flatMap((pid) => {
    if (!/^\d+$/.test(pid)) return [];
    try {
      if (!readFileSync(`/proc/${pid}/environ`, "utf8").split("\0").includes(marker)) return [];
      const args = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
      return args.some((a) => a.endsWith("bootstrap.cjs")) ? [{ pid, handler: args.find((a) => a.startsWith("functions/")) ?? "?" }] : [];
    } catch {
      return [];
    }
  });
}

async function count(index: string, query: object = { match_all: {} }): Promise<number> {
  try {
    await search.indices.refresh({ index, ignore_unavailable: true });
    const r = await search.count({ index, body: { query } });
    return r.body.count;
  } catch {
    return 0;
  }
}

describe("npm start", () => {
  it("brings the local cloud up in under 15 s and the whole stack in under 30 s, and prints the summary", () => {
    assert.ok(cloudMs < 15_000, `local cloud took ${cloudMs} ms`);
    assert.ok(readyMs < 30_000, `ready after ${readyMs} ms`);
    for (const expected of [
      `http://127.0.0.1:${setup.ports.api}`,
      `http://127.0.0.1:${setup.ports.sqsS3}`,
      `http://127.0.0.1:${setup.ports.search}`,
      `mqtt://127.0.0.1:${setup.ports.mqtt}`,
      `ws://127.0.0.1:${setup.ports.mqttWs}/mqtt`,
      "cryptoviz-local-news-tasks  →  DLQ cryptoviz-local-news-tasks-dlq after 5 receives",
      "cryptoviz-local-price-tasks.fifo  →  DLQ cryptoviz-local-price-tasks-dlq.fifo after 5 receives",
      "cryptoviz-local-raw",
    ]) {
      assert.ok(output.includes(expected), `summary shows ${expected}\n${output}`);
    }
  });

  it("serves the API: health, and a 401 for an unauthenticated webhook", async () => {
    const health = await fetch(api("/health"));
    assert.equal(health.status, 200, await health.clone().text());
    assert.equal((await health.json()).status, "ok");
    const denied = await fetch(api("/ingest/news"), { method: "POST", body: "{}", headers: { "content-type": "application/json" } });
    assert.equal(denied.status, 401);
  });

  it("carries a webhook batch through the queue and the consumer into the store, and notifies MQTT", async () => {
    const received: string[] = [];
    const subscriber = await mqtt.connectAsync(`ws://127.0.0.1:${setup.ports.mqttWs}/mqtt`, {
      username: "dashboard", password: "local-dashboard-secret", protocolVersion: 4, reconnectPeriod: 0,
    });
    try {
      await subscriber.subscribeAsync("cryptoviz/#", { qos: 1 });
      subscriber.on("message", (topic) => received.push(topic));
      const now = Date.now();
      const trades = Array.from({ length: 20 }, (_, i) => ({
        exchange: "binance", symbol: "SOLUSDT", base: "SOL", quote: "USDT", price: 180 + i / 10, size: 1 + i,
        side: i % 2 ? "buy" : "sell", tradeId: `e2e-${i}`, ts: now - 60_000 + i * 1000, receivedAt: now,
      }));
      const prices = await fetch(api("/ingest/prices"), {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ source: "binance", trades }),
      });
      assert.equal(prices.status, 202, await prices.clone().text());
      const news = await fetch(api("/ingest/news"), {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ source: "u.today", items: [{ title: "Solana validators upgrade", link: "https://u.today/solana-validators-upgrade", tags: ["SOL"] }] }),
      });
      assert.equal(news.status, 202);

      await waitFor("20 trades stored", async () => (await count("cryptoviz-trades-*", { term: { symbol: "SOLUSDT" } })) === 20, 30_000, 250);
      await waitFor("the article stored", async () => (await count("cryptoviz-news-*")) === 1, 60_000, 250);
      // Enriched on the way, by the inference functions behind serverless offline.
      await waitFor("the article's sentiment notification", () => received.includes("cryptoviz/sentiment/SOL/notify/data"), 15_000);
      const [article] = (await search.search({ index: "cryptoviz-news-*", body: { query: { match_all: {} } } })).body.hits.hits as Array<{ _source: any }>;
      assert.ok(["positive", "negative", "neutral"].includes(article!._source.sentiment?.label), JSON.stringify(article!._source));
      await waitFor("a price-feed notification", () => received.includes("cryptoviz/price-feed/SOL/notify/data"), 15_000);
      assert.ok(received.includes("cryptoviz/price-feed/SOL/notify/refresh"));

      // The read side answers from what the consumer stored, over the window it states.
      // Reads need the dashboard role; locally the launcher's secret signs a development token.
      const reader = { authorization: `Bearer ${await issueDevToken("local-dev-token-secret")}` };
      assert.equal((await fetch(api("/quotes"))).status, 401, "no token, no read");
      const answer = await fetch(api("/trades/last_n_minutes?symbol=SOLUSDT&minutes=5"), { headers: reader });
      assert.equal(answer.status, 200, await answer.clone().text());
      const body = (await answer.json()) as { from: string; to: string; trades: number };
      const [from, to] = [Date.parse(body.from), Date.parse(body.to)];
      assert.equal(body.trades, trades.filter((t) => t.ts >= from && t.ts < to).length);
      const refused = await fetch(api("/trades/last_n_minutes?symbol=SOLUSDT&minutes=0"), { headers: reader });
      assert.equal(refused.status, 400);
      assert.equal(((await refused.json()) as { field: string }).field, "minutes");
    } finally {
      await subscriber.endAsync();
    }
  });

  it("sends a poison message to the DLQ with its reason, visible with the queue admin", async () => {
    const admin = new QueueAdmin(sqs, "cryptoviz-local-");
    const source = await admin.status("news-tasks");
    await sqs.send(new SendMessageCommand({ QueueUrl: source.url, MessageBody: JSON.stringify({ schema: "news.article/v1", id: "x" }) }));
    await waitFor("the poison message in the DLQ", async () => (await admin.status("news-tasks-dlq")).depth === 1, 20_000, 250);
    const [dead] = await admin.peek("news-tasks-dlq");
    assert.match(dead!.failureReason ?? "", /^source: /);
  });

  it("stays up through 150 s idle while it retires the containers that held MQTT connections, ignores a file change, and still serves", async () => {
    const consumers = containers().filter((c) => /consume-(news|prices)/.test(c.handler));
    assert.ok(consumers.length >= 2, `the consumers ran in containers: ${JSON.stringify(containers())}`);
    // A source file written while the stack runs (no --watch): nothing is rebuilt or restarted.
    const touched = "contracts/topics.ts";
    utimesSync(touched, new Date(), new Date());
    await sleep(150_000);
    assert.equal(exitCode, null, `npm start is still running:\n${output.slice(-3000)}`);
    const alive = new Set(containers().map((c) => c.pid));
    assert.deepEqual(consumers.filter((c) => alive.has(c.pid)), [], "idle containers were retired");
    assert.doesNotMatch(output, /napi_release_threadsafe_function|Signal received|Aborted|core dumped|functions rebuilt/);

    const received: string[] = [];
    const subscriber = await mqtt.connectAsync(`ws://127.0.0.1:${setup.ports.mqttWs}/mqtt`, {
      username: "dashboard", password: "local-dashboard-secret", protocolVersion: 4, reconnectPeriod: 0,
    });
    try {
      await subscriber.subscribeAsync("cryptoviz/price-feed/#", { qos: 1 });
      subscriber.on("message", (topic) => received.push(topic));
      const now = Date.now();
      const trades = Array.from({ length: 5 }, (_, i) => ({
        exchange: "kucoin", symbol: "ADA-USDT", base: "ADA", quote: "USDT", price: 0.5 + i / 100, size: 10 + i,
        side: "buy", tradeId: `idle-${i}`, ts: now - 5_000 + i * 500, receivedAt: now,
      }));
      const accepted = await fetch(api("/ingest/prices"), {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ source: "kucoin", trades }),
      });
      assert.equal(accepted.status, 202, await accepted.clone().text());
      await waitFor("5 trades stored after the idle period", async () => (await count("cryptoviz-trades-*", { term: { base: "ADA" } })) === 5, 30_000, 250);
      await waitFor("a price-feed notification after the idle period", () => received.includes("cryptoviz/price-feed/ADA/notify/data"), 15_000);
    } finally {
      await subscriber.endAsync();
    }
  });

  it("stops cleanly on Ctrl-C: exit code 0, every port freed, no process left behind", async () => {
    child.kill("SIGINT");
    await waitFor("npm start to exit", () => exitCode !== null, 30_000);
    assert.equal(exitCode, 0, output.slice(-2000));
    for (const [name, port] of Object.entries(setup.ports)) assert.ok(await portIsFree(port), `${name} port ${port} is free`);
    // Every process the launcher started carries this run's data directory in its environment.
    const marker = `CRYPTOVIZ_DATA_DIR=${setup.dataDir}`;
    const leftovers = readdirSync("/proc").filter((pid) => {
      if (!/^\d+$/.test(pid)) return false;
      try {
        return readFileSync(`/proc/${pid}/environ`, "utf8").split("\0").includes(marker);
      } catch {
        return false;
      }
    });
    assert.deepEqual(leftovers, [], "no process of this run is left");
  });
});
