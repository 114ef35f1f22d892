import assert from "node:assert/strict";
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { S3StateStore } from "../../lib/adapters/aws/S3StateStore.ts";
import { ConfigError } from "../../lib/config/ConfigError.ts";
import { literalSecret } from "../../lib/secrets/Secret.ts";
import { openSocialSource } from "../../lib/social/collect/openSocialSource.ts";
import { SocialCursors } from "../../lib/social/collect/SocialCursors.ts";
import { runSocialWindow } from "../../lib/social/collect/runSocialWindow.ts";
import { readSocialKeywords } from "../../lib/social/keywords/socialKeywords.ts";
import { backfillMinutesFor, X_STREAM_PARAMS } from "../../lib/social/sources/x/XStreamSession.ts";
import { buildXRules, X_RULE_TAG_PREFIX } from "../../lib/social/sources/x/xRules.ts";
import { startLocalSqsS3, type LocalSqsS3 } from "../helpers/localSqsS3.ts";
import { createBucket, drainSocialQueue, freshQueue, freshStateBucket, socialConfig, socialDeps } from "./helpers/socialHarness.ts";

describe("X filtered-stream rules from the coin keywords", () => {
  const keywords = readSocialKeywords({});

  it("fit X's limits and ask for every followed coin, ambiguous tickers only as cashtags", () => {
    const rules = buildXRules(keywords, { maxChars: 512, maxRules: 25 });
    assert.ok(rules.length >= 2 && rules.length <= 25, `${rules.length} rules`);
    for (const r of rules) {
      assert.ok(r.value.length <= 512, `${r.value.length} characters`);
      assert.match(r.value, /^\(.+\) -is:retweet$/);
      assert.ok(r.tag.startsWith(X_RULE_TAG_PREFIX));
    }
    const terms = rules.flatMap((r) => r.value.replace(/^\(|\) -is:retweet$/g, "").split(" OR "));
    for (const f of keywords.followed) assert.ok(terms.includes(`$${f.symbol}`), `$${f.symbol} asked for`);
    for (const t of ["Ethereum", "BTC", "Bitcoin", '"Shiba Inu"', '"Bitcoin Cash"', "$LINK", "$ONE", "$DOT", "Chainlink"]) assert.ok(terms.includes(t), `${t} asked for`);
    for (const t of ["LINK", "ONE", "DOT", "NEAR", "₿", "Ξ"]) assert.ok(!terms.includes(t), `${t} is not a term (an ordinary word, or a sign)`);
    assert.equal(new Set(terms.map((t) => t.toLowerCase())).size, terms.length, "no term twice");
  });

  it("use fewer, longer rules where the access level allows, and refuse a set that cannot fit, naming the setting", () => {
    assert.ok(buildXRules(keywords, { maxChars: 1024, maxRules: 25 }).length < buildXRules(keywords, { maxChars: 512, maxRules: 25 }).length);
    assert.throws(() => buildXRules(keywords, { maxChars: 512, maxRules: 1 }), (e: unknown) => e instanceof ConfigError && e.variable === "SOCIAL_X_MAX_RULES");
  });

  it("cover the time since the cursor with backfill, at most five minutes (the rest is a known gap)", () => {
    const now = 1_800_000_000_000_000;
    assert.deepEqual(backfillMinutesFor(now - 10_000_000, now), { minutes: 1, gapUs: 0 });
    assert.deepEqual(backfillMinutesFor(now - 150_000_000, now), { minutes: 3, gapUs: 0 });
    assert.deepEqual(backfillMinutesFor(now - 420_000_000, now), { minutes: 5, gapUs: 120_000_000 });
  });
});

// ---- a local server answering in the X API v2's shapes ----
interface XStandIn {
  url: string;
  rules: Array<{ id: string; value: string; tag?: string }>;
  streamRequests: URLSearchParams[];
  authorizations: string[];
  close(): Promise<void>;
}

