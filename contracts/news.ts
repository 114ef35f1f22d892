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

export { canonicalUrl } from "./canonicalUrl.ts";
