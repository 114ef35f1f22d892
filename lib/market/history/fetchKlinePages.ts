// Pages of 1-minute klines over [from, to), oldest first, at the pace the exchange
// allows: at least `minIntervalMs` between requests, and on 429 (rate limited) or
// 418 (banned for ignoring 429s) a wait of the answer's Retry-After (or a growing
// backoff) before the same page is asked again. Any other failure ends the run,
// naming the request.
import type { Kline, KlineSource } from "./KlineSource.ts";

const MINUTE = 60_000;

export interface KlinePage {
  from: number;
  to: number;
  klines: Kline[];
  /** Requests this page took (more than one after a 429). */
  requests: number;
}

export interface FetchKlineOptions {
  source: KlineSource;
  baseUrl: string;
  /** The exchange's own symbol (BTCUSDT, BTC-USDT, XBTUSD). */
  symbol: string;
  from: number;
  to: number;
  /** Overrides the source's pace (tests, a simulator). */
  minIntervalMs?: number;
  /** Retries of one page after 429/418 or a network failure. Default 5. */
  retries?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  timeoutMs?: number;
}

export class KlineFetchError extends Error {
  override readonly name = "KlineFetchError";
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function* fetchKlinePages(o: FetchKlineOptions): AsyncGenerator<KlinePage> {
  const doFetch = o.fetch ?? fetch;
  const sleep = o.sleep ?? defaultSleep;
  const interval = o.minIntervalMs ?? o.source.minIntervalMs;
  const retries = o.retries ?? 5;
  let last = -Infinity;
  const from = Math.floor(o.from / MINUTE) * MINUTE;
  for (let start = from; start < o.to; ) {
    const end = Math.min(o.to, start + o.source.pageMinutes * MINUTE);
    const url = o.source.url(o.baseUrl, o.symbol, start, end);
    let requests = 0;
    let klines: Kline[] | undefined;
    for (let attempt = 0; klines === undefined; attempt++) {
      const wait = last + interval - Date.now();
      if (wait > 0) await sleep(wait);
      last = Date.now();
      requests++;
      let response: Response;
      try {
        response = await doFetch(url, { signal: AbortSignal.timeout(o.timeoutMs ?? 30_000) });
      } catch (error) {
        if (attempt >= retries) throw new KlineFetchError(`GET ${url}: ${(error as Error).message}`);
        await sleep(1000 * 2 ** attempt);
        continue;
      }
      if (response.status === 429 || response.status === 418) {
        await response.body?.cancel();
        if (attempt >= retries) throw new KlineFetchError(`GET ${url}: HTTP ${response.status} (rate limited) ${retries + 1} times`);
        const retryAfter = Number(response.headers.get("retry-after"));
        await sleep(Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : 1000 * 2 ** attempt);
        continue;
      }
      if (!response.ok) throw new KlineFetchError(`GET ${url}: HTTP ${response.status} ${(await response.text()).slice(0, 300)}`);
      // Only the page's own minutes: an exchange may answer a little around the range.
      klines = o.source.parse(await response.json()).filter((k) => k.openTime >= start && k.openTime < end);
    }
    yield { from: start, to: end, klines, requests };
    start = end;
  }
}
