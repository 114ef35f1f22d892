// Pure: a stored post as the API and the notifications show it (the sketch point left out).
import type { SocialPostItem } from "../../contracts/api.ts";
import type { SocialPostDoc } from "../store/types.ts";

export function socialPostItem(id: string, d: SocialPostDoc): SocialPostItem {
  return {
    id,
    source: d.source as SocialPostItem["source"],
    postId: d.postId,
    authorId: d.authorId,
    ...(d.authorHandle !== undefined ? { authorHandle: d.authorHandle } : {}),
    ...(d.authorName !== undefined ? { authorName: d.authorName } : {}),
    ...(d.authorFollowers !== undefined ? { authorFollowers: d.authorFollowers } : {}),
    text: d.text,
    langs: d.langs ?? [],
    hashtags: d.hashtags ?? [],
    ...(d.likeCount !== undefined ? { likeCount: d.likeCount } : {}),
    ...(d.repostCount !== undefined ? { repostCount: d.repostCount } : {}),
    ...(d.repostOf !== undefined ? { repostOf: d.repostOf } : {}),
    createdAt: d.createdAt,
    coins: d.coins ?? [],
    sentiment: d.sentiment,
  };
}