const TOKEN = "x-test-bearer";
const tweets = [
  {
    data: { id: "1860000000000000001", text: "$BTC breaking out again #Bitcoin", created_at: "2026-12-06T07:00:00.000Z", lang: "en", author_id: "42", public_metrics: { retweet_count: 3, reply_count: 1, like_count: 17, quote_count: 0 }, entities: { hashtags: [{ start: 23, end: 31, tag: "Bitcoin" }], cashtags: [{ start: 0, end: 4, tag: "BTC" }] }, edit_history_tweet_ids: ["1860000000000000001"] },
    includes: { users: [{ id: "42", name: "Satoshi Fan", username: "satofan", public_metrics: { followers_count: 1234, following_count: 10, tweet_count: 99, listed_count: 1 } }] },
    matching_rules: [{ id: "r1", tag: `${X_RULE_TAG_PREFIX}1` }],
  },
  {
    data: { id: "1860000000000000002", text: "Quoting this: Chainlink (LINK) oracle upgrade is live", created_at: "2026-12-06T07:00:01.000Z", lang: "en", author_id: "43", public_metrics: { retweet_count: 0, reply_count: 0, like_count: 2, quote_count: 0 }, referenced_tweets: [{ type: "quoted", id: "1859999999999999999" }] },
    includes: { users: [{ id: "43", name: "Oracle Watch", username: "oracles", public_metrics: { followers_count: 88 } }] },
    matching_rules: [{ id: "r2", tag: `${X_RULE_TAG_PREFIX}1` }],
  },
  // Matched X's keyword rule ("link" is case-insensitive there) but not the coin-mention rules.
  {
    data: { id: "1860000000000000003", text: "click the link in my bio", created_at: "2026-12-06T07:00:02.000Z", lang: "en", author_id: "44", public_metrics: { retweet_count: 0, reply_count: 0, like_count: 0, quote_count: 0 } },
    includes: { users: [{ id: "44", name: "Someone", username: "someone", public_metrics: { followers_count: 5 } }] },
    matching_rules: [{ id: "r3", tag: `${X_RULE_TAG_PREFIX}2` }],
  },
];

async function startXStandIn(): Promise<XStandIn> {
  const state: Omit<XStandIn, "url" | "close"> = {
    rules: [
      { id: "900", value: "from:someoneelse", tag: "another-app" },
      { id: "901", value: "(obsolete) -is:retweet", tag: `${X_RULE_TAG_PREFIX}7` },
    ],
    streamRequests: [],
    authorizations: [],
  };
  let nextId = 1000;
  const open = new Set<ServerResponse>();
  const json = (res: ServerResponse, status: number, body: unknown) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    state.authorizations.push(req.headers.authorization ?? "");
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return json(res, 401, { title: "Unauthorized", type: "about:blank", status: 401, detail: "Unauthorized" });
    let body = "";
    for await (const chunk of req) body += chunk;
    if (url.pathname === "/2/tweets/search/stream/rules" && req.method === "GET") {
      return json(res, 200, state.rules.length ? { data: state.rules, meta: { sent: new Date().toISOString(), result_count: state.rules.length } } : { meta: { sent: new Date().toISOString(), result_count: 0 } });
    }
    if (url.pathname === "/2/tweets/search/stream/rules" && req.method === "POST") {
      const request = JSON.parse(body) as { add?: Array<{ value: string; tag?: string }>; delete?: { ids: string[] } };
      if (request.delete) {
        state.rules = state.rules.filter((r) => !request.delete!.ids.includes(r.id));
        return json(res, 200, { meta: { sent: new Date().toISOString(), summary: { deleted: request.delete.ids.length, not_deleted: 0 } } });
      }
      const added = (request.add ?? []).map((r) => ({ id: String(nextId++), ...r }));
      const tooLong = added.find((r) => r.value.length > 512);
      if (tooLong) return json(res, 200, { meta: { sent: new Date().toISOString(), summary: { created: 0, not_created: 1, valid: 0, invalid: 1 } }, errors: [{ value: tooLong.value, title: "RuleTooLong", details: ["Rule exceeds 512 characters"] }] });
      state.rules.push(...added);
      return json(res, 201, { data: added, meta: { sent: new Date().toISOString(), summary: { created: added.length, not_created: 0, valid: added.length, invalid: 0 } } });
    }
    if (url.pathname === "/2/tweets/search/stream" && req.method === "GET") {
      state.streamRequests.push(url.searchParams);
      res.writeHead(200, { "content-type": "application/json", "transfer-encoding": "chunked" });
      open.add(res);
      res.on("close", () => open.delete(res));
      // Posts a line at a time, a keep-alive between them, as the stream sends them.
      for (const t of tweets) {
        res.write(`${JSON.stringify(t)}\r\n`);
        res.write("\r\n");
        await new Promise((r) => setTimeout(r, 50));
      }
      return; // held open until the client goes
    }
    json(res, 404, { title: "Not Found" });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    ...state,
    get rules() {
      return state.rules;
    },
    async close() {
      for (const r of open) r.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  } as XStandIn;
}

