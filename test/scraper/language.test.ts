import assert from "node:assert/strict";
import { after, afterEach, before, beforeEach, describe, it } from "node:test";
import { launchChromium, type LaunchedChromium } from "../../lib/scraper/launchChromium.ts";
import { validateScraperConfig } from "../../lib/scraper/loadScraperConfig.ts";
import { runScraper } from "../../lib/scraper/runScraper.ts";
import { CollectingSink } from "./helpers/CollectingSink.ts";
import { fixtureDir, serveFixtureSite, type FixtureServer } from "./helpers/fixtureServer.ts";

// The language against the "lab" fixture site: a listing of five items, item 3
// without a body block, item 5 without tags, a small quotes table.

const itemTasks = (extra: object[] = []) => [
  { type: "navigate", params: { url: "$link" } },
  { type: "extract", params: { cssSelector: "h1.title", extractAttributes: { text: { as: "title" } } } },
  { type: "extract", params: { cssSelector: "#item-$id .sku", extractAttributes: { text: { as: "sku" } } } },
  { type: "extract", params: { cssSelector: ".body", extractAttributes: { text: { as: "body" } }, timeout: 400 } },
  { type: "extract", optional: true, params: { cssSelector: ".tags li", extractAttributes: { text: { as: "tags", all: true } } } },
  ...extra,
];

function labConfig(overrides: Record<string, unknown> = {}, tasks?: unknown[]) {
  return validateScraperConfig("lab.yaml", {
    domain: "lab.test",
    kind: "news",
    baseUrl: "https://lab.test",
    politeness: { delayMs: 0, concurrency: 2 },
    retries: { attempts: 3, backoffMs: 50, factor: 2 },
    defaultTimeout: 3000,
    tasks: tasks ?? [
      { type: "navigate", params: { url: "/list" } },
      { type: "checkPresence", params: { cssSelector: ".items .item" } },
      {
        type: "extract",
        params: { cssSelector: ".item a.go", extractAttributes: { href: { as: "link" }, text: { as: "name" }, "data-id": { as: "id" } }, limit: 4 },
        tasks: itemTasks(),
      },
    ],
    ...overrides,
  });
}

