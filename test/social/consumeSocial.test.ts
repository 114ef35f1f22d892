// The social consumer's domain against the local search endpoint and the
// shipped sentiment model: what it stores per post and per (coin, minute) is
// checked against values computed here from the posts themselves.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Client } from "@opensearch-project/opensearch";
import type { SocialPost } from "../../contracts/social.ts";
import { defaultSentimentModelDir, loadSentimentClassifier } from "../../lib/nlp/loadSentimentClassifier.ts";
import type { SentimentClassifier, SentimentPrediction } from "../../lib/nlp/types.ts";
import { RecordingNotifier } from "../../lib/notify/notifier.ts";
import type { ConsumedMessage } from "../../lib/queue/processQueueBatch.ts";
import { consumeSocialMessages, type SentimentService } from "../../lib/social/consumeSocialMessages.ts";
import { confirmedCoins } from "../../lib/social/preparePost.ts";
import { classifiedText } from "../../lib/social/socialPostDoc.ts";
import { socialPostDocId } from "../../lib/store/documentIds.ts";
import { ensureTemplates } from "../../lib/store/ensureTemplates.ts";
import type { StoreContext } from "../../lib/store/StoreContext.ts";
import type { SocialActivityDoc, SocialPostDoc } from "../../lib/store/types.ts";
import { HyperLogLog } from "../../lib/sketch/hyperLogLog.ts";
import type { SocialBatch } from "../../contracts/social.ts";
import { makePost, seededPosts, socialEnvelope } from "../fixtures/social/socialPosts.ts";
import { openSearchTarget, type SearchTarget } from "../store/searchTarget.ts";

const MIN = 60_000;
const NOW = Date.parse("2026-11-22T10:30:00Z");
const T0 = Date.parse("2026-11-22T10:00:00Z");
const silent = { debug() {}, info() {}, warn() {}, error() {} };

let target: SearchTarget;
let store: StoreContext<Client>;
let classifier: SentimentClassifier;
let calls: string[][];
let nlp: SentimentService;
let seq = 0;

const messagesOf = (batches: SocialPost[][], source: SocialPost["source"] = "jetstream"): ConsumedMessage<SocialBatch>[] =>
  batches.map((posts) => ({ messageId: `m${seq++}`, envelope: socialEnvelope(posts, seq, source), receiveCount: 1 }));

async function all<T>(pattern: string): Promise<Array<{ id: string; doc: T }>> {
  await target.client.indices.refresh({ index: pattern, ignore_unavailable: true } as never);
  const r = await target.client.search({ index: pattern, ignore_unavailable: true, body: { size: 10_000, query: { match_all: {} } } } as never);
  return ((r.body as { hits: { hits: { _id: string; _source: T }[] } }).hits.hits ?? []).map((h) => ({ id: h._id, doc: h._source }));
}
const posts = () => all<SocialPostDoc>(store.names.pattern("social-posts"));
const minutes = () => all<SocialActivityDoc>(store.names.pattern("social-activity"));

/** Per (coin, minute), straight from the posts and the model's predictions. */
async function expectedActivity(list: readonly SocialPost[]) {
  const unique = [...new Map(list.map((p) => [`${p.source}|${p.id}`, p])).values()];
  const predictions = await classifier.classify(unique.map((p) => classifiedText(p.text)));
  const out = new Map<string, { posts: number; positive: number; negative: number; scoreSum: number; authors: Set<string> }>();
  unique.forEach((p, i) => {
    const pred = predictions[i] as SentimentPrediction;
    for (const coin of confirmedCoins(p)) {
      const key = `${coin}|${Math.floor(Date.parse(p.createdAt) / MIN) * MIN}`;
      let e = out.get(key);
      if (!e) out.set(key, (e = { posts: 0, positive: 0, negative: 0, scoreSum: 0, authors: new Set() }));
      e.posts++;
      if (pred.label === "positive") e.positive++;
      if (pred.label === "negative") e.negative++;
      e.scoreSum += pred.scores.positive - pred.scores.negative;
      e.authors.add(`${p.source}|${p.authorId}`);
    }
  });
  return out;
}

