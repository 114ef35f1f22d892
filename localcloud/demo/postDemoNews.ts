// `npm run demo`'s news: the hand-written articles in ./news go through the
// real webhook, queue, inference functions and store, dated over the last few
// hours, so the News and Sentiment views have something to show offline.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const NEWS_DIR = join(dirname(fileURLToPath(import.meta.url)), "news");
const SPACING_MS = 37 * 60_000;

interface DemoArticle {
  title: string;
  url: string;
  content: string;
}

/** Posts every demo article to the ingest webhook; returns how many were accepted. */
export async function postDemoNews(apiUrl: string, ingestToken: string, now = Date.now()): Promise<number> {
  const files = readdirSync(NEWS_DIR).filter((f) => f.endsWith(".json")).sort();
  let accepted = 0;
  for (const [i, file] of files.entries()) {
    const a = JSON.parse(readFileSync(join(NEWS_DIR, file), "utf8")) as DemoArticle;
    const response = await fetch(`${apiUrl}/ingest/news`, {
      method: "POST",
      headers: { authorization: `Bearer ${ingestToken}`, "content-type": "application/json" },
      body: JSON.stringify({
        // The webhook names sources like u.today: the article's site.
        source: new URL(a.url).hostname.replace(/^www\./, ""),
        items: [{ title: a.title, url: a.url, content: a.content, publishedAt: new Date(now - i * SPACING_MS).toISOString() }],
      }),
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) throw new Error(`POST /ingest/news for ${file}: HTTP ${response.status} ${await response.text()}`);
    accepted++;
  }
  return accepted;
}
