// Which coins an article is about: the `<TAG>`s of the sentiment MQTT topics.
//
// Score = confidence that the coin is really referred to (each mention is
// independent evidence of a strength set by its kind: 1 − Π(1 − pᵢ)), times
// how central it is (in the title, or mentioned as often as the most-mentioned
// coin → ×1; a single passing mention among many → ×~0.5).
import type { CoinTag } from "../types.ts";
import type { TextInput } from "../text/article.ts";
import { coinIndex } from "./coinIndex.ts";
import { defaultCoinList, type Coin } from "./coinList.ts";
import { findCoinMentions, type CoinMention, type MentionKind } from "./findCoinMentions.ts";

export interface TagCoinsOptions {
  /** Another validated coin list (default: the shipped coins.json). */
  coins?: readonly Coin[];
  /** Drop tags scoring below this (default 0: every evidenced coin). */
  minScore?: number;
}

// How likely one mention of each kind is a true reference to the coin.
const EVIDENCE: Record<MentionKind, number> = { strong: 0.95, name: 0.9, ticker: 0.85, wordName: 0.6, ambiguousTicker: 0.7 };
const TITLE_BONUS = 0.05;

export function tagCoins(input: TextInput, options: TagCoinsOptions = {}): CoinTag[] {
  const index = coinIndex(options.coins ?? defaultCoinList());
  const title = typeof input === "string" ? "" : input.title;
  const body = typeof input === "string" ? input : input.body;
  const mentions = [
    ...findCoinMentions(title, index).map((m) => ({ ...m, inTitle: true })),
    ...findCoinMentions(body, index).map((m) => ({ ...m, inTitle: false })),
  ];

  // An ambiguous ticker ("LINK", "ONE") counts only when the article also
  // names the coin or gives strong evidence for it somewhere.
  const evidenced = new Set(mentions.filter((m) => m.kind !== "ambiguousTicker").map((m) => m.symbol));
  const counted = mentions.filter((m) => m.kind !== "ambiguousTicker" || evidenced.has(m.symbol));

  const bySymbol = new Map<string, (CoinMention & { inTitle: boolean })[]>();
  for (const m of counted) {
    const list = bySymbol.get(m.symbol);
    if (list) list.push(m);
    else bySymbol.set(m.symbol, [m]);
  }
  const most = Math.max(0, ...[...bySymbol.values()].map((l) => l.length));

  const tags: CoinTag[] = [];
  for (const [symbol, list] of bySymbol) {
    let doubt = 1;
    for (const m of list) doubt *= 1 - Math.min(0.99, EVIDENCE[m.kind] + (m.inTitle ? TITLE_BONUS : 0));
    const confidence = 1 - doubt;
    const centrality = list.some((m) => m.inTitle) ? 1 : list.length / most;
    const score = Math.max(0.001, Math.round(confidence * (0.5 + 0.5 * centrality) * 1000) / 1000);
    if (score >= (options.minScore ?? 0)) tags.push({ symbol, mentions: list.length, score });
  }
  return tags.sort((a, b) => b.score - a.score || b.mentions - a.mentions || a.symbol.localeCompare(b.symbol));
}
