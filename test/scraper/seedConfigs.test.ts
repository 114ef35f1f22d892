// The original crawler's configs run as they are: only `domain`, `tasks` and
// `webhook`, absolute URLs, no `kind`, no `baseUrl`. The real example from its
// design document (test/fixtures/seed-configs/, copied unchanged) against a
// fixture site with the page structure it was written for, in real Chromium
// through the documented command.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, it } from "node:test";
import { loadScraperConfig, parseScraperConfig } from "../../lib/scraper/loadScraperConfig.ts";
import { ScraperConfigError } from "../../lib/scraper/ScraperConfigError.ts";
import { fixtureDir, serveFixtureSite } from "./helpers/fixtureServer.ts";

const SEED = "test/fixtures/seed-configs/crawler-config-u.today.yaml";
const run = promisify(execFile);

interface Article {
  slug: string;
  title: string;
  published: string;
  author: { name: string; slug: string } | null;
  paragraphs: string[];
}

describe("the original crawler's config format", () => {
  it("loads unchanged: kind news, baseUrl from the first absolute navigate, delivery to its webhook", async () => {
    const config = await loadScraperConfig(SEED);
    assert.equal(config.kind, "news");
    assert.equal(config.baseUrl, "https://u.today");
    assert.equal(config.sink, "webhook");
    assert.deepEqual(config.webhook, { url: "http://localhost:9000", headers: { Authorization: "Basic xxxx" } });
    assert.deepEqual(config.allowedHosts, []);
    assert.equal(config.allowPrivateNetwork, false);
  });

  it("asks for a baseUrl only when no navigate URL is absolute", () => {
    const relative = "domain: example.com\ntasks:\n  - type: navigate\n    params: { url: /news }\n";
    assert.throws(() => parseScraperConfig("rel.yaml", relative), (error: unknown) => {
      assert.ok(error instanceof ScraperConfigError);
      assert.equal(error.path, "baseUrl");
      assert.match(error.reason, /required when no navigate task has an absolute http\(s\) URL/);
      return true;
    });
    const nested = "domain: example.com\ntasks:\n  - type: navigate\n    params: { url: $start }\n";
    assert.throws(() => parseScraperConfig("nested.yaml", nested), ScraperConfigError);
    assert.equal(parseScraperConfig("abs.yaml", "domain: example.com\ntasks:\n  - type: navigate\n    params: { url: 'https://www.example.com:8443/a/b?c' }\n").baseUrl, "https://www.example.com:8443");
  });

  it("runs unchanged against a fixture copy of the site (npm run scrape -- … --base-url), never following a planted link", async () => {
    const site = await serveFixtureSite(fixtureDir("u.today-classic"));
    try {
      const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", "scripts/scrape.ts", SEED, "--sink", "stdout", "--base-url", site.url], { encoding: "utf8" });
      const records = stdout.trim().split("\n").map((line) => JSON.parse(line) as Record<string, string>);
      const { articles } = JSON.parse(readFileSync(join(fixtureDir("u.today"), "data.json"), "utf8")) as { articles: Article[] };
      assert.deepEqual(
        records,
        articles.map((a) => ({
          title: a.title.trim(),
          link: `https://u.today/${a.slug}`,
          publishedAt: a.published,
          content: a.paragraphs.join("\n\n"),
          // A guest post has no author block: the crawler's guard (checkPresence) ends that item there.
          ...(a.author ? { authorName: a.author.name, authorLink: `https://x.com/${a.author.slug.replace(/-/g, "_")}` } : {}),
        })),
      );
      const report = JSON.parse(stderr.trim().split("\n").pop()!) as { records: number; pages: number; errors: Array<{ kind: string; url?: string; selector?: string }> };
      assert.equal(report.pages, 1 + articles.length);
      assert.deepEqual(
        report.errors.map((e) => [e.kind, e.url?.replace(site.url, ""), e.selector]),
        [
          ["refused", "https://evil.example/planted-article", undefined],
          ["timeout", "/dogecoin-whale-moves-dormant-coins", "main .article .about-author"],
        ],
      );
      assert.ok(!site.requests.some((p) => p.includes("planted")));
    } finally {
      await site.close();
    }
  });
});
