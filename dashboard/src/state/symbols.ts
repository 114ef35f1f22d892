// Store symbols are BASE+QUOTE with no separator (BTCUSDT, ETHUSD); MQTT topics and
// news tags use the base (BTC). The quote is recognised from a list of quote assets.

const QUOTES = ["FDUSD", "USDT", "USDC", "BUSD", "TUSD", "USD", "EUR", "GBP", "BTC", "ETH"];

export function baseOf(symbol: string): string {
  for (const q of QUOTES) if (symbol.length > q.length && symbol.endsWith(q)) return symbol.slice(0, -q.length);
  return symbol;
}

export function quoteOf(symbol: string): string {
  const base = baseOf(symbol);
  return symbol.slice(base.length);
}
