// News articles: one document per canonical URL (id = its SHA-256), replaced
// as a whole when the article is processed again, then the sentiment
// aggregates of every (tag, timeframe, bucket) the article is in — and was in
// before, if its tags or date changed — recomputed from the news documents.
import { addFailure, bulkWrite, failuresByKey, isOk, type BulkOperation } from "./bulkWrite.ts";
import { canonicalUrl } from "../../contracts/canonicalUrl.ts";
import { newsDocId } from "./documentIds.ts";
import { PermanentStoreError, RetryableStoreError, type StoreError } from "./errors.ts";
import { recomputeDocuments } from "./recomputeDocuments.ts";
import {
  buildSentimentSearches,
  parseSentimentSearch,
  sentimentTargets,
  type SentimentTarget,
  type TaggedPoint,
} from "./sentimentAggregation.ts";
import { bulkOptions, refreshIndices, type StoreContext } from "./StoreContext.ts";
import { type Keyed, type EnrichedArticle, type NewsDoc, type SentimentAggregate, type SentimentAggregateDoc } from "./types.ts";
import { SENTIMENT_LABELS } from "../../contracts/sentiment.ts";

export interface NewsWriteResult {
  /** Ids of the articles stored. */
  stored: string[];
  /** Current value of every sentiment aggregate the batch touched. */
  aggregates: SentimentAggregate[];
  failed: Map<string, StoreError>;
}

function toTime(v: string | number | undefined, field: string): number {
  const ms = typeof v === "number" ? v : typeof v === "string" ? Date.parse(v) : NaN;
  if (!Number.isFinite(ms) || ms <= 0) throw new TypeError(`${field} must be an ISO date or epoch ms, got ${String(v)}`);
  return ms;
}

function strings(v: unknown, field: string): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || v.some((s) => typeof s !== "string")) throw new TypeError(`${field} must be an array of strings`);
  return [...new Set((v as string[]).map((s) => s.trim()).filter((s) => s.length > 0))];
}

/** The stored form of an article; throws TypeError naming the field at fault. */
export function newsDoc(a: EnrichedArticle, now: number): NewsDoc {
  for (const field of ["url", "title", "source"] as const) {
    if (typeof a[field] !== "string" || a[field].trim() === "") throw new TypeError(`${field} must be a non-empty string`);
  }
  const coins = strings(a.coins, "coins");
  const tags = [...new Set([...strings(a.tags, "tags"), ...coins])];
  if (tags.some((t) => t.includes("|"))) throw new TypeError(`tags must not contain "|"`);
  const doc: NewsDoc = {
    url: a.url,
    canonicalUrl: canonicalUrl(a.url),
    title: a.title,
    source: a.source,
    publishedAt: new Date(toTime(a.publishedAt, "publishedAt")).toISOString(),
    keywords: strings(a.keywords, "keywords"),
    coins,
    tags,
    ingestedAt: new Date(a.ingestedAt === undefined ? now : toTime(a.ingestedAt, "ingestedAt")).toISOString(),
  };
  if (a.author !== undefined) doc.author = a.author;
  if (a.content !== undefined) doc.content = a.content;
  if (a.summary !== undefined) doc.summary = a.summary;
  if (a.sentiment !== undefined) {
    const { label, score, scores } = a.sentiment;
    if (!SENTIMENT_LABELS.includes(label)) throw new TypeError(`sentiment.label must be one of ${SENTIMENT_LABELS.join(", ")}`);
    if (typeof score !== "number" || !Number.isFinite(score) || score < -1 || score > 1) {
      throw new TypeError("sentiment.score must be a number in [-1, 1]");
    }
    doc.sentiment = scores === undefined ? { label, score } : { label, score, scores };
  }
  return doc;
}

interface Existing {
  index: string;
  point: TaggedPoint;
}

/** Where each id is stored now, and under which tags/date (search: not realtime, see docs/store.md). */
async function findExisting(ctx: StoreContext, ids: string[]): Promise<Map<string, Existing>> {
  const out = new Map<string, Existing>();
  if (ids.length === 0) return out;
  const response = await ctx.client.search({
    index: ctx.names.pattern("news"),
    body: { size: ids.length, query: { ids: { values: ids } }, _source: { includes: ["publishedAt", "tags"] } } as never,
  });
  const hits = (response.body as { hits: { hits: { _index: string; _id: string; _source?: { publishedAt?: string; tags?: string[] } }[] } }).hits.hits;
  for (const h of hits) {
    const published = Date.parse(h._source?.publishedAt ?? "");
    if (!Number.isFinite(published)) continue;
    out.set(h._id, { index: h._index, point: { publishedAt: published, tags: h._source?.tags ?? [] } });
  }
  return out;
}

