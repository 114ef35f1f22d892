// The MQTT topic contract shared by publishers (Lambda consumers) and the dashboard.
// Keep these strings exactly as they are: the dashboard subscribes to them.
//
//   cryptoviz/price-feed/<COIN>/notify/refresh
//   cryptoviz/price-feed/<COIN>/notify/data
//   cryptoviz/price-feed/<COIN>/notify/gap      (a trade-id gap opened, filled or found lost)
//   cryptoviz/sentiment/<TAG>/notify/refresh
//   cryptoviz/sentiment/<TAG>/notify/data
//   cryptoviz/social/<COIN>/notify/refresh
//   cryptoviz/social/<COIN>/notify/data

export const TOPIC_ROOT = "cryptoviz";

export type NotifyKind = "refresh" | "data";
export type TopicField = "coin" | "tag";

/** A coin or tag segment that cannot be placed in a topic. `field` names the input at fault. */
export class TopicSegmentError extends Error {
  override readonly name = "TopicSegmentError";
  constructor(
    readonly field: TopicField,
    readonly value: unknown,
    readonly reason: string,
  ) {
    super(`invalid ${field} ${JSON.stringify(value) ?? String(value)}: ${reason}`);
  }
}

// Coins: ticker-like symbols (BTC, 1INCH, USDT, XBTUSD, BTC-PERP), upper-cased.
const COIN_RE = /^[A-Z0-9][A-Z0-9._-]{0,31}$/;
// Tags: words such as bitcoin, BTC, regulation, layer-2; case kept as given.
const TAG_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

function checkSegment(field: TopicField, value: unknown, re: RegExp, max: number): string {
  if (typeof value !== "string") throw new TopicSegmentError(field, value, "must be a string");
  if (value.length === 0) throw new TopicSegmentError(field, value, "must not be empty");
  if (/[/+#]/.test(value)) throw new TopicSegmentError(field, value, "must not contain '/', '+' or '#'");
  if (value.length > max) throw new TopicSegmentError(field, value, `must be at most ${max} characters`);
  if (!re.test(value)) {
    throw new TopicSegmentError(
      field,
      value,
      "must start with a letter or digit and contain only letters, digits, '.', '_' or '-'",
    );
  }
  return value;
}

/** Validates a coin symbol and returns it upper-cased ("btc" → "BTC"). */
export function normaliseCoin(coin: unknown): string {
  const upper = typeof coin === "string" ? coin.toUpperCase() : coin;
  return checkSegment("coin", upper, COIN_RE, 32);
}

/** Validates a sentiment tag and returns it unchanged. */
export function normaliseTag(tag: unknown): string {
  return checkSegment("tag", tag, TAG_RE, 64);
}

export function priceFeedTopic(coin: string, kind: NotifyKind): string {
  return `${TOPIC_ROOT}/price-feed/${normaliseCoin(coin)}/notify/${kind}`;
}
export function sentimentTopic(tag: string, kind: NotifyKind): string {
  return `${TOPIC_ROOT}/sentiment/${normaliseTag(tag)}/notify/${kind}`;
}

/** Social activity of a coin (posts, authors, sentiment per minute): a coin segment, as price-feed. */
export function socialTopic(coin: string, kind: NotifyKind): string {
  return `${TOPIC_ROOT}/social/${normaliseCoin(coin)}/notify/${kind}`;
}

export const priceFeedRefreshTopic = (coin: string): string => priceFeedTopic(coin, "refresh");
export const priceFeedDataTopic = (coin: string): string => priceFeedTopic(coin, "data");
/**
 * A gap in a coin's trades opened, was filled over REST, or was found beyond REST's reach
 * (payload: contracts/completeness.ts GapNotification). Under price-feed, so the
 * publisher and dashboard ACLs that cover price-feed cover it; not a NotifyKind, so
 * parseTopic and the refresh/data subscribers pass it by.
 */
export const priceFeedGapTopic = (coin: string): string => `${TOPIC_ROOT}/price-feed/${normaliseCoin(coin)}/notify/gap`;
/** The coin of a `cryptoviz/price-feed/<COIN>/notify/gap` topic; null for any other topic. */
export function parseGapTopic(topic: string): string | null {
  const parts = topic.split("/");
  if (parts.length !== 5 || parts[0] !== TOPIC_ROOT || parts[1] !== "price-feed" || parts[3] !== "notify" || parts[4] !== "gap") return null;
  try {
    return normaliseCoin(parts[2]) === parts[2] ? parts[2]! : null;
  } catch {
    return null;
  }
}
export const sentimentRefreshTopic = (tag: string): string => sentimentTopic(tag, "refresh");
export const sentimentDataTopic = (tag: string): string => sentimentTopic(tag, "data");
export const socialRefreshTopic = (coin: string): string => socialTopic(coin, "refresh");
export const socialDataTopic = (coin: string): string => socialTopic(coin, "data");

/** Subscription filters for subscribers (dashboard, tools); omit the coin/tag for all of them, the kind for both kinds. */
export function priceFeedFilter(coin?: string, kind?: NotifyKind): string {
  return `${TOPIC_ROOT}/price-feed/${coin === undefined ? "+" : normaliseCoin(coin)}/notify/${kind ?? "+"}`;
}
export function sentimentFilter(tag?: string, kind?: NotifyKind): string {
  return `${TOPIC_ROOT}/sentiment/${tag === undefined ? "+" : normaliseTag(tag)}/notify/${kind ?? "+"}`;
}
export function socialFilter(coin?: string, kind?: NotifyKind): string {
  return `${TOPIC_ROOT}/social/${coin === undefined ? "+" : normaliseCoin(coin)}/notify/${kind ?? "+"}`;
}
export const ALL_NOTIFICATIONS_FILTER = `${TOPIC_ROOT}/#`;

export type ParsedTopic =
  | { feed: "price-feed"; coin: string; kind: NotifyKind }
  | { feed: "sentiment"; tag: string; kind: NotifyKind }
  | { feed: "social"; coin: string; kind: NotifyKind };

/** Inverse of the builders: a contract topic → its parts; anything else → null. */
export function parseTopic(topic: string): ParsedTopic | null {
  const parts = topic.split("/");
  if (parts.length !== 5 || parts[0] !== TOPIC_ROOT || parts[3] !== "notify") return null;
  const [, feed, segment, , kind] = parts as [string, string, string, string, string];
  if (kind !== "refresh" && kind !== "data") return null;
  try {
    if (feed === "price-feed" && normaliseCoin(segment) === segment) return { feed, coin: segment, kind };
    if (feed === "sentiment") return { feed, tag: normaliseTag(segment), kind };
    if (feed === "social" && normaliseCoin(segment) === segment) return { feed, coin: segment, kind };
  } catch {
    return null;
  }
  return null;
}
