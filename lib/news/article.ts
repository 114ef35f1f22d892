import { z } from "zod";

/** A scraped or ingested news article, before enrichment. `news.article/v1` payload. */
export const newsArticleSchema = z.strictObject({
  title: z.string().trim().min(1).max(1000),
  url: z.url({ protocol: /^https?$/ }),
  source: z.string().min(1).max(128),
  publishedAt: z.iso.datetime({ offset: true }).optional(),
  author: z.string().max(256).optional(),
  authorLink: z.url({ protocol: /^https?$/ }).optional(),
  content: z.string().max(500_000).optional(),
  tags: z.array(z.string().min(1).max(64)).max(100).optional(),
});
export type NewsArticle = z.infer<typeof newsArticleSchema>;

export const NEWS_ARTICLE_SCHEMA = "news.article/v1";

/** Same article, same id: the URL without fragment, tracking parameters or trailing slash. */
export function canonicalUrl(raw: string): string {
  const url = new URL(raw);
  url.hash = "";
  for (const key of [...url.searchParams.keys()]) {
    if (/^(utm_|fbclid$|gclid$|mc_)/i.test(key)) url.searchParams.delete(key);
  }
  url.hostname = url.hostname.toLowerCase();
  let text = url.toString();
  if (url.pathname !== "/" && text.endsWith("/")) text = text.slice(0, -1);
  return text;
}