describe("the X source against a local server in the X API's shapes", () => {
  let cloud: LocalSqsS3;
  let x: XStandIn;
  before(async () => {
    cloud = await startLocalSqsS3();
    await createBucket(cloud);
    x = await startXStandIn();
  });
  after(async () => {
    await x.close();
    await cloud.close();
  });

  it("syncs its rules, reads the stream with the documented fields, enqueues the posts about coins normalised, and resumes with backfill", async () => {
    const queue = await freshQueue(cloud);
    const state = await freshStateBucket(cloud);
    const config = socialConfig("ws://127.0.0.1:1", queue.name, { SOCIAL_SOURCES: "x", X_BEARER_TOKEN: TOKEN, SOCIAL_X_URL: x.url, SOCIAL_WINDOW_SECONDS: "1", SOCIAL_STATE_BUCKET: state });
    const deps = { ...socialDeps(cloud, queue.url, state), openSource: openSocialSource(config, { xToken: literalSecret(TOKEN, "test") }) };
    const stats = await runSocialWindow(config, deps, { remainingTimeMs: 1000, correlationId: "x-window" });

    // Rules: ours replaced, the other app's kept.
    const expectedRules = buildXRules(config.keywords, { maxChars: 512, maxRules: 25 });
    assert.deepEqual(x.rules.filter((r) => r.tag?.startsWith(X_RULE_TAG_PREFIX)).map((r) => r.value), expectedRules.map((r) => r.value));
    assert.ok(x.rules.some((r) => r.tag === "another-app"), "a rule not ours is left alone");
    assert.ok(!x.rules.some((r) => r.value === "(obsolete) -is:retweet"), "our stale rule is deleted");
    assert.ok(x.authorizations.every((a) => a === `Bearer ${TOKEN}`));

    const request = x.streamRequests[0]!;
    for (const [k, v] of Object.entries(X_STREAM_PARAMS)) assert.equal(request.get(k), v, k);
    assert.equal(request.get("backfill_minutes"), null, "no cursor yet: no backfill");

    const s = stats.sources.x!;
    assert.equal(s.offered, 3);
    assert.equal(s.matched, 2, "the post that only matched X's keyword is dropped by the coin-mention rules");
    const posts = (await drainSocialQueue(cloud, queue.url)).flatMap((m) => {
      assert.equal(m.source, "x");
      return m.payload.posts;
    });
    const btc = posts.find((p) => p.id === "1860000000000000001")!;
    assert.deepEqual(
      { ...btc, receivedAt: "-" },
      { source: "x", id: "1860000000000000001", authorId: "42", authorHandle: "satofan", authorName: "Satoshi Fan", authorFollowers: 1234, text: "$BTC breaking out again #Bitcoin", langs: ["en"], hashtags: ["Bitcoin"], likeCount: 17, repostCount: 3, createdAt: "2026-12-06T07:00:00.000Z", coins: ["BTC"], receivedAt: "-" },
    );
    const link = posts.find((p) => p.id === "1860000000000000002")!;
    assert.deepEqual([link.coins, link.repostOf, link.authorFollowers], [["LINK"], "1859999999999999999", 88]);
    assert.equal(posts.length, 2);

    // The next window resumes from the cursor: backfill covers the time since (1 minute, X's unit).
    const cursor = await new SocialCursors(new S3StateStore(cloud.s3, state)).read("x");
    assert.ok(cursor !== undefined && cursor === s.cursorUs);
    await runSocialWindow(config, deps, { remainingTimeMs: 500, correlationId: "x-window-2" });
    assert.equal(x.streamRequests.at(-1)!.get("backfill_minutes"), "1");
  });

  it("stops the source at once when X refuses the token, shipping nothing and failing nothing else", async () => {
    const queue = await freshQueue(cloud);
    const state = await freshStateBucket(cloud);
    const config = socialConfig("ws://127.0.0.1:1", queue.name, { SOCIAL_SOURCES: "x", X_BEARER_TOKEN: "wrong", SOCIAL_X_URL: x.url, SOCIAL_WINDOW_SECONDS: "1", SOCIAL_STATE_BUCKET: state });
    const errors: string[] = [];
    const logger = { info() {}, warn() {}, error: (m: string, e: Record<string, unknown>) => errors.push(`${m}: ${String(e.error)}`) };
    const before = x.streamRequests.length;
    const stats = await runSocialWindow(config, { ...socialDeps(cloud, queue.url, state), logger, openSource: openSocialSource(config, { xToken: literalSecret("wrong", "test"), logger }) }, { remainingTimeMs: 1000, correlationId: "x-refused" });
    assert.equal(stats.sources.x!.enqueued, 0);
    assert.equal(x.streamRequests.length, before, "no stream opened");
    assert.equal(errors.length, 1);
    assert.match(errors[0]!, /x refused the collector.*401/);
  });
});
