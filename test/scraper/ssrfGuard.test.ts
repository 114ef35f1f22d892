// The SSRF guard in real Chromium against local fixture sites: a config only
// reaches its own hosts, whatever its pages link to, redirect to or fetch; a
// refusal is a structured `refused` error in the report and yields no record;
// and what a config names literally is checked before any browser starts.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, beforeEach, describe, it } from "node:test";
import { launchChromium, type LaunchedChromium } from "../../lib/scraper/launchChromium.ts";
import { loadScraperConfig, parseScraperConfig, validateScraperConfig } from "../../lib/scraper/loadScraperConfig.ts";
import { runScraper } from "../../lib/scraper/runScraper.ts";
import { ScraperConfigError } from "../../lib/scraper/ScraperConfigError.ts";
import { CollectingSink } from "./helpers/CollectingSink.ts";
import { expectedUToday } from "./helpers/expectedRecords.ts";
import { fixtureDir, serveFixtureSite, type FixtureServer } from "./helpers/fixtureServer.ts";

describe("literal URLs are checked when the config loads", () => {
  const config = (url: string, extra = "") => `domain: lab.test\nkind: news\nbaseUrl: https://lab.test\n${extra}tasks:\n  - type: navigate\n    params: { url: "${url}" }\n`;
  const refused = (text: string, reason: RegExp) =>
    assert.throws(() => parseScraperConfig("ssrf.yaml", text), (error: unknown) => {
      assert.ok(error instanceof ScraperConfigError, String(error));
      assert.equal(error.path, "tasks[0].params.url");
      assert.match(error.reason, reason);
      return true;
    });

  it("refuses schemes other than http(s), other hosts and private addresses, naming the task", () => {
    refused(config("file:///etc/passwd"), /file: URLs are not allowed/);
    refused(config("chrome://version"), /chrome: URLs are not allowed/);
    refused(config("javascript:alert(1)"), /javascript: URLs are not allowed/);
    refused(config("http://169.254.169.254/latest/meta-data/"), /host 169\.254\.169\.254 is neither the baseUrl's host nor in allowedHosts/);
    refused(config("//evil.example/x"), /host evil\.example/);
    refused(config("http://169.254.169.254/latest/meta-data/", "allowedHosts: [169.254.169.254]\n"), /169\.254\.169\.254 is a linkLocal address; set allowPrivateNetwork: true/);
    assert.equal(parseScraperConfig("ok.yaml", config("https://news.lab.test/x", "allowedHosts: ['*.lab.test']\n")).allowedHosts[0], "*.lab.test");
    assert.equal(parseScraperConfig("ok.yaml", config("http://10.0.0.7/x", "allowedHosts: [10.0.0.7]\nallowPrivateNetwork: true\n")).allowPrivateNetwork, true);
  });
});

describe("the guard at run time, in real Chromium", () => {
  let browser: LaunchedChromium;
  let site: FixtureServer;
  let other: FixtureServer;
  before(async () => {
    // `other` is another host: a port of this machine the config does not name (an
    // internal service, the metadata endpoint). No request may ever reach it.
    [browser, other] = await Promise.all([launchChromium(), serveFixtureSite(undefined, () => "<h1>secret</h1>")]);
  });
  after(async () => {
    await Promise.all([browser.close(), other.close()]);
  });
  beforeEach(() => other.requests.splice(0));

  const labPage = (otherUrl: string) => (path: string): string | undefined => {
    if (path === "/list") {
      const links = ["/item/1", "https://evil.example/planted", `${otherUrl}/secret`, "/item/redirect", "http://intranet.test/wiki", "/item/2"];
      return `<ul>${links.map((href) => `<li class="item"><a href="${href}">x</a></li>`).join("")}</ul>`;
    }
    if (path === "/item/1") return `<h1 data-fetch="none">Item one</h1>`;
    // The page tries to reach the other host itself: a no-cors fetch resolves if the request went out.
    if (path === "/item/2") {
      return `<iframe src="${otherUrl}/frame"></iframe><script>
        fetch("${otherUrl}/xhr", { mode: "no-cors" }).then(() => "fetched", () => "blocked")
          .then((r) => document.body.insertAdjacentHTML("beforeend", '<h1 data-fetch="' + r + '">Item two</h1>'));
      </script>`;
    }
    return undefined;
  };

  it("follows only its own host: planted links, a redirect away and a name resolving to a private address are refused and reported", async () => {
    site = await serveFixtureSite(undefined, labPage(other.url));
    site.redirects.set("/item/redirect", `${other.url}/redirected`);
    try {
      const config = validateScraperConfig("lab.yaml", {
        domain: "lab.test",
        kind: "news",
        baseUrl: "https://lab.test",
        allowedHosts: ["intranet.test"],
        politeness: { delayMs: 0, concurrency: 2 },
        retries: { attempts: 2, backoffMs: 10 },
        tasks: [
          { type: "navigate", params: { url: "/list" } },
          {
            type: "extract",
            params: { cssSelector: ".item a", extractAttributes: { href: { as: "link" } } },
            tasks: [
              { type: "navigate", params: { url: "$link" } },
              { type: "extract", params: { cssSelector: "h1", extractAttributes: { text: { as: "title" }, "data-fetch": { as: "fetch" } }, timeout: 3000 } },
            ],
          },
        ],
      });
      const sink = new CollectingSink();
      const lookup = async (host: string) => (host === "intranet.test" ? ["10.0.0.5"] : Promise.reject(new Error(`no DNS for ${host} in this test`)));
      const report = await runScraper(config, { browser, sink, baseUrlOverride: site.url, lookup });

      assert.deepEqual(sink.records.map((r) => [r.fields.title, r.fields.fetch]), [["Item one", "none"], ["Item two", "blocked"]], "only the site's own pages became records");
      const refusals = report.errors.filter((e) => e.kind === "refused").map((e) => ({ task: e.task, url: e.url ?? "", message: e.message }));
      assert.equal(refusals.length, 4, JSON.stringify(report.errors, null, 1));
      const byUrl = new Map(refusals.map((r) => [r.url, r]));
      assert.match(byUrl.get("https://evil.example/planted")!.message, /host evil\.example is neither/);
      assert.match(byUrl.get(`${other.url}/secret`)!.message, new RegExp(`host ${new URL(other.url).host} is neither`));
      assert.match(byUrl.get(`${other.url}/redirected`)!.message, /is neither/, "the redirect target, refused before Chromium requested it");
      assert.match(byUrl.get("http://intranet.test/wiki")!.message, /intranet\.test resolves to 10\.0\.0\.5, a private address/);
      assert.ok(refusals.every((r) => r.task === "tasks[1].tasks[0]"));
      assert.deepEqual(report.errors.filter((e) => e.kind !== "refused"), [], "nothing else went wrong");
      assert.equal(report.navigationRetries, 0, "a refusal is not retried");
      assert.deepEqual(other.requests, [], "the other host was never contacted: not by a link, a redirect, a frame or a script");
    } finally {
      await site.close();
    }
  });

  it("the shipped u.today config no longer follows a link planted in its listing", async () => {
    const listing = readFileSync(join(fixtureDir("u.today"), "latest-cryptocurrency-news.html"), "utf8");
    const planted = listing.replace(
      '<div class="category__news">',
      `<div class="category__news">\n    <div class="news__item"><a class="news__item-body" href="${other.url}/planted-article">Planted</a></div>`,
    );
    site = await serveFixtureSite(fixtureDir("u.today"), (path) => (path === "/latest-cryptocurrency-news" ? planted : undefined));
    try {
      const sink = new CollectingSink();
      const report = await runScraper(await loadScraperConfig("scrapers/u.today.yaml"), { browser, sink, baseUrlOverride: site.url });
      assert.deepEqual(sink.records.map((r) => r.fields), expectedUToday(site.url), "the four real articles, nothing from the planted link");
      assert.deepEqual(report.errors.map((e) => [e.kind, e.url]), [["refused", `${other.url}/planted-article`]]);
      assert.deepEqual(other.requests, []);
    } finally {
      await site.close();
    }
  });
});