describe("the task language in real Chromium", () => {
  let browser: LaunchedChromium;
  let site: FixtureServer;
  before(async () => {
    browser = await launchChromium();
  });
  after(async () => {
    await browser.close();
  });
  beforeEach(async () => {
    site = await serveFixtureSite(fixtureDir("lab"));
  });
  afterEach(async () => {
    await site.close();
  });

  const scrape = async (config: ReturnType<typeof labConfig>, extra: { deadline?: number } = {}) => {
    const sink = new CollectingSink();
    const report = await runScraper(config, { browser, sink, baseUrlOverride: site.url, ...extra });
    return { report, records: sink.records };
  };

  it("nested tasks per item, $name substitution in URLs and selectors, limit, several extracts merged into one record", async () => {
    const { report, records } = await scrape(labConfig({ postProcess: { name: ["trim"], body: ["trim"], tags: ["trim"] } }));
    assert.equal(records.length, 4, "limit: 4 of 5 items");
    assert.deepEqual(records[0]!.fields, {
      link: `${site.url}/item/1`,
      name: "First item",
      id: "1",
      title: "Item 1",
      sku: "SKU-001",
      body: "Body of item 1.",
      tags: ["alpha", "beta"],
    });
    assert.deepEqual(records.map((r) => r.fields.sku), ["SKU-001", "SKU-002", "SKU-003", "SKU-004"]);
    assert.equal(report.pages, 5);
    assert.ok(!site.requests.includes("/item/5"), "the fifth item is never fetched");
  });

  it("an article listed twice is fetched once per run (skipIfScraped)", async () => {
    const config = labConfig({}, [
      { type: "navigate", params: { url: "/list" } },
      {
        type: "extract",
        params: { cssSelector: ".item a.go", extractAttributes: { href: { as: "link" } } },
        tasks: [
          { type: "navigate", params: { url: "$link", skipIfScraped: true } },
          { type: "extract", params: { cssSelector: "h1.title", extractAttributes: { text: { as: "title" } } } },
        ],
      },
    ]);
    const { report, records } = await scrape(config);
    assert.deepEqual(records.map((r) => r.fields.title), ["Item 1", "Item 2", "Item 3", "Item 4", "Item 5"]);
    assert.equal(report.duplicates, 1);
    assert.equal(site.requests.filter((p) => p === "/item/1").length, 1);
  });

  it("a selector that times out yields a partial record and a structured error, and the run goes on", async () => {
    const { report, records } = await scrape(labConfig());
    const third = records.find((r) => r.fields.id === "3")!;
    assert.equal(third.fields.title, "Item 3", "fields before and after the failing task are kept");
    assert.equal(third.fields.sku, "SKU-003");
    assert.equal(third.fields.body, undefined);
    assert.deepEqual(third.errors, [
      { kind: "timeout", task: "tasks[2].tasks[3]", url: `${site.url}/item/3`, selector: ".body", message: "no element matched within 400 ms" },
    ]);
    assert.deepEqual(report.errors, third.errors);
    assert.equal(report.partial, 1);
    assert.ok(records.filter((r) => r !== third).every((r) => r.errors.length === 0 && typeof r.fields.body === "string"));
  });

  it("optional: an absent optional extract is no error; an absent required attribute is reported by field", async () => {
    const config = labConfig({}, [
      { type: "navigate", params: { url: "/item/5" } },
      { type: "extract", optional: true, params: { cssSelector: ".tags li", extractAttributes: { text: { as: "tags", all: true } } } },
      { type: "extract", params: { cssSelector: "h1.title", extractAttributes: { text: { as: "title" }, "data-missing": { as: "missing" }, "data-also": { as: "fine", optional: true } } } },
    ]);
    const { records } = await scrape(config);
    assert.deepEqual(records[0]!.fields, { title: "Item 5" });
    assert.deepEqual(records[0]!.errors.map((e) => [e.kind, e.task, e.field]), [["missing", "tasks[2]", "missing"]]);
  });

  it("extract without navigate scopes nested tasks to each element (table rows); post-processing parses numbers in a given format", async () => {
    const config = labConfig({ postProcess: { symbol: ["uppercase"], price: [{ number: { decimal: "," } }] } }, [
      { type: "navigate", params: { url: "/list" } },
      {
        type: "extract",
        params: { cssSelector: "table.quotes tr" },
        tasks: [
          { type: "extract", params: { cssSelector: "td.sym", extractAttributes: { text: { as: "symbol" } } } },
          { type: "extract", params: { cssSelector: "td.px", extractAttributes: { text: { as: "price" } } } },
        ],
      },
    ]);
    const { records } = await scrape(config);
    assert.deepEqual(records.map((r) => r.fields), [{ symbol: "ABC", price: 1234.5 }, { symbol: "XYZ", price: -12 }]);
  });

  it("retries a navigation with backoff, and gives up with an error after the last attempt", async () => {
    site.failures.set("/item/2", 2);
    site.failures.set("/item/4", 5);
    const { report, records } = await scrape(labConfig());
    assert.equal(records.find((r) => r.fields.id === "2")!.errors.length, 0, "item 2 loaded on its third attempt");
    assert.equal(site.requests.filter((p) => p === "/item/2").length, 3);
    const fourth = records.find((r) => r.fields.id === "4")!;
    assert.deepEqual(fourth.fields, { link: `${site.url}/item/4`, name: "Fourth item", id: "4" }, "partial: what the listing gave");
    assert.deepEqual(fourth.errors.map((e) => [e.kind, e.task, e.message]), [["navigation", "tasks[2].tasks[0]", "not loaded: HTTP 503"]]);
    assert.equal(site.requests.filter((p) => p === "/item/4").length, 3, "attempts: 3");
    assert.equal(report.navigationRetries, 4);
  });

  it("does not retry a 404", async () => {
    const config = labConfig({}, [{ type: "navigate", params: { url: "/nowhere" } }, { type: "extract", params: { cssSelector: "h1", extractAttributes: { text: { as: "title" } } } }]);
    const { report, records } = await scrape(config);
    assert.deepEqual(records, []);
    assert.deepEqual(report.errors.map((e) => [e.kind, e.message]), [["navigation", "not loaded: HTTP 404"]]);
    assert.equal(site.requests.filter((p) => p === "/nowhere").length, 1);
  });

  it("a required checkPresence that fails stops the run with an error report, no records", async () => {
    const config = labConfig({}, [
      { type: "navigate", params: { url: "/list" } },
      { type: "checkPresence", params: { cssSelector: ".no-such-list", timeout: 300 } },
      { type: "extract", params: { cssSelector: "a", extractAttributes: { href: { as: "link" } } } },
    ]);
    const { report, records } = await scrape(config);
    assert.deepEqual(records, []);
    assert.deepEqual(report.errors, [{ kind: "timeout", task: "tasks[1]", url: `${site.url}/list`, selector: ".no-such-list", message: "no element matched within 300 ms" }]);
  });

  it("a selector the browser rejects is reported, not thrown", async () => {
    const config = labConfig({}, [{ type: "navigate", params: { url: "/list" } }, { type: "extract", optional: true, params: { cssSelector: "a[", extractAttributes: { href: { as: "link" } } } }]);
    const { report } = await scrape(config);
    assert.equal(report.errors.length, 1);
    assert.equal(report.errors[0]!.kind, "error");
    assert.match(report.errors[0]!.message, /not a valid selector|SyntaxError/);
  });

  it("politeness: delay between navigations and a concurrency cap per domain; user agent sent", async () => {
    site.delays.set("/item/", 150);
    const config = labConfig({ politeness: { delayMs: 250, concurrency: 2 }, userAgent: "CryptoVizTest/1.0" });
    await scrape(config);
    const navigations = site.timeline.filter((t) => t.path.startsWith("/item/") || t.path === "/list");
    const gaps = navigations.slice(1).map((t, i) => t.at - navigations[i]!.at);
    // The throttle spaces navigation starts; arrival at the server jitters with
    // scheduling on a busy machine, so single gaps get some slack and the span none to speak of.
    assert.ok(gaps.every((g) => g >= 150), `navigations about 250 ms apart: ${gaps.join(", ")}`);
    const span = navigations.at(-1)!.at - navigations[0]!.at;
    assert.ok(span >= gaps.length * 250 - 50, `${gaps.length} gaps span ${span} ms, at least ${gaps.length * 250 - 50}`);
    assert.ok(navigations.every((t) => t.userAgent === "CryptoVizTest/1.0"));
  });

  it("blocks images and fonts by default, loads them when blockResources is empty", async () => {
    const single = (block: string[]) => labConfig({ blockResources: block }, [
      { type: "navigate", params: { url: "/list" } },
      { type: "checkPresence", params: { cssSelector: ".item" } },
      { type: "extract", params: { cssSelector: ".item a", extractAttributes: { href: { as: "link" } } } },
    ]);
    await scrape(labConfig({}, single(["image", "font", "media"]).tasks as unknown[]));
    assert.deepEqual(site.requests.filter((p) => p.startsWith("/static/")), []);
    await scrape(single([]));
    // The image loads without layout; the font only when text needs it, which a headless page may skip.
    assert.ok(site.requests.includes("/static/banner.png"), site.requests.join(" "));
  });

  it("stops starting pages at the deadline and returns what it has, marked aborted", async () => {
    site.delays.set("/item/", 300);
    const config = labConfig({ politeness: { delayMs: 400, concurrency: 1 } });
    const started = Date.now();
    const { report, records } = await scrape(config, { deadline: Date.now() + 1300 });
    assert.ok(Date.now() - started < 2500, `returned soon after the deadline (${Date.now() - started} ms)`);
    assert.equal(report.aborted, true);
    assert.ok(records.length >= 1 && records.length < 4, `some records (${records.length})`);
    assert.ok(report.notStarted + records.length <= 4);
    assert.ok(report.errors.some((e) => e.kind === "deadline") || report.notStarted > 0);
  });
});
