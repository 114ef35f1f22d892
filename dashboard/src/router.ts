// Hash routes, so the page works from a bucket path with no server rewrites:
//   #/  #/coin/BTCUSDT?tf=1h  #/news?tag=BTC&q=etf  #/sentiment?tag=BTC  #/stats
import { type Timeframe } from "../../contracts/timeframes.ts";
import { TIMEFRAMES } from "../../contracts/timeframes.ts";

export type Route =
  | { view: "overview" }
  | { view: "coin"; symbol: string; tf: Timeframe }
  | { view: "news"; tag?: string; q?: string }
  | { view: "sentiment"; tag?: string }
  | { view: "stats" };

export const DEFAULT_TIMEFRAME: Timeframe = "1h";

export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#/, "");
  const [path = "", query = ""] = raw.split("?", 2);
  const params = new URLSearchParams(query);
  const parts = path.split("/").filter((p) => p !== "");
  const opt = (name: string) => {
    const v = params.get(name)?.trim();
    return v ? v : undefined;
  };
  switch (parts[0]) {
    case "coin": {
      const symbol = (parts[1] ?? "").toUpperCase();
      if (!/^[A-Z0-9]{2,20}$/.test(symbol)) return { view: "overview" };
      const tf = opt("tf");
      return { view: "coin", symbol, tf: tf && (TIMEFRAMES as readonly string[]).includes(tf) ? (tf as Timeframe) : DEFAULT_TIMEFRAME };
    }
    case "news": {
      const tag = opt("tag");
      const q = opt("q");
      return { view: "news", ...(tag ? { tag } : {}), ...(q ? { q } : {}) };
    }
    case "sentiment": {
      const tag = opt("tag");
      return { view: "sentiment", ...(tag ? { tag } : {}) };
    }
    case "stats":
      return { view: "stats" };
    default:
      return { view: "overview" };
  }
}

export function formatRoute(route: Route): string {
  const qs = (o: Record<string, string | undefined>) => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(o)) if (v !== undefined) p.set(k, v);
    const s = p.toString();
    return s ? `?${s}` : "";
  };
  switch (route.view) {
    case "overview":
      return "#/";
    case "coin":
      return `#/coin/${route.symbol}${qs({ tf: route.tf })}`;
    case "news":
      return `#/news${qs({ tag: route.tag, q: route.q })}`;
    case "sentiment":
      return `#/sentiment${qs({ tag: route.tag })}`;
    case "stats":
      return "#/stats";
  }
}
