// Jetstream (Bluesky) v1 `/subscribe` events, as its README documents them:
//   {"did":"did:plc:…","time_us":1725911162329308,"kind":"commit",
//    "commit":{"rev":"…","operation":"create","collection":"app.bsky.feed.post","rkey":"3l3qo2vuowo2b",
//              "record":{"$type":"app.bsky.feed.post","text":"…","langs":["en"],"createdAt":"…",
//                        "facets":[{"index":{…},"features":[{"$type":"app.bsky.richtext.facet#tag","tag":"bitcoin"}]}],
//                        "reply":{…},"embed":{"$type":"app.bsky.embed.record","record":{"uri":"at://…","cid":"…"}}},
//              "cid":"…"}}
// plus `kind: "identity"` and `kind: "account"` events. Only new posts matter
// here: updates and deletes of posts are not social activity to count.
import { z } from "zod";
import { toSqsText } from "../../../queue/sqsText.ts";
import { hashtagsOf } from "../hashtags.ts";
import type { SourceEvent, SourcePost } from "../SourcePost.ts";

export const POST_COLLECTION = "app.bsky.feed.post";
const FACET_TAG = "app.bsky.richtext.facet#tag";

const strongRef = z.looseObject({ uri: z.string().min(1).max(512) });
const record = z.looseObject({
  text: z.string(),
  createdAt: z.string().optional(),
  langs: z.array(z.string()).optional(),
  /** Extra hashtags not in the text (the app's "tags"). */
  tags: z.array(z.string()).optional(),
  facets: z.array(z.looseObject({ features: z.array(z.looseObject({ $type: z.string().optional(), tag: z.string().optional() })).optional() })).optional(),
  embed: z.looseObject({ $type: z.string().optional(), record: z.unknown().optional() }).optional(),
});
const event = z.looseObject({
  did: z.string().min(1).max(256),
  time_us: z.number().int().positive(),
  kind: z.string(),
  commit: z
    .looseObject({
      operation: z.string(),
      collection: z.string(),
      rkey: z.string().min(1).max(128),
      record: z.unknown().optional(),
    })
    .optional(),
});

/** A message the protocol does not allow; names the field. */
export class MalformedEventError extends Error {
  override readonly name = "MalformedEventError";
}

function fail(issue: z.core.$ZodIssue, prefix = ""): never {
  throw new MalformedEventError(`${[prefix, ...issue.path.map(String)].filter(Boolean).join(".") || "(event)"}: ${issue.message}`);
}

/** The quoted post of a quote post (embed.record, or embed.record.record with media). */
function quotedUri(embed: z.infer<typeof record>["embed"]): string | undefined {
  if (!embed?.$type) return undefined;
  const r = embed.record as { uri?: unknown; record?: { uri?: unknown } } | undefined;
  if (embed.$type === "app.bsky.embed.record" && typeof r?.uri === "string") return r.uri;
  if (embed.$type === "app.bsky.embed.recordWithMedia" && typeof r?.record?.uri === "string") return r.record.uri;
  return undefined;
}

function isoTime(createdAt: string | undefined, timeUs: number): string {
  // createdAt is written by the poster's client; the relay's clock stands in when it is not a time.
  const t = createdAt === undefined ? Number.NaN : Date.parse(createdAt);
  return new Date(Number.isFinite(t) ? t : Math.floor(timeUs / 1000)).toISOString();
}

/**
 * Reads one Jetstream message (JSON text). Always returns the stream position;
 * a post only for a `create` of an `app.bsky.feed.post` record with text.
 * Throws MalformedEventError, naming the field, for anything else malformed.
 */
export function parseJetstreamEvent(text: string): SourceEvent {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new MalformedEventError(`not JSON (${(error as Error).message})`);
  }
  const parsed = event.safeParse(json);
  if (!parsed.success) fail(parsed.error.issues[0]!);
  const e = parsed.data;
  const c = e.commit;
  if (e.kind !== "commit" || !c || c.operation !== "create" || c.collection !== POST_COLLECTION) return { positionUs: e.time_us };
  const r = record.safeParse(c.record);
  if (!r.success) fail(r.error.issues[0]!, "commit.record");
  const rec = r.data;
  const body = toSqsText(rec.text).trim();
  // A post of images only has no text to read; Bluesky's limit is 3,000 bytes, the contract's 10,000 characters.
  if (body === "" || body.length > 10_000) return { positionUs: e.time_us };
  const facetTags = (rec.facets ?? []).flatMap((f) => (f.features ?? []).filter((x) => x.$type === FACET_TAG && typeof x.tag === "string").map((x) => x.tag!));
  const repostOf = quotedUri(rec.embed);
  const post: SourcePost = {
    source: "jetstream",
    id: `at://${e.did}/${POST_COLLECTION}/${c.rkey}`,
    authorId: e.did,
    text: body,
    langs: (rec.langs ?? []).filter((l) => l.length >= 1 && l.length <= 35).slice(0, 8).map(toSqsText),
    hashtags: hashtagsOf(body, [...facetTags, ...(rec.tags ?? [])].map(toSqsText)),
    ...(repostOf ? { repostOf: toSqsText(repostOf) } : {}),
    createdAt: isoTime(rec.createdAt, e.time_us),
  };
  return { positionUs: e.time_us, post };
}
