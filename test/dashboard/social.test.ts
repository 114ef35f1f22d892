// The dashboard's social panel, pure parts: live posts merged into the list,
// live minutes into the activity, the columns, the tones and the correlation
// sentence.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { SocialMinute, SocialPostItem } from "../../contracts/api.ts";
import type { SocialActivityBucket } from "../../contracts/social.ts";
import { activityColumns, applyLiveMinutes, correlationSentence, formatScore, mergeLatestPosts, sentimentTone } from "../../dashboard/src/state/social.ts";

const post = (id: string, createdAt: string, score = 0): SocialPostItem => ({
  id,
  source: "jetstream",
  postId: `at://${id}`,
  authorId: `did:plc:${id}`,
  text: `post ${id}`,
  langs: ["en"],
  hashtags: [],
  createdAt,
  coins: ["BTC"],
  sentiment: { label: score > 0 ? "positive" : score < 0 ? "negative" : "neutral", score },
});
const bucket = (t: string, posts: number, close: number | null = null): SocialActivityBucket => ({ t, posts, authors: posts, sentiment: posts > 0 ? 0.1 : null, positive: 0, negative: 0, close, return: null });
const minute = (iso: string, posts: number, meanScore = 0.2): SocialMinute => ({ bucketStart: Date.parse(iso), posts, authors: posts - 1, positive: 1, negative: 0, neutral: posts - 1, meanScore });

describe("social panel state", () => {
  it("merges live posts into the list newest first, without repeats, keeping the limit", () => {
    const shown = [post("b", "2026-11-22T10:00:02Z"), post("a", "2026-11-22T10:00:01Z")];
    const merged = mergeLatestPosts(shown, [post("c", "2026-11-22T10:00:03Z"), post("b", "2026-11-22T10:00:02Z")], 2);
    assert.deepEqual(merged.map((p) => p.id), ["c", "b"]);
    assert.deepEqual(mergeLatestPosts([], []), []);
  });

  it("applies 1m minutes in place (keeping the close) and appends new ones; longer buckets reload", () => {
    const shown = [bucket("2026-11-22T10:00:00.000Z", 3, 100), bucket("2026-11-22T10:01:00.000Z", 1, 101)];
    const next = applyLiveMinutes(shown, { minutes: [minute("2026-11-22T10:01:00Z", 5), minute("2026-11-22T10:02:00Z", 2)] }, "1m");
    assert.notEqual(next, "reload");
    const list = next as SocialActivityBucket[];
    assert.deepEqual(list.map((b) => [b.t, b.posts, b.close]), [
      ["2026-11-22T10:00:00.000Z", 3, 100],
      ["2026-11-22T10:01:00.000Z", 5, 101],
      ["2026-11-22T10:02:00.000Z", 2, null],
    ]);
    assert.equal(list[1]!.sentiment, 0.2);
    assert.equal(list[1]!.authors, 4);
    assert.equal(applyLiveMinutes(shown, { minutes: [minute("2026-11-22T10:01:00Z", 5)] }, "15m"), "reload");
    assert.deepEqual(applyLiveMinutes(shown, { minutes: [] }, "15m"), shown, "nothing to apply: nothing to reload");
  });

  it("draws a column per bucket titled with authors and sentiment; tones and scores read as signed", () => {
    const cols = activityColumns([bucket("2026-11-22T10:00:00.000Z", 3), bucket("2026-11-22T10:15:00.000Z", 0)]);
    assert.deepEqual(cols.map((c) => [c.label, c.value]), [["11-22 10:00", 3], ["11-22 10:15", 0]]);
    assert.equal(cols[0]!.text, "3 posts, ~3 authors, sentiment +0.10");
    assert.equal(cols[1]!.text, "0 posts, ~0 authors, sentiment –");
    assert.deepEqual([sentimentTone(0.3), sentimentTone(-0.3), sentimentTone(0.01), sentimentTone(null)], ["up", "down", "", ""]);
    assert.deepEqual([formatScore(0.4211), formatScore(-0.1), formatScore(null)], ["+0.42", "−0.10", "–"]);
  });

  it("says which lag correlates most, and when there is too little data", () => {
    assert.equal(
      correlationSentence("Activity", [{ lag: -1, r: 0.2, n: 10 }, { lag: 2, r: -0.61, n: 9 }, { lag: 0, r: null, n: 2 }]),
      "Activity vs returns: strongest r = -0.61 leading returns by 2 buckets (n = 9).",
    );
    assert.equal(correlationSentence("Sentiment", [{ lag: -1, r: 0.3, n: 5 }]), "Sentiment vs returns: strongest r = 0.30 following returns by 1 bucket (n = 5).");
    assert.equal(correlationSentence("Activity", [{ lag: 0, r: null, n: 1 }]), "Activity vs returns: not enough buckets with both.");
  });
});
