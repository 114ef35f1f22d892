import { z } from "zod";
import { sha256Hex } from "./hash.ts";

/**
 * `market.listing/v1`: one row of a price listing page (CryptoCompare,
 * CoinMarketCap) as seen at `observedAt`. Not a trade and not a quote: it is an
 * aggregator's summary (last price, 24h change, market cap, 24h volume).
 */
export const MARKET_LISTING_SCHEMA = "market.listing/v1";

export const marketListingSchema = z.strictObject({
  /** The site it came from, e.g. coinmarketcap.com. */
  source: z.string().regex(/^[a-z0-9][a-z0-9.-]{0,63}$/),
  symbol: z.string().regex(/^[A-Z0-9]{1,20}$/, "must be an upper-case asset code such as BTC"),
  name: z.string().trim().min(1).max(128),
  /** Quote currency of price, market cap and volume. */
  currency: z.literal("USD"),
  price: z.number().positive().finite(),
  /** 24h change in percent (-3.2 means -3.2 %). */
  change24hPct: z.number().finite().optional(),
  marketCap: z.number().nonnegative().finite().optional(),
  volume24h: z.number().nonnegative().finite().optional(),
  rank: z.number().int().positive().optional(),
  /** Start of the minute the page was read (ISO): retries within the minute share an id. */
  observedAt: z.iso.datetime({ offset: true }),
});
export type MarketListing = z.infer<typeof marketListingSchema>;

/** Same source, symbol and minute → same id, so a retried run is recognisable downstream. */
export function marketListingId(listing: Pick<MarketListing, "source" | "symbol" | "observedAt">): string {
  return sha256Hex(`${listing.source}|${listing.symbol}|${listing.observedAt}`);
}
