// One line of the X API v2 filtered stream (GET /2/tweets/search/stream with
// tweet.fields=created_at,lang,public_metrics,entities,author_id,referenced_tweets,
// expansions=author_id, user.fields=public_metrics,username,name):
//   {"data":{"id":"1","text":"…","created_at":"…","lang":"en","author_id":"2244994945",
//            "public_metrics":{"retweet_count":0,"reply_count":0,"like_count":0,"quote_count":0},
//            "entities":{"hashtags":[{"start":0,"end":4,"tag":"btc"}],"cashtags":[…]},
//            "referenced_tweets":[{"type":"quoted","id":"…"}]},
//    "includes":{"users":[{"id":"2244994945","username":"XDevelopers","name":"Developers",
//                          "public_metrics":{"followers_count":…}}]},
//    "matching_rules":[{"id":"…","tag":"…"}]}
// or {"errors":[…]} (an operational disconnect), and blank keep-alive lines.
import { z } from "zod";
import { toSqsText } from "../../../queue/sqsText.ts";
import { hashtagsOf } from "../hashtags.ts";
import type { SourcePost } from "../SourcePost.ts";

const count = z.number().int().nonnegative();
const tweet = z.looseObject({
  id: z.string().regex(/^\d{1,19}$/, "must be a numeric post id"),
  text: z.string(),
  created_at: z.iso.datetime({ offset: true }).optional(),
  lang: z.string().optional(),
  author_id: z.string().regex(/^\d{1,19}$/).optional(),
  public_metrics: z.looseObject({ retweet_count: count.optional(), like_count: count.optional(), quote_count: count.optional() }).optional(),
  entities: z.looseObject({ hashtags: z.array(z.looseObject({ tag: z.string() })).optional() }).optional(),
  referenced_tweets: z.array(z.looseObject({ type: z.string(), id: z.string() })).optional(),
});
const user = z.looseObject({
  id: z.string(),
  username: z.string().optional(),
  name: z.string().optional(),
  public_metrics: z.looseObject({ followers_count: count.optional() }).optional(),
});
const line = z.looseObject({
  data: tweet.optional(),
  includes: z.looseObject({ users: z.array(user).optional() }).optional(),
  errors: z.array(z.looseObject({ title: z.string().optional(), detail: z.string().optional(), type: z.string().optional() })).optional(),
});

export class MalformedStreamLineError extends Error {
  override readonly name = "MalformedStreamLineError";
}

/** What one stream line held: a post, or errors X sent in the stream (it closes the connection after them). */
export type XStreamLine = { post: SourcePost } | { errors: string[] } | { skipped: string };

export function parseXStreamLine(text: string, receivedAt = new Date()): XStreamLine {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new MalformedStreamLineError(`not JSON (${(error as Error).message})`);
  }
  const parsed = line.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new MalformedStreamLineError(`${issue.path.join(".") || "(line)"}: ${issue.message}`);
  }
  const { data, includes, errors } = parsed.data;
  if (!data) return errors ? { errors: errors.map((e) => [e.title, e.detail].filter(Boolean).join(": ")) } : { skipped: "no data" };
  const body = toSqsText(data.text).trim();
  if (body === "" || body.length > 10_000) return { skipped: "no text" };
  if (!data.author_id) throw new MalformedStreamLineError("data.author_id: missing (ask for it with tweet.fields=author_id)");
  const author = includes?.users?.find((u) => u.id === data.author_id);
  const ref = data.referenced_tweets?.find((r) => r.type === "quoted" || r.type === "retweeted");
  const metrics = data.public_metrics;
  const followers = author?.public_metrics?.followers_count;
  const post: SourcePost = {
    source: "x",
    id: data.id,
    authorId: data.author_id,
    ...(author?.username ? { authorHandle: toSqsText(author.username).slice(0, 256) } : {}),
    ...(author?.name ? { authorName: toSqsText(author.name).slice(0, 256) } : {}),
    ...(followers !== undefined ? { authorFollowers: followers } : {}),
    text: body,
    // "und": X could not tell the language.
    langs: data.lang && data.lang !== "und" && data.lang.length <= 35 ? [data.lang] : [],
    hashtags: hashtagsOf(body, (data.entities?.hashtags ?? []).map((h) => toSqsText(h.tag))),
    ...(metrics?.like_count !== undefined ? { likeCount: metrics.like_count } : {}),
    ...(metrics?.retweet_count !== undefined ? { repostCount: metrics.retweet_count } : {}),
    ...(ref ? { repostOf: ref.id } : {}),
    createdAt: new Date(data.created_at ?? receivedAt.toISOString()).toISOString(),
  };
  return { post };
}