async function assertActivityMatches(list: readonly SocialPost[]): Promise<void> {
  const expected = await expectedActivity(list);
  const stored = await minutes();
  assert.equal(stored.length, expected.size, "one activity document per (coin, minute)");
  for (const { id, doc } of stored) {
    const e = expected.get(id);
    assert.ok(e, `unexpected minute ${id}`);
    assert.equal(doc.posts, e.posts, `${id} posts`);
    assert.equal(doc.positive, e.positive, `${id} positive`);
    assert.equal(doc.negative, e.negative, `${id} negative`);
    // float32 model: the same text in another batch can differ in the 7th digit.
    assert.ok(Math.abs(doc.scoreSum - e.scoreSum) < 1e-5, `${id} scoreSum ${doc.scoreSum} vs ${e.scoreSum}`);
    assert.ok(Math.abs(doc.meanScore - e.scoreSum / e.posts) < 1e-5, `${id} meanScore`);
    // A handful of authors: linear counting is exact there.
    assert.equal(doc.authors, e.authors.size, `${id} authors`);
    assert.equal(HyperLogLog.decode(doc.authorsHll).count(), e.authors.size);
  }
}

before(async () => {
  target = await openSearchTarget();
  store = target.context(() => NOW);
  await ensureTemplates(store.client, store.config.indexPrefix);
  classifier = await loadSentimentClassifier(defaultSentimentModelDir(), { intraOpNumThreads: 1 });
  calls = [];
  nlp = {
    sentiment: (texts) => {
      calls.push([...texts]);
      return classifier.classify(texts);
    },
  };
});

after(async () => {
  await classifier?.close();
  await target?.close();
});

