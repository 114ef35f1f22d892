// An exchange that answers the websocket handshake (or the REST call before it)
// with HTTP 451 or 403 refuses this location: Binance answers 451 to US addresses,
// us-east-1 included. Reconnecting cannot change that, so the session stops and
// the invocation reports it once, naming the exchange and the region.

import { DEPLOY_DEFAULT_REGION } from "../../config/deployRegion.ts";

/** Statuses that mean "not from here": 451 Unavailable For Legal Reasons, 403 Forbidden (geo-block or ban). */
export const REFUSAL_STATUSES: ReadonlySet<number> = new Set([451, 403]);

export interface ExchangeRefusal {
  exchange: string;
  status: number;
  url: string;
  /** The start of the exchange's answer, e.g. Binance's "restricted location" message. */
  detail: string;
}

/** The exchange refused the connection; `status` says how. */
export class ExchangeRefusedError extends Error {
  override readonly name = "ExchangeRefusedError";
  constructor(readonly refusal: ExchangeRefusal) {
    super(`${refusal.exchange} answered HTTP ${refusal.status} to ${withoutQuery(refusal.url)}${refusal.detail ? `: ${refusal.detail}` : ""}`);
  }
}

/** Bullet URLs carry a token in their query string; logs and errors show the URL without it. */
function withoutQuery(url: string): string {
  const q = url.indexOf("?");
  return q < 0 ? url : url.slice(0, q);
}

/** One message for every refusal of an invocation: which exchanges, from which region, and what to do. */
export class RegionRefusedError extends Error {
  override readonly name = "RegionRefusedError";
  constructor(
    readonly refusals: readonly ExchangeRefusal[],
    readonly region: string,
    readonly stats: unknown,
  ) {
    const what = refusals.map((r) => `${r.exchange} (HTTP ${r.status}${r.detail ? `: ${r.detail}` : ""})`).join("; ");
    super(
      `${refusals.map((r) => r.exchange).join(", ")} refused connections from region ${region}: ${what}. ` +
        "The exchange does not serve this location; reconnecting cannot help. Deploy to a region it serves " +
        `(the default, ${DEPLOY_DEFAULT_REGION}, is served by Binance, Kucoin and BitMEX: README "Region"), ` +
        "or drop the exchange from MARKET_EXCHANGES.",
    );
  }
}

/** Reads at most `limit` bytes of a refused answer's body, for the error message. */
export async function readDetail(chunks: AsyncIterable<Uint8Array | string>, limit = 300): Promise<string> {
  let text = "";
  for await (const chunk of chunks) {
    text += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
    if (text.length >= limit) break;
  }
  return text.replace(/\s+/g, " ").trim().slice(0, limit);
}
