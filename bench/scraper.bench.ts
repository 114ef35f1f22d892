// Scraper throughput, cold start and memory, against a generated fixture site
// with u.today's structure: a listing of N article pages, each carrying images,
// a web font and a video that a real news page would (served with latency).
// Runs the shipped scrapers/u.today.yaml with politeness off (delay 0,
// concurrency BENCH_CONCURRENCY) so that the browser, not the politeness
// delay, is measured.
//
//   npm run bench -- scraper            (200 articles; --quick: 40)
//   BENCH_ARTICLES=500 BENCH_CONCURRENCY=4 npx tsx bench/scraper.bench.ts
//
// Cold start extracts Chromium into a fresh TMPDIR (as a new Lambda container does).
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

const quick = process.argv.includes("--quick");
const ARTICLES = Number(process.env.BENCH_ARTICLES ?? (quick ? 40 : 200));
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);

// Before @sparticuz/chromium is imported: it extracts into os.tmpdir().
const coldTmp = await mkdtemp(join(tmpdir(), "scraper-bench-"));
process.env.TMPDIR = coldTmp;

const { launchChromium } = await import("../lib/scraper/launchChromium.ts");
const { loadScraperConfig } = await import("../lib/scraper/loadScraperConfig.ts");
const { runScraper } = await import("../lib/scraper/runScraper.ts");
const { serveFixtureSite } = await import("../test/scraper/helpers/fixtureServer.ts");
type Sink = import("../lib/scraper/sinks/RecordSink.ts").RecordSink;

const listing = (n: number) => `<!doctype html><html><head><meta charset="utf-8"><title>News</title>
<style>@font-face { font-family: F; src: url(/static/f.woff2); } body { font-family: F; }</style></head><body>
<img src="/static/logo.png"><div class="category__news">
${Array.from({ length: n }, (_, i) => `<div class="news__item"><a class="news__item-body" href="https://u.today/article-${i}"><img src="/static/thumb-${i}.jpg"><div class="news__item-title">Article ${i}</div></a></div>`).join("\n")}
</div></body></html>`;

const article = (i: number) => `<!doctype html><html><head><meta charset="utf-8"><title>Article ${i}</title>
<style>@font-face { font-family: F; src: url(/static/f-${i}.woff2); } body { font-family: F; }</style></head><body>
<article><h1 class="article__title">Article ${i}</h1>
<div class="article__info"><div class="author-brief"><a class="author-brief__name" href="/author/a${i % 7}">Author ${i % 7}</a></div>
<div class="article__short-date">Nov ${1 + (i % 28)}, 2026 - ${String(i % 24).padStart(2, "0")}:15</div></div>
${Array.from({ length: 6 }, (_, k) => `<img src="/static/a${i}-${k}.jpg" width="600" height="400">`).join("")}
<div class="article__content">${Array.from({ length: 12 }, (_, k) => `<p>Paragraph ${k} of article ${i}: ${"text ".repeat(40)}</p>`).join("")}</div>
<div class="tags__list"><a class="tags__item">Bitcoin</a><a class="tags__item">Markets</a></div>
<video src="/static/v${i}.mp4" autoplay muted></video></article></body></html>`;

const site = await serveFixtureSite(undefined, (path) => {
  if (path === "/latest-cryptocurrency-news") return listing(ARTICLES);
  const m = /^\/article-(\d+)$/.exec(path);
  return m ? article(Number(m[1])) : undefined;
});
site.delays.set("/static/", 80); // a CDN's latency for each image, font and video

const shipped = await loadScraperConfig("scrapers/u.today.yaml");
const base = { ...shipped, politeness: { delayMs: 0, concurrency: CONCURRENCY } };
const withLimit = (limit: number, blockResources: typeof shipped.blockResources) => ({
  ...base,
  blockResources,
  tasks: base.tasks.map((t) => (t.type === "extract" ? { ...t, params: { ...t.params, limit } } : t)),
});

let delivered = 0;
const countingSink: Sink = { write: async (_c, records) => ((delivered += records.length), { delivered: [...records], rejected: [] }) };

/** RSS of this process plus every Chromium process (they are its descendants). */
function treeRssMb(rootPid: number): number {
  const children = (pid: number): number[] => {
    try {
      return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
    } catch {
      return [];
    }
  };
  let kb = 0;
  const stack = [rootPid];
  while (stack.length) {
    const pid = stack.pop()!;
    try {
      kb += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
    } catch {
      /* exited */
    }
    stack.push(...children(pid));
  }
  return kb / 1024;
}

try {
  // Cold: extraction + launch + first page, as a new container's first invocation.
  const t0 = performance.now();
  const browser = await launchChromium();
  const launched = performance.now();
  const page = await browser.newPage({ blockResources: ["image", "font", "media"] });
  await page.goto(`${site.url}/article-0`, 30_000);
  const firstPage = performance.now();
  await page.close();
  console.log(`cold start: Chromium extraction + launch ${(launched - t0).toFixed(0)} ms, first page loaded at ${(firstPage - t0).toFixed(0)} ms`);

  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, treeRssMb(process.pid))), 100);
  const results: Record<string, number> = {};
  for (const [label, block] of [["blocking on", ["image", "font", "media"]], ["blocking off", []]] as const) {
    const count = label === "blocking off" ? Math.max(10, Math.floor(ARTICLES / 4)) : ARTICLES;
    delivered = 0;
    const started = performance.now();
    const report = await runScraper(withLimit(count, [...block]), { browser, sink: countingSink, baseUrlOverride: site.url });
    const seconds = (performance.now() - started) / 1000;
    const perMinute = (report.pages / seconds) * 60;
    results[label] = perMinute;
    console.log(`${label}: ${report.pages} pages (${delivered} records, ${report.errors.length} errors) in ${seconds.toFixed(1)} s = ${perMinute.toFixed(0)} pages/min, concurrency ${CONCURRENCY}`);
  }
  clearInterval(sampler);
  console.log(`resource blocking speed-up: ${(results["blocking on"]! / results["blocking off"]!).toFixed(2)}×`);
  console.log(`peak RSS (node + Chromium): ${peak.toFixed(0)} MB (scrape functions: memorySize 2048)`);
  await browser.close();
} finally {
  await site.close();
  await rm(coldTmp, { recursive: true, force: true });
}
