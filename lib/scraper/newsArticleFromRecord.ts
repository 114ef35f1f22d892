import type { FieldValues } from "./substitute.ts";

const text = (v: FieldValues[string]) => (typeof v === "string" ? v : undefined);

/**
 * Maps a scraped record to a `news.article/v1` candidate. Field names follow the
 * original crawler (`link`, `authorName`), as the webhook does.
 */
export function newsArticleFromRecord(source: string, fields: FieldValues): unknown {
  const out: Record<string, unknown> = { source, title: fields.title, url: fields.link ?? fields.url };
  const optional: Record<string, unknown> = {
    publishedAt: text(fields.publishedAt),
    author: text(fields.authorName) ?? text(fields.author),
    authorLink: text(fields.authorLink),
    content: text(fields.content),
    tags: Array.isArray(fields.tags) ? fields.tags : typeof fields.tags === "string" ? [fields.tags] : undefined,
  };
  for (const [k, v] of Object.entries(optional)) if (v !== undefined) out[k] = v;
  return out;
}
