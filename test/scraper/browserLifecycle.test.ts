import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { launchChromium, type LaunchedChromium } from "../../lib/scraper/launchChromium.ts";
import { validateScraperConfig } from "../../lib/scraper/loadScraperConfig.ts";
import { runScrapers } from "../../lib/scraper/runScrapers.ts";
import { freePorts } from "../helpers/freePorts.ts";
import { waitFor } from "../helpers/waitFor.ts";
import { CollectingSink } from "./helpers/CollectingSink.ts";
import { serveFixtureSite } from "./helpers/fixtureServer.ts";
import { isAlive } from "../helpers/isAlive.ts";

// These tests are about the browser's lifecycle, so each launches its own.

async function assertClosed(launched: LaunchedChromium | undefined) {
  assert.ok(launched, "a browser was launched");
  assert.equal(launched.browser.connected, false, "disconnected");
  const pid = launched.browser.process()?.pid;
  assert.ok(pid);
  await waitFor("the Chromium process to exit", () => !isAlive(pid), 5_000);
}

const unreachableConfig = async () => {
  const [port] = await freePorts(1);
  return validateScraperConfig("unreachable.yaml", {
    domain: "unreachable.test",
    kind: "news",
    baseUrl: `http://127.0.0.1:${port}`,
    allowPrivateNetwork: true, // a loopback address, on purpose
    retries: { attempts: 2, backoffMs: 10 },
    tasks: [
      { type: "navigate", params: { url: "/news" } },
      { type: "extract", params: { cssSelector: "a", extractAttributes: { href: { as: "link" } } } },
    ],
  });
};

describe("Chromium always closes", () => {
  it("after a run whose every navigation failed: errors reported, no crash, browser gone", async () => {
    let launched: LaunchedChromium | undefined;
    const [report] = await runScrapers([await unreachableConfig()], {
      launch: async () => (launched = await launchChromium()),
      sinkFor: () => new CollectingSink(),
    });
    assert.equal(report!.records, 0);
    assert.deepEqual(report!.errors.map((e) => [e.kind, e.task]), [["navigation", "tasks[0]"]]);
    assert.match(report!.errors[0]!.message, /ERR_CONNECTION_REFUSED/);
    assert.equal(report!.navigationRetries, 1);
    await assertClosed(launched);
  });

  it("when something throws mid-run: the error propagates and the browser is still closed", async () => {
    let launched: LaunchedChromium | undefined;
    await assert.rejects(
      runScrapers([await unreachableConfig()], {
        launch: async () => (launched = await launchChromium()),
        sinkFor: () => {
          throw new Error("sink misconfigured");
        },
      }),
      /sink misconfigured/,
    );
    await assertClosed(launched);
  });

  it("when the sink fails to deliver: reported as an error of the run, browser closed", async () => {
    let launched: LaunchedChromium | undefined;
    const site = await serveFixtureSite(undefined, (path) => (path === "/inline" ? "<h1>Title</h1>" : undefined));
    try {
      const config = validateScraperConfig("inline.yaml", {
        domain: "inline.test",
        kind: "news",
        baseUrl: site.url,
        allowPrivateNetwork: true,
        tasks: [{ type: "navigate", params: { url: "/inline" } }, { type: "extract", params: { cssSelector: "h1", extractAttributes: { text: { as: "title" } } } }],
      });
      const [report] = await runScrapers([config], {
        launch: async () => (launched = await launchChromium()),
        sinkFor: () => ({ write: async () => Promise.reject(new Error("queue unavailable")) }),
      });
      assert.equal(report!.records, 1);
      assert.equal(report!.delivered, 0);
      assert.deepEqual(report!.errors, [{ kind: "error", task: "sink", message: "not delivered: queue unavailable" }]);
    } finally {
      await site.close();
    }
    await assertClosed(launched);
  });
});
