import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { authorizeIngest } from "../../lib/ingest/authorize.ts";
import { tokensOf } from "../../lib/secrets/Secret.ts";
import { planIngest } from "../../lib/ingest/ingestRequest.ts";
import { InvalidRequestError } from "../../contracts/validation.ts";
import { canonicalUrl } from "../../contracts/news.ts";
import { parseWireEnvelope } from "../../lib/queue/envelope.ts";

const now = new Date("2026-11-22T09:13:05.000Z");
const article = (i: number) => ({ title: `Headline ${i}`, link: `https://u.today/story-${i}?utm_source=x#top`, authorName: "A. Writer" });
const trade = (i: number) => ({
  exchange: "binance", symbol: "BTCUSDT", base: "BTC", quote: "USDT", price: 98000 + i, size: 0.01,
  side: "buy", tradeId: String(i), ts: 1795338720000 + i, receivedAt: 1795338720100 + i,
});

function rejects(fn: () => unknown, field: string) {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof InvalidRequestError, `expected InvalidRequestError, got ${String(error)}`);
    assert.equal(error.field, field);
    return true;
  });
}

describe("planIngest (news)", () => {
  it("normalises the crawler's field names and derives one envelope per article from its canonical URL", () => {
    const plan = planIngest("news", { source: "u.today", items: [article(1), article(2)] }, now, "corr-1");
    assert.equal(plan.envelopes.length, 2);
    const first = plan.envelopes[0]!;
    const payload = first.payload as { url: string; author: string; source: string };
    assert.equal(payload.url, "https://u.today/story-1?utm_source=x#top");
    assert.equal(payload.author, "A. Writer");
    assert.equal(payload.source, "u.today");
    assert.equal(first.correlationId, "corr-1");
    assert.equal(canonicalUrl(payload.url), "https://u.today/story-1");
    // Every envelope is valid on the wire as the consumer will read it.
    for (const e of plan.envelopes) parseWireEnvelope(JSON.stringify(e));
  });

  it("accepts emoji and names the field holding a character SQS refuses (U+FFFF, lone surrogates)", () => {
    const plan = planIngest("news", { source: "u.today", items: [{ title: "ETF 🚀 approved", url: "https://u.today/e", tags: ["🌕"] }] }, now);
    assert.equal((plan.envelopes[0]!.payload as { title: string }).title, "ETF 🚀 approved");
    rejects(() => planIngest("news", { source: "u.today", items: [article(1), { ...article(2), authorName: "A \uD83D" }] }, now), "items[1].authorName");
    rejects(() => planIngest("news", { source: "u.today", items: [{ ...article(1), content: "x\uFFFF" }] }, now), "items[0].content");
  });

  it("gives the same article the same id whatever tracking parameters it carries", () => {
    const a = planIngest("news", { source: "u.today", items: [{ title: "T", url: "https://u.today/x?utm_medium=y" }] }, now);
    const b = planIngest("news", { source: "u.today", items: [{ title: "T", url: "https://U.TODAY/x/" }] }, now);
    assert.equal(a.envelopes[0]!.id, b.envelopes[0]!.id);
    assert.notEqual(a.batchId, b.batchId, "different bodies are different batches");
  });

  it("names the field at fault", () => {
    rejects(() => planIngest("news", "nope", now), "body");
    rejects(() => planIngest("news", { items: [article(1)] }, now), "source");
    rejects(() => planIngest("news", { source: "u.today", items: [] }, now), "items");
    rejects(() => planIngest("news", { source: "u.today", items: [article(1), { title: "x", link: "ftp://a/b" }] }, now), "items[1].url");
    rejects(() => planIngest("news", { source: "u.today", items: [{ link: "https://a.b/c" }] }, now), "items[0].title");
    rejects(() => planIngest("news", { source: "U Today", items: [article(1)] }, now), "source");
    rejects(() => planIngest("news", { source: "u.today", items: [article(1)], extra: 1 }, now), "body");
  });
});

describe("planIngest (prices)", () => {
  it("chunks trades so every message stays well under the SQS size limit", () => {
    const trades = Array.from({ length: 1234 }, (_, i) => trade(i));
    const plan = planIngest("prices", { source: "binance", trades }, now);
    assert.equal(plan.envelopes.length, 3);
    const counted = plan.envelopes.reduce((n, e) => n + (e.payload as { trades: unknown[] }).trades.length, 0);
    assert.equal(counted, 1234, "every trade is in exactly one message");
    for (const e of plan.envelopes) assert.ok(Buffer.byteLength(JSON.stringify(e)) < 262_144);
    assert.equal(new Set(plan.envelopes.map((e) => e.id)).size, 3, "chunk ids are distinct");
    assert.equal(plan.records.length, 1234);
  });

  it("rejects a bad trade by its index and field", () => {
    rejects(() => planIngest("prices", { source: "binance", trades: [trade(0), { ...trade(1), price: -1 }] }, now), "trades[1].price");
    rejects(() => planIngest("prices", { source: "binance", trades: [{ ...trade(0), side: "long" }] }, now), "trades[0].side");
    rejects(() => planIngest("prices", { source: "binance" }, now), "body");
  });
});

describe("authorizeIngest", () => {
  const basic = (user: string, secret: string) => `Basic ${Buffer.from(`${user}:${secret}`).toString("base64")}`;
  it("accepts the token as Bearer or as the Basic password", () => {
    assert.deepEqual(authorizeIngest("Bearer s3cret", "s3cret"), { ok: true, principal: "bearer" });
    assert.deepEqual(authorizeIngest(basic("crawler", "s3cret"), "s3cret"), { ok: true, principal: "crawler" });
  });
  it("refuses wrong, missing or unsupported credentials, and everything when no token is configured", () => {
    assert.equal(authorizeIngest("Bearer nope", "s3cret").ok, false);
    assert.equal(authorizeIngest(basic("crawler", "nope"), "s3cret").ok, false);
    assert.equal(authorizeIngest(undefined, "s3cret").ok, false);
    assert.equal(authorizeIngest("Digest x", "s3cret").ok, false);
    assert.equal(authorizeIngest("Bearer anything", undefined).ok, false);
  });
  it("accepts either token while one is rotated, and nothing else; an empty list refuses everything", () => {
    const rotating = tokensOf("n3w-token,0ld-token");
    assert.deepEqual(authorizeIngest("Bearer n3w-token", rotating), { ok: true, principal: "bearer" });
    assert.deepEqual(authorizeIngest(basic("crawler", "0ld-token"), rotating), { ok: true, principal: "crawler" });
    // Both tokens in one header is no token at all (a comma is not a token character).
    assert.match((authorizeIngest("Bearer n3w-token,0ld-token", rotating) as { reason: string }).reason, /^malformed Authorization header/);
    assert.deepEqual(authorizeIngest("Bearer 0ld-token-x", rotating), { ok: false, reason: "invalid token" });
    assert.deepEqual(authorizeIngest("Bearer n3w-token", []), { ok: false, reason: "ingest is disabled: no INGEST_TOKEN is configured" });
  });

  it("parses the header strictly: a second word after the token, junk base64 or a bare scheme is malformed", () => {
    for (const header of ["Bearer s3cret extra", "Bearer s3cret s3cret", "Bearer", "Basic !!!!", "Basic czNjcmV0"]) {
      const result = authorizeIngest(header, "s3cret");
      assert.equal(result.ok, false, header);
      assert.match((result as { reason: string }).reason, /^malformed/, header);
    }
    assert.deepEqual(authorizeIngest("  bearer   s3cret ", "s3cret"), { ok: true, principal: "bearer" });
  });
});
