import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import WebSocket from "ws";
import { MalformedEventError, parseJetstreamEvent } from "../../lib/social/sources/jetstream/parse.ts";
import { subscribeUrl } from "../../lib/social/sources/jetstream/JetstreamSession.ts";
import { startJetstreamSimulator, type JetstreamSimulator } from "../../localcloud/social-sim/startJetstreamSimulator.ts";

// A post create as the Jetstream README shows its events (fields we do not read included).
const postEvent = (record: Record<string, unknown>, commit: Record<string, unknown> = {}) =>
  JSON.stringify({
    did: "did:plc:eygmaihciaxprqvxpfvl6flk",
    time_us: 1725911162329308,
    kind: "commit",
    commit: { rev: "3l3qo2vutsw2b", operation: "create", collection: "app.bsky.feed.post", rkey: "3l3qo2vuowo2b", record: { $type: "app.bsky.feed.post", createdAt: "2024-09-09T19:46:02.102Z", ...record }, cid: "bafyreidc6sydkkbchcyg62v77wbhzvb2mvytlmsychqgwf2xojjtirmzj4", ...commit },
  });

describe("Jetstream events → social.post/v1", () => {
  it("normalises a post: at:// id, author DID, langs, hashtags from facets and inline, created time", () => {
    const text = "Big week for #Bitcoin and $ETH #crypto";
    const e = parseJetstreamEvent(
      postEvent({ text, langs: ["en"], facets: [{ index: { byteStart: 13, byteEnd: 21 }, features: [{ $type: "app.bsky.richtext.facet#tag", tag: "Bitcoin" }] }], tags: ["cryptoviz"] }),
    );
    assert.equal(e.positionUs, 1725911162329308);
    assert.deepEqual(e.post, {
      source: "jetstream",
      id: "at://did:plc:eygmaihciaxprqvxpfvl6flk/app.bsky.feed.post/3l3qo2vuowo2b",
      authorId: "did:plc:eygmaihciaxprqvxpfvl6flk",
      text,
      langs: ["en"],
      hashtags: ["Bitcoin", "cryptoviz", "crypto"],
      createdAt: "2024-09-09T19:46:02.102Z",
    });
  });

  it("carries the quoted post of a quote post (with or without media) as repostOf", () => {
    const uri = "at://did:plc:abc/app.bsky.feed.post/3kquoted";
    assert.equal(parseJetstreamEvent(postEvent({ text: "this $SOL", embed: { $type: "app.bsky.embed.record", record: { uri, cid: "x" } } })).post?.repostOf, uri);
    assert.equal(parseJetstreamEvent(postEvent({ text: "this $SOL", embed: { $type: "app.bsky.embed.recordWithMedia", record: { record: { uri, cid: "x" } }, media: {} } })).post?.repostOf, uri);
    assert.equal(parseJetstreamEvent(postEvent({ text: "pic", embed: { $type: "app.bsky.embed.images", images: [] } })).post?.repostOf, undefined);
  });

  it("keeps only new posts with text; other events only move the position", () => {
    const identity = JSON.stringify({ did: "did:plc:x", time_us: 5, kind: "identity", identity: { did: "did:plc:x", handle: "x.bsky.social", seq: 1, time: "2024-09-09T19:46:02.102Z" } });
    assert.deepEqual(parseJetstreamEvent(identity), { positionUs: 5 });
    assert.equal(parseJetstreamEvent(postEvent({ text: "$BTC" }, { operation: "update" })).post, undefined);
    assert.equal(parseJetstreamEvent(postEvent({ text: "" })).post, undefined, "images only: no text");
    const del = JSON.stringify({ did: "did:plc:x", time_us: 9, kind: "commit", commit: { rev: "r", operation: "delete", collection: "app.bsky.feed.post", rkey: "3k" } });
    assert.deepEqual(parseJetstreamEvent(del), { positionUs: 9 });
    const like = postEvent({ subject: {} }, { collection: "app.bsky.feed.like" });
    assert.equal(parseJetstreamEvent(like).post, undefined);
  });

  it("uses the relay's time when createdAt is not a time, and cleans text SQS would refuse", () => {
    const e = parseJetstreamEvent(postEvent({ text: "$BTC \uFFFE up", createdAt: "yesterday" }));
    assert.equal(e.post?.createdAt, new Date(1725911162329).toISOString());
    assert.equal(e.post?.text, "$BTC \uFFFD up");
  });

  it("names the field of a malformed event", () => {
    assert.throws(() => parseJetstreamEvent("{not json"), MalformedEventError);
    assert.throws(() => parseJetstreamEvent(JSON.stringify({ did: "d", kind: "commit" })), /time_us/);
    assert.throws(() => parseJetstreamEvent(postEvent({ text: 42 })), /commit\.record\.text/);
  });

  it("builds the subscribe URL from an instance or its /subscribe URL", () => {
    assert.equal(subscribeUrl("wss://jetstream2.us-east.bsky.network", 1725911162329308), "wss://jetstream2.us-east.bsky.network/subscribe?wantedCollections=app.bsky.feed.post&cursor=1725911162329308");
    assert.equal(subscribeUrl("ws://127.0.0.1:6008/subscribe", undefined), "ws://127.0.0.1:6008/subscribe?wantedCollections=app.bsky.feed.post");
  });
});

