// Social posts: one document per (source, id), written with `create` so a post
// seen again (a resumed window's overlap, a redelivered batch) changes nothing;
// then the activity of every (coin, minute) the batch's posts are in,
// recomputed from the stored posts with the optimistic read → aggregate →
// conditional write loop (docs/store.md).
import { addFailure, bulkWrite, isConflict, isOk, toStoreError, type BulkOperation } from "./bulkWrite.ts";
import { RetryableStoreError, type StoreError } from "./errors.ts";
import { readVersions, refKey } from "./readVersions.ts";
import { recomputeDocuments } from "./recomputeDocuments.ts";
import { buildSocialActivitySearches, parseSocialActivitySearch, socialActivityTargets, type CoinPoint, type SocialActivityTarget } from "./socialActivityAggregation.ts";
import { bulkOptions, refreshIndices, type StoreContext } from "./StoreContext.ts";
import type { SocialActivity, SocialActivityDoc, SocialPostDoc } from "./types.ts";

export interface SocialPostWrite {
  /** The caller's record key (an SQS messageId). */
  key: string;
  /** Deterministic `_id` (documentIds.socialPostDocId). */
  id: string;
  /** ISO 8601 (decides its daily index and minute) and its coins. */
  createdAt: string;
  coins: readonly string[];
  /** The document to create; absent when the post is known to be stored already (its minutes are still recomputed: a retry after a failed recompute). */
  doc?: SocialPostDoc;
}

export interface SocialWriteResult {
  /** Ids of the posts written now. */
  created: string[];
  /** Ids that were stored already (found before, or answered 409). */
  duplicates: string[];
  /** Current activity of every (coin, minute) the batch touched. */
  activity: SocialActivity[];
  failed: Map<string, StoreError>;
}

export function socialPostIndex(ctx: Pick<StoreContext, "names">, doc: Pick<SocialPostDoc, "createdAt">): string {
  return ctx.names.socialPosts(Date.parse(doc.createdAt));
}

/** Which of these posts are stored already (realtime `_mget`): keyed by `_id`. */
export async function findStoredPosts(ctx: StoreContext, posts: readonly { id: string; createdAt: string }[]): Promise<Set<string>> {
  const refs = posts.map((p) => ({ index: socialPostIndex(ctx, p), id: p.id }));
  const found = await readVersions<unknown>(ctx.client, refs);
  return new Set(refs.filter((r) => found.has(refKey(r.index, r.id))).map((r) => r.id));
}

export async function writeSocialPosts(ctx: StoreContext, posts: readonly SocialPostWrite[]): Promise<SocialWriteResult> {
  const failed = new Map<string, StoreError>();
  const byId = new Map<string, { post: SocialPostWrite; keys: Set<string>; stored: boolean }>();
  for (const p of posts) {
    const entry = byId.get(p.id);
    if (entry === undefined) byId.set(p.id, { post: p, keys: new Set([p.key]), stored: p.doc === undefined });
    else {
      entry.keys.add(p.key);
      if (p.doc === undefined) entry.stored = true;
      else if (entry.post.doc === undefined && !entry.stored) entry.post = p;
    }
  }
  const ops: BulkOperation[] = [];
  const points: { keys: readonly string[]; point: CoinPoint }[] = [];
  const duplicates: string[] = [];
  const pointOf = (p: SocialPostWrite): CoinPoint => ({ coins: p.coins, createdAt: Date.parse(p.createdAt) });
  const byOp = new Map<string, SocialPostWrite>();
  for (const [id, { post, keys, stored }] of byId) {
    if (stored || post.doc === undefined) {
      duplicates.push(id);
      points.push({ keys: [...keys], point: pointOf(post) });
    } else {
      ops.push({ action: "create", index: socialPostIndex(ctx, post), id, doc: post.doc, keys: [...keys] });
      byOp.set(id, post);
    }
  }
  // Refreshed with the write: the activity search below must see these posts.
  const results = ops.length > 0 ? await bulkWrite(ctx.client, ops, { ...bulkOptions(ctx.config), refresh: true }) : [];
  const created: string[] = [];
  for (const r of results) {
    if (isOk(r)) created.push(r.op.id);
    else if (isConflict(r)) duplicates.push(r.op.id); // stored before: the first copy stays
    else {
      const error = toStoreError(r);
      for (const k of r.op.keys) addFailure(failed, k, error);
      continue;
    }
    points.push({ keys: r.op.keys, point: pointOf(byOp.get(r.op.id)!) });
  }
  // A post seen before may have been written by a run that failed before its
  // activity was recomputed: refresh its index too, so the recompute sees it.
  const staleIndices = [...byId.values()].filter((e) => e.stored).map((e) => socialPostIndex(ctx, e.post));
  const targets = socialActivityTargets(points, ctx.names);
  if (targets.length === 0) return { created, duplicates, activity: [], failed };
  try {
    await refreshIndices(ctx, staleIndices);
  } catch (err) {
    const error = new RetryableStoreError((err as Error).message, { type: "refresh_failed" }, { cause: err });
    for (const t of targets) for (const k of t.owners) addFailure(failed, k, error);
    return { created, duplicates, activity: [], failed };
  }
  const result = await recomputeDocuments<SocialActivity, SocialActivityTarget>(ctx.client, targets, {
    compute: async (pending) => {
      const values = new Map<string, SocialActivity>();
      for (const search of buildSocialActivitySearches(pending, ctx.names)) {
        const response = await ctx.client.search({ index: search.indices.join(","), ignore_unavailable: true, body: search.body as never });
        for (const [k, v] of parseSocialActivitySearch(search, response.body as never)) values.set(k, v);
      }
      return values;
    },
    // Posts are never changed or removed inside the retention, so a minute's
    // post set only grows and `posts` is its size: equal counts mean the
    // stored value already includes this batch (docs/store.md, "Skipping unchanged").
    same: (stored, computed) => stored.posts === computed.posts,
    toDoc: (a): SocialActivityDoc => ({ ...a, updatedAt: ctx.now() }),
    maxAttempts: ctx.config.occMaxAttempts,
    bulk: bulkOptions(ctx.config),
  });
  for (const [k, e] of result.failed) addFailure(failed, k, e);
  // Readers are notified next and fetch at once (best effort: visible within the refresh interval anyway).
  await refreshIndices(ctx, result.writtenIndices).catch(() => undefined);
  return { created, duplicates, activity: [...result.values.values()], failed };
}
