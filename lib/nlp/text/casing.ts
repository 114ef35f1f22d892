// Casing cues that tell an ordinary word from a name: headlines in Title Case
// and SHOUTED text capitalise everything, so capitals prove nothing there.

const WORD = /[A-Za-z][A-Za-z'’]*/g;
// Short function words stay lower case in Title Case headlines.
const MINOR = new Set(["a", "an", "and", "as", "at", "but", "by", "for", "in", "of", "on", "or", "the", "to", "vs", "via", "with", "from", "into", "over"]);

/**
 * True when most words of the span start with a capital (a Title Case
 * headline). Acronyms and tickers (SEC, ETF, BTC) are capitalised in any
 * style, so they count toward the length but not for either side:
 * "Bitcoin ETF approved by SEC" is sentence case, "SEC Approves Spot ETF" is not.
 */
export function isTitleCase(span: string): boolean {
  let words = 0;
  let cased = 0;
  let capitalised = 0;
  for (const m of span.matchAll(WORD)) {
    const w = m[0];
    if (MINOR.has(w.toLowerCase())) continue;
    words++;
    if (w.length > 1 && w === w.toUpperCase()) continue;
    cased++;
    if (w[0] !== w[0]!.toLowerCase()) capitalised++;
  }
  return words >= 3 && cased > 0 && capitalised / cased >= 0.75;
}

/** True when the span is written in capitals (at least four words, ≥ 70% of letters upper case). */
export function isShouting(span: string): boolean {
  const words = span.match(WORD)?.length ?? 0;
  if (words < 4) return false;
  let upper = 0;
  let letters = 0;
  for (const ch of span) {
    if (ch >= "A" && ch <= "Z") upper++, letters++;
    else if (ch >= "a" && ch <= "z") letters++;
  }
  return letters > 0 && upper / letters >= 0.7;
}