describe("Jetstream simulator", () => {
  let sim: JetstreamSimulator;
  before(async () => {
    sim = await startJetstreamSimulator({ port: 0, seed: "jetstream-test", rate: 2000, historySeconds: 60 });
  });
  after(() => sim.close());

  const read = (url: string, n: number) =>
    new Promise<string[]>((resolve, reject) => {
      const ws = new WebSocket(url);
      const got: string[] = [];
      ws.on("message", (d) => {
        if (got.length === n) return;
        got.push(String(d));
        if (got.length === n) {
          ws.close();
          resolve(got);
        }
      });
      ws.on("error", reject);
    });

  it("replays from a cursor: the same events, from the first at or after it", async () => {
    const from = sim.stream.timeOf(5000);
    const a = await read(`${sim.url}/subscribe?cursor=${from}`, 300);
    const b = await read(`${sim.url}/subscribe?cursor=${from}`, 300);
    assert.deepEqual(a, b);
    assert.equal(JSON.parse(a[0]!).time_us, from);
    const times = a.map((t) => JSON.parse(t).time_us as number);
    assert.ok(times.every((t, i) => i === 0 || t > times[i - 1]!), "time_us increases");
  });

  it("sends only the wanted collections (identity events always), and mixes posts, noise, languages, quotes", async () => {
    const events = (await read(`${sim.url}/subscribe?wantedCollections=app.bsky.feed.post&cursor=${sim.stream.timeOf(0)}`, 2000)).map((t) => JSON.parse(t));
    assert.ok(events.every((e) => e.kind !== "commit" || e.commit.collection === "app.bsky.feed.post"));
    assert.ok(events.some((e) => e.kind === "identity"));
    const posts = events.filter((e) => e.kind === "commit" && e.commit.operation === "create");
    const langs = new Set(posts.flatMap((e) => e.commit.record.langs));
    assert.ok(["en", "es", "pt", "ja", "de"].every((l) => langs.has(l)), `languages: ${[...langs]}`);
    assert.ok(posts.some((e) => e.commit.record.embed?.$type === "app.bsky.embed.record"), "quote posts");
    assert.ok(events.some((e) => e.commit?.operation === "delete"), "deletes");
  });

  it("refuses a cursor that is not microseconds", async () => {
    const status = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`${sim.url}/subscribe?cursor=yesterday`);
      ws.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
      ws.on("error", () => undefined);
    });
    assert.equal(status, 400);
  });
});