export async function writeNews(ctx: StoreContext, articles: readonly Keyed<EnrichedArticle>[]): Promise<NewsWriteResult> {
  const failed = new Map<string, StoreError>();
  const now = ctx.now();
  const byId = new Map<string, { doc: NewsDoc; keys: Set<string> }>();
  for (const { key, item } of articles) {
    let doc: NewsDoc;
    let id: string;
    try {
      doc = newsDoc(item, now);
      id = newsDocId(item.url);
    } catch (err) {
      addFailure(failed, key, new PermanentStoreError((err as Error).message, { type: "invalid_article" }));
      continue;
    }
    const entry = byId.get(id);
    if (entry === undefined) byId.set(id, { doc, keys: new Set([key]) });
    else {
      entry.doc = doc; // the later one in the batch wins
      entry.keys.add(key);
    }
  }

  let existing: Map<string, Existing>;
  try {
    existing = await findExisting(ctx, [...byId.keys()]);
  } catch (err) {
    const error = new RetryableStoreError((err as Error).message, { type: "news_lookup_failed" }, { cause: err });
    for (const { keys } of byId.values()) for (const k of keys) addFailure(failed, k, error);
    return { stored: [], aggregates: [], failed };
  }

  const ops: BulkOperation[] = [...byId.entries()].map(([id, { doc, keys }]) => ({
    action: "index",
    // An article stays in the index it was first stored in, even if its date moves to another month.
    index: existing.get(id)?.index ?? ctx.names.news(Date.parse(doc.publishedAt)),
    id,
    doc,
    keys: [...keys],
  }));
  const results = ops.length > 0 ? await bulkWrite(ctx.client, ops, bulkOptions(ctx.config)) : [];
  failuresByKey(results, () => false, failed);
  const ok = results.filter(isOk);
  if (ok.length === 0) return { stored: [], aggregates: [], failed };

  const points: { keys: readonly string[]; point: TaggedPoint }[] = [];
  for (const r of ok) {
    const doc = r.op.doc as NewsDoc;
    points.push({ keys: r.op.keys, point: { tags: doc.tags, publishedAt: Date.parse(doc.publishedAt) } });
    const before = existing.get(r.op.id);
    if (before !== undefined) points.push({ keys: r.op.keys, point: before.point });
  }
  const targets = sentimentTargets(points, ctx.names);
  try {
    await refreshIndices(ctx, ok.map((r) => r.op.index));
  } catch (err) {
    const error = new RetryableStoreError((err as Error).message, { type: "refresh_failed" }, { cause: err });
    for (const t of targets) for (const k of t.owners) addFailure(failed, k, error);
    return { stored: ok.map((r) => r.op.id), aggregates: [], failed };
  }
  // No "skip if unchanged" here: news documents can change (label, tags), so
  // an equal value does not prove the stored aggregate saw this write.
  const result = await recomputeDocuments<SentimentAggregate, SentimentTarget>(ctx.client, targets, {
    compute: async (pending) => {
      const values = new Map<string, SentimentAggregate>();
      for (const search of buildSentimentSearches(pending, ctx.names)) {
        const response = await ctx.client.search({ index: search.indices.join(","), ignore_unavailable: true, body: search.body as never });
        for (const [k, v] of parseSentimentSearch(search, response.body as never)) values.set(k, v);
      }
      return values;
    },
    toDoc: (a): SentimentAggregateDoc => ({ ...a, updatedAt: ctx.now() }),
    maxAttempts: ctx.config.occMaxAttempts,
    bulk: bulkOptions(ctx.config),
  });
  for (const [k, e] of result.failed) addFailure(failed, k, e);
  // Readers are notified next and fetch at once: make the aggregates searchable
  // first. Best effort: they are stored either way and visible within the
  // index's refresh interval.
  await refreshIndices(ctx, targets.map((t) => t.index)).catch(() => undefined);
  return { stored: ok.map((r) => r.op.id), aggregates: [...result.values.values()], failed };
}
