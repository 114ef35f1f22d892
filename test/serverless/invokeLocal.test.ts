import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { readLocalCloudConfig } from "../../localcloud/LocalCloudConfig.ts";
import { startMarketSimulator, type MarketSimulator } from "../../localcloud/market-sim/startMarketSimulator.ts";
import { startJetstreamSimulator, type JetstreamSimulator } from "../../localcloud/social-sim/startJetstreamSimulator.ts";
import { fixtureDir, serveFixtureSite, type FixtureServer } from "../scraper/helpers/fixtureServer.ts";
import { startLocalCloud, type LocalCloud } from "../../localcloud/startLocalCloud.ts";
import { localCloudEnv, type LocalCloudEnv } from "../helpers/localCloudEnv.ts";
import { freshMarketEventFile, sampleTradeIds } from "../helpers/sampleMarketEvent.ts";
import { serverless } from "../helpers/serverlessCli.ts";

let cloud: LocalCloud;
let setup: LocalCloudEnv;
let market: MarketSimulator;
let social: JetstreamSimulator;
const sites: Record<string, FixtureServer> = {};

before(async () => {
  setup = await localCloudEnv();
  cloud = await startLocalCloud(readLocalCloudConfig(setup.env));
  // Offline stand-ins for the exchanges and the scraped sites.
  market = await startMarketSimulator({ port: 0, seed: "invoke-local", symbols: ["BTC-USDT", "ETH-USDT", "BTC-USD"], tradesPerSecond: 50 });
  setup.env.CRYPTOVIZ_MARKET_SIM_PORT = String(market.port);
  social = await startJetstreamSimulator({ port: 0, seed: "invoke-local", rate: 500, coinShare: 0.5 });
  setup.env.CRYPTOVIZ_JETSTREAM_PORT = String(social.port);
  for (const site of ["u.today", "coindesk", "cryptocompare", "coinmarketcap"]) sites[site] = await serveFixtureSite(fixtureDir(site));
});
after(async () => {
  await Promise.all(Object.values(sites).map((s) => s.close()));
  await market.close();
  await social.close();
  await cloud.close();
});

/** The JSON value a handler returned: `invoke local` prints it last, indented, its first line a lone "{". */
function lastJson(stdout: string): any {
  const lines = stdout.split("\n");
  const start = lines.lastIndexOf("{");
  assert.ok(start >= 0, `no result printed:\n${stdout.slice(-2000)}`);
  const end = lines.indexOf("}", start);
  return JSON.parse(lines.slice(start, end + 1).join("\n"));
}

const invoke = (fn: string, overrides: Record<string, string> = {}, eventPath = `functions/${fn}/event.json`) =>
  serverless(
    ["invoke", "local", "-f", fn, "-p", eventPath, "--stage", "local", ...Object.entries(overrides).flatMap(([k, v]) => ["-e", `${k}=${v}`])],
    { ...setup.env, CRYPTOVIZ_LOG_LEVEL: "SILENT" },
  );

const scraperBaseUrls = () =>
  JSON.stringify({
    "u.today": sites["u.today"]!.url,
    "coindesk.com": sites.coindesk!.url,
    "cryptocompare.com": sites.cryptocompare!.url,
    "coinmarketcap.com": sites.coinmarketcap!.url,
  });

