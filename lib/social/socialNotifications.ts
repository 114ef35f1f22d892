// Pure: what a stored social batch tells each coin's topics. `refresh` names the
// minutes that changed (a reader refetches); `data` carries them and the
// batch's newest posts of the coin (a reader can draw without a request).
import { SOCIAL_NOTIFY_POSTS, type SocialData, type SocialRefresh } from "../../contracts/api.ts";
import { socialDataTopic, socialRefreshTopic } from "../../contracts/topics.ts";
import type { Notification } from "../notify/publishSafely.ts";
import { socialPostDocId } from "../store/documentIds.ts";
import type { SocialActivity, SocialPostDoc } from "../store/types.ts";
import { socialPostItem } from "./socialPostItem.ts";

export function socialNotifications(activity: readonly SocialActivity[], newPosts: readonly SocialPostDoc[], at: string): Notification[] {
  const byCoin = new Map<string, SocialActivity[]>();
  for (const a of activity) byCoin.set(a.coin, [...(byCoin.get(a.coin) ?? []), a]);
  const newest = [...newPosts].sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
  return [...byCoin].flatMap(([coin, list]) => {
    const minutes = [...list].sort((a, b) => a.bucketStart - b.bucketStart);
    const refresh: SocialRefresh = { coin, at, minutes: minutes.map((m) => m.bucketStart) };
    const data: SocialData = {
      coin,
      at,
      minutes: minutes.map(({ bucketStart, posts, authors, positive, negative, neutral, meanScore }) => ({ bucketStart, posts, authors, positive, negative, neutral, meanScore })),
      posts: newest
        .filter((p) => p.coins.includes(coin))
        .slice(0, SOCIAL_NOTIFY_POSTS)
        .map((p) => socialPostItem(socialPostDocId(p.source, p.postId), p)),
    };
    return [
      { topic: () => socialRefreshTopic(coin), payload: refresh },
      { topic: () => socialDataTopic(coin), payload: data },
    ];
  });
}