describe("consumeSocialMessages", () => {
  const first = seededPosts(120, T0, T0 + 5 * MIN, 1);
  const second = seededPosts(80, T0 + 3 * MIN, T0 + 8 * MIN, 2);

  it("stores each post once under the hash of source and id, with its sentiment, and each (coin, minute)'s activity", async () => {
    const notifier = new RecordingNotifier();
    // The same post twice in one window (a relay) and across two messages.
    const batches = [first.slice(0, 70), [...first.slice(70), first[5]!]];
    const outcome = await consumeSocialMessages(messagesOf(batches), { store, notifier, logger: silent, nlp });
    assert.deepEqual([...(outcome.failedMessageIds ?? [])], []);
    assert.deepEqual([...(outcome.deadLetters ?? [])], []);
    const stored = await posts();
    assert.equal(stored.length, 120);
    for (const p of first) {
      const hit = stored.find((s) => s.id === socialPostDocId(p.source, p.id));
      assert.ok(hit, p.id);
      const { positive, negative, neutral } = hit.doc.sentiment.scores!;
      assert.ok(Math.abs(positive! + negative! + neutral! - 1) < 1e-5);
      assert.ok(Math.abs(hit.doc.sentiment.score - (positive! - negative!)) < 1e-9);
      assert.deepEqual(hit.doc.coins, p.coins);
    }
    await assertActivityMatches(first);
    // Every coin's topics, with the minutes that changed and the newest posts.
    const topics = new Set(notifier.published.map((n) => n.topic));
    for (const coin of ["BTC", "ETH", "SOL"]) {
      assert.ok(topics.has(`cryptoviz/social/${coin}/notify/refresh`) && topics.has(`cryptoviz/social/${coin}/notify/data`), coin);
    }
    const data = notifier.published.find((n) => n.topic === "cryptoviz/social/BTC/notify/data")!.payload as { minutes: { posts: number }[]; posts: { coins: string[]; createdAt: string }[] };
    assert.ok(data.posts.length > 0 && data.posts.length <= 5 && data.posts.every((p) => p.coins.includes("BTC")));
    assert.deepEqual(data.posts.map((p) => p.createdAt), [...data.posts.map((p) => p.createdAt)].sort().reverse(), "newest first");
    assert.equal(data.minutes.reduce((n, m) => n + m.posts, 0), first.filter((p) => p.coins.includes("BTC")).length);
  });

  it("a redelivered batch changes nothing and calls no model; an overlapping window adds only its new posts", async () => {
    const before = await minutes();
    calls.length = 0;
    await consumeSocialMessages(messagesOf([first.slice(0, 70), first.slice(70)]), { store, notifier: new RecordingNotifier(), logger: silent, nlp });
    assert.equal(calls.length, 0, "posts stored already are not classified again");
    assert.deepEqual((await minutes()).map((m) => [m.id, m.doc.posts, m.doc.authorsHll]).sort(), before.map((m) => [m.id, m.doc.posts, m.doc.authorsHll]).sort());
    assert.equal((await posts()).length, 120);

    // A resumed window starting before the last one ended: half of it was seen.
    const overlap = [...first.slice(100), ...second];
    await consumeSocialMessages(messagesOf([overlap]), { store, notifier: new RecordingNotifier(), logger: silent, nlp });
    assert.equal(calls.flat().length, second.length, "only the new posts reach the model");
    assert.equal((await posts()).length, 200);
    await assertActivityMatches([...first, ...second]);
  });

  it("drops coins the text does not evidence (ambiguous tickers) and posts left with none", async () => {
    const t = T0 + 20 * MIN;
    const list = [
      makePost({ coin: "LINK", text: "click the link in my bio for the giveaway", createdAtMs: t, author: "spam", n: 1 }),
      { ...makePost({ coin: "LINK", text: "$LINK breaks out while Chainlink oracles expand", createdAtMs: t, author: "trader", n: 2 }), coins: ["LINK", "ONE"] },
    ];
    await consumeSocialMessages(messagesOf([list]), { store, notifier: new RecordingNotifier(), logger: silent, nlp });
    const stored = (await posts()).filter((p) => p.doc.createdAt === new Date(t).toISOString());
    assert.deepEqual(stored.map((p) => p.doc.coins), [["LINK"]], "the spam post is dropped, ONE is not evidenced");
  });

  it("sends a message that can never be stored to the DLQ naming the post and field; its neighbours are stored", async () => {
    const old = makePost({ createdAtMs: NOW - 40 * 24 * 3_600_000, author: "late", n: 10 });
    const future = makePost({ createdAtMs: NOW + 3 * 24 * 3_600_000, author: "clock", n: 11 });
    const good = makePost({ createdAtMs: T0 + 30 * MIN, author: "fine", n: 12 });
    const mixed = { ...makePost({ createdAtMs: T0, author: "x", n: 13 }), source: "x" as const };
    const messages = messagesOf([[good, old], [future], [good, mixed], [good]]);
    const outcome = await consumeSocialMessages(messages, { store, notifier: new RecordingNotifier(), logger: silent, nlp });
    const reasons = new Map(outcome.deadLetters);
    assert.match(reasons.get(messages[0]!.messageId)!, /^invalid social batch: posts\[1\]\.createdAt: .* older than the social retention/);
    assert.match(reasons.get(messages[1]!.messageId)!, /^invalid social batch: posts\[0\]\.createdAt: .* more than a day ahead/);
    assert.match(reasons.get(messages[2]!.messageId)!, /^invalid social batch: posts\[1\]\.source: "x" differs from the batch's source "jetstream"/);
    assert.equal(reasons.size, 3);
    assert.ok((await posts()).some((p) => p.id === socialPostDocId("jetstream", good.id)));
  });

  it("a model outage returns the batch to the queue with nothing written; a refused request goes to the DLQ", async () => {
    const count = (await posts()).length;
    const list = [makePost({ createdAtMs: T0 + 40 * MIN, author: "outage", n: 20 })];
    const down: SentimentService = { sentiment: () => Promise.reject(new Error("connect ECONNREFUSED")) };
    const [m] = messagesOf([list]);
    const outcome = await consumeSocialMessages([m!], { store, notifier: new RecordingNotifier(), logger: silent, nlp: down });
    assert.deepEqual([...(outcome.failedMessageIds ?? [])], [m!.messageId]);
    assert.equal((await posts()).length, count);
    const { EnrichmentFailedError } = await import("../../lib/news/enrich/NlpServices.ts");
    const refused: SentimentService = { sentiment: () => Promise.reject(new EnrichmentFailedError("sentiment", "the endpoint refused the request (HTTP 400)")) };
    const again = await consumeSocialMessages([m!], { store, notifier: new RecordingNotifier(), logger: silent, nlp: refused });
    assert.match(new Map(again.deadLetters).get(m!.messageId)!, /^classification failed: sentiment failed: the endpoint refused/);
  });

  it("with too little time left, no chunk starts: the messages return to the queue, nothing is called", async () => {
    calls.length = 0;
    const [m] = messagesOf([[makePost({ createdAtMs: T0 + 50 * MIN, author: "late-in-invocation", n: 30 })]]);
    const outcome = await consumeSocialMessages([m!], { store, notifier: new RecordingNotifier(), logger: silent, nlp, remainingTimeMs: () => 2_000 });
    assert.deepEqual([...(outcome.failedMessageIds ?? [])], [m!.messageId]);
    assert.equal(calls.length, 0);
  });
});