describe("serverless invoke local with every sample event, against the local cloud", () => {
  it("ingest accepts the sample webhook call", async () => {
    const result = lastJson((await invoke("ingest")).stdout);
    assert.equal(result.statusCode, 202, JSON.stringify(result));
    assert.equal(JSON.parse(result.body).messages, 1);
  });

  it("consume-news stores the sample articles with no failed records (models in-process: no offline inference functions here)", async () => {
    const result = lastJson((await invoke("consume-news", { NLP_MODE: "in-process" })).stdout);
    assert.deepEqual(result, { batchItemFailures: [] });
  });

  it("consume-social stores the sample social batches with no failed records (model in-process; the sample's fixed date kept inside the retention)", async () => {
    const result = lastJson((await invoke("consume-social", { NLP_MODE: "in-process", SEARCH_SOCIAL_RETENTION_HOURS: "100000" })).stdout);
    assert.deepEqual(result, { batchItemFailures: [] });
  });

  it("the inference functions answer their sample requests in the Hugging Face shapes", async () => {
    const sentiment = lastJson((await invoke("infer-sentiment")).stdout);
    assert.equal(sentiment.statusCode, 200, sentiment.body);
    const lists = JSON.parse(sentiment.body) as Array<Array<{ label: string; score: number }>>;
    assert.deepEqual(lists.map((l) => l[0]!.label), ["negative", "positive", "neutral"]);
    const summary = lastJson((await invoke("infer-summary")).stdout);
    assert.ok(JSON.parse(summary.body)[0].summary_text.length > 0, summary.body);
    const keywords = lastJson((await invoke("infer-keywords")).stdout);
    assert.ok(JSON.parse(keywords.body).length > 0, keywords.body);
  });

  it("iot-authorizer turns the sample dashboard token into a subscribe-only policy", async () => {
    const result = lastJson((await invoke("iot-authorizer")).stdout);
    assert.equal(result.isAuthenticated, true, JSON.stringify(result));
    assert.ok(!result.policyDocuments[0].includes("iot:Publish"));
  });

  it("consume-prices stores the sample market batches (v1 and v2) with no failed records", async () => {
    const result = lastJson((await invoke("consume-prices", {}, freshMarketEventFile())).stdout);
    assert.deepEqual(result, { batchItemFailures: [] });
    // A payload refused as poison goes to the DLQ and is not a failed record either: count what was stored.
    const ids = sampleTradeIds();
    assert.ok(readFileSync("functions/consume-prices/event.json", "utf8").includes("market.batch/v2") && ids.length > 12);
    const response = await fetch(`${cloud.searchUrl}/cryptoviz-trades-*/_count`, {
      method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: { terms: { tradeId: ids } } }),
    });
    assert.equal(((await response.json()) as { count: number }).count, ids.length);
  });

  it("api answers the open, shallow health check", async () => {
    const result = lastJson((await invoke("api")).stdout);
    assert.equal(result.statusCode, 200, result.body);
    assert.equal(JSON.parse(result.body).status, "ok");
  });

  it("collect-market collects one (shortened) window from the market simulator and enqueues it", async () => {
    const result = lastJson((await invoke("collect-market", { MARKET_WINDOW_MS: "3000", MARKET_FLUSH_RESERVE_MS: "2000" })).stdout);
    assert.ok(result.shipped.tradesEnqueued > 0, JSON.stringify(result.shipped));
    assert.equal(result.shipped.failedBatches, 0);
  });

  it("collect-social reads one (shortened) window from the Jetstream simulator and enqueues the posts about coins", async () => {
    const result = lastJson((await invoke("collect-social", { SOCIAL_WINDOW_SECONDS: "3", SOCIAL_FLUSH_RESERVE_MS: "2000" })).stdout);
    assert.ok(result.sources.jetstream.enqueued > 0, JSON.stringify(result.sources));
    assert.equal(result.failures.length, 0);
  });

  it("scrape-news and scrape-prices scrape the fixture sites standing in for the real ones", async () => {
    for (const fn of ["scrape-news", "scrape-prices"]) {
      const result = lastJson((await invoke(fn, { SCRAPER_BASE_URLS: scraperBaseUrls(), SCRAPER_FLUSH_RESERVE_MS: "2000" })).stdout);
      assert.equal(result.reports.length, 2, `${fn}: two configs`);
      for (const report of result.reports) assert.ok(report.delivered > 0, `${fn} ${report.domain}: ${JSON.stringify(report)}`);
    }
  });

  it("an unknown function name fails with one clear line and a non-zero exit", async () => {
    await assert.rejects(
      serverless(["invoke", "local", "-f", "no-such-function", "--stage", "local"], setup.env),
      (error: { code: number; stdout: string; stderr: string }) => {
        assert.notEqual(error.code, 0);
        assert.match(error.stdout + error.stderr, /Function "no-such-function" doesn't exist in this Service/);
        return true;
      },
    );
  });
});
