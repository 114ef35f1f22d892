// What every view gets: the API client, the live market state and the live
// notifications, plus the ticking clock that ages "updated … ago" labels.
import type { ApiClient } from "./api.ts";
import type { Session } from "./auth/session.ts";
import type { DashboardConfig } from "../../contracts/dashboardConfig.ts";
import type { Route } from "./router.ts";
import { applyPriceFeed, mergeMarketsAnswer, type MarketRow } from "./state/markets.ts";
import type { MarketsAnswer, PriceFeedData } from "../../contracts/api.ts";

type Listener<T> = (value: T) => void;

export class Emitter<T> {
  #listeners = new Set<Listener<T>>();
  on(listener: Listener<T>): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
  emit(value: T): void {
    for (const l of [...this.#listeners]) l(value);
  }
}

/** The market rows, shared by the overview, the coin header and the symbol pickers. */
export class MarketStore {
  rows: Map<string, MarketRow> = new Map();
  loaded = false;
  error: unknown;
  /** When /markets last answered. */
  fetchedAt: number | undefined;
  /** When a live price message last arrived. */
  liveAt: number | undefined;
  readonly changed = new Emitter<void>();
  #inFlight: Promise<void> | undefined;
  #nextAllowed = 0;
  #pending: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly api: ApiClient) {}

  load(): Promise<void> {
    this.#inFlight ??= this.api
      .get<MarketsAnswer>("/markets")
      .then((answer) => {
        this.rows = mergeMarketsAnswer(this.rows, answer, Date.now());
        this.error = undefined;
        this.fetchedAt = Date.now();
      })
      .catch((error: unknown) => {
        this.error = error;
      })
      .finally(() => {
        this.loaded = true;
        this.#inFlight = undefined;
        this.changed.emit();
      });
    return this.#inFlight;
  }

  /** A refresh notification: refetch, at most once per `minGapMs` (live messages move prices in between). */
  refreshSoon(minGapMs = 5_000): void {
    if (this.#pending) return;
    const wait = Math.max(0, this.#nextAllowed - Date.now());
    this.#pending = setTimeout(() => {
      this.#pending = undefined;
      this.#nextAllowed = Date.now() + minGapMs;
      void this.load();
    }, wait);
  }

  applyLive(data: PriceFeedData): void {
    this.rows = applyPriceFeed(this.rows, data, Date.now());
    this.liveAt = Date.now();
    this.changed.emit();
  }
}

export interface AppContext {
  config: DashboardConfig;
  api: ApiClient;
  session: Session;
  markets: MarketStore;
  priceData: Emitter<PriceFeedData>;
  /** Coin of a `price-feed/<COIN>/notify/refresh` message: its stored candles or quotes changed. */
  priceRefresh: Emitter<string>;
  /** Tag of a `sentiment/<TAG>/notify/refresh` message: news or sentiment for it changed. */
  sentimentRefresh: Emitter<string>;
  /** The live feed is back after an outage: what was published meanwhile is only in the API, so views refetch. */
  reconnected: Emitter<void>;
  /** Fires once a second, for ages and staleness. */
  tick: Emitter<number>;
  navigate(route: Route): void;
}

/** A mounted view; `destroy` releases its listeners, timers and charts. */
export interface View {
  destroy(): void;
}
