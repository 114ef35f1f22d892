// Coin tagging: which coins an article is about, from the maintained coins.json.
export { tagCoins, type TagCoinsOptions } from "./tagCoins.ts";
export { CoinListError, defaultCoinList, parseCoinList, type Coin, type CoinEntry } from "./coinList.ts";
export { findCoinMentions, type CoinMention, type MentionKind } from "./findCoinMentions.ts";
