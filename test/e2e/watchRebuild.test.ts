// `npm start -- --watch`: a source change rebuilds the functions and replaces
// their containers (one that held an MQTT connection included) without taking the
// stack down; the next message runs the new build.
import assert from "node:assert/strict";
import { readdirSync, readFileSync, rmSync, utimesSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { Client } from "@opensearch-project/opensearch";
import { startLauncher, type RunningLauncher } from "../helpers/launcher.ts";
import { localCloudEnv, type LocalCloudEnv } from "../helpers/localCloudEnv.ts";
import { waitFor } from "../helpers/waitFor.ts";

let setup: LocalCloudEnv;
let launcher: RunningLauncher | undefined;
let search: Client;

before(async () => {
  setup = await localCloudEnv();
  search = new Client({ node: `http://127.0.0.1:${setup.ports.search}` });
});

after(async () => {
  await launcher?.kill();
  await search.close();
  rmSync(setup.dataDir, { recursive: true, force: true });
});

function consumerContainers(): string[] {
  const marker = `CRYPTOVIZ_DATA_DIR=${setup.dataDir}`;
  return readdirSync("/proc").filter((pid) => {
    try {
      return (
        /^\d+$/.test(pid) &&
        readFileSync(`/proc/${pid}/environ`, "utf8").split("\0").includes(marker) &&
        readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("functions/consume-prices/")
      );
    } catch {
      return false;
    }
  });
}

async function postTrades(prefix: string): Promise<void> {
  const now = Date.now();
  const trades = Array.from({ length: 3 }, (_, i) => ({
    exchange: "binance", symbol: "XRPUSDT", base: "XRP", quote: "USDT", price: 2 + i / 100, size: 5,
    side: "sell", tradeId: `${prefix}-${i}`, ts: now - 3_000 + i * 100, receivedAt: now,
  }));
  const response = await fetch(`http://127.0.0.1:${setup.ports.api}/ingest/prices`, {
    method: "POST",
    headers: { authorization: "Bearer local-ingest-token", "content-type": "application/json" },
    body: JSON.stringify({ source: "binance", trades }),
  });
  assert.equal(response.status, 202, await response.clone().text());
}

async function stored(): Promise<number> {
  try {
    await search.indices.refresh({ index: "cryptoviz-trades-*" });
    return (await search.count({ index: "cryptoviz-trades-*", body: { query: { term: { symbol: "XRPUSDT" } } } })).body.count;
  } catch {
    return 0;
  }
}

describe("npm start -- --watch", () => {
  it("rebuilds on a source change and replaces the containers without a crash", async () => {
    launcher = await startLauncher(setup, ["start", "--watch"]);
    await postTrades("before");
    await waitFor("the first trades stored", async () => (await stored()) === 3, 30_000, 250);
    const before = consumerContainers();
    assert.ok(before.length > 0, "consume-prices ran in a container");

    utimesSync("contracts/topics.ts", new Date(), new Date());
    await waitFor("the rebuild", () => /functions rebuilt/.test(launcher!.output()), 90_000, 250);
    await waitFor("the old containers to be retired", () => consumerContainers().every((pid) => !before.includes(pid)), 15_000, 250);

    await postTrades("after");
    await waitFor("the trades sent after the rebuild stored", async () => (await stored()) === 6, 30_000, 250);
    assert.equal(launcher.exitCode(), undefined, "still running");
    assert.doesNotMatch(launcher.output(), /napi_release_threadsafe_function|Signal received|Aborted|core dumped/);
    assert.equal(await launcher.stop(), 0);
  });
});
