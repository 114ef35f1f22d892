import type { FieldValues } from "./substitute.ts";

export function minuteOf(at: Date): string {
  return new Date(Math.floor(at.getTime() / 60_000) * 60_000).toISOString();
}

const num = (v: FieldValues[string]) => (typeof v === "number" ? v : undefined);

/** Maps a scraped record (fields symbol, name, price, change24h, marketCap, volume24h, rank) to a listing candidate. */
export function marketListingFromRecord(source: string, fields: FieldValues, observedAt: string): unknown {
  const out: Record<string, unknown> = {
    source,
    symbol: typeof fields.symbol === "string" ? fields.symbol.trim().toUpperCase() : fields.symbol,
    name: fields.name,
    currency: "USD",
    price: fields.price,
    observedAt,
  };
  const optional: Record<string, number | undefined> = {
    change24hPct: num(fields.change24h),
    marketCap: num(fields.marketCap),
    volume24h: num(fields.volume24h),
    rank: num(fields.rank),
  };
  for (const [k, v] of Object.entries(optional)) if (v !== undefined) out[k] = v;
  return out;
}
