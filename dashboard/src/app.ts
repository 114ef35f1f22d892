// What every view gets: the API client and its loaders, the live market state and
// the live notifications, plus the ticking clock that ages "updated … ago" labels.
import type { ApiClient, RequestOptions } from "./api.ts";
import type { Session } from "./auth/session.ts";
import type { DashboardConfig } from "../../contracts/dashboardConfig.ts";
import { Emitter } from "./emitter.ts";
import type { ApiHealth } from "./request/apiHealth.ts";
import { Loader, type LoadState } from "./request/loader.ts";
import type { Route } from "./router.ts";
import { applyPriceFeed, mergeMarketsAnswer, type MarketRow } from "./state/markets.ts";
import type { MarketsAnswer, PriceFeedData, SocialData } from "../../contracts/api.ts";
import type { GapNotification } from "../../contracts/completeness.ts";

export { Emitter } from "./emitter.ts";

/** Makes a loader wired to the page's wake-ups and the API's health (see AppContext.loader). */
export type LoaderFactory = <T>(
  load: (request: Required<Pick<RequestOptions, "signal" | "source">>) => Promise<T>,
  onChange: (state: Readonly<LoadState<T>>) => void,
) => Loader<T>;

/** The market rows, shared by the overview, the coin header and the symbol pickers. */
export class MarketStore {
  rows: Map<string, MarketRow> = new Map();
  /** When /markets last answered. */
  fetchedAt: number | undefined;
  /** When a live price message last arrived. */
  liveAt: number | undefined;
  readonly changed = new Emitter<void>();
  /** GET /markets: the 24 h figures and sparklines; failures keep the rows and retry. */
  readonly loader: Loader<MarketsAnswer>;
  #nextAllowed = 0;
  #pending: ReturnType<typeof setTimeout> | undefined;

  constructor(api: ApiClient, loader: LoaderFactory) {
    this.loader = loader(
      (request) => api.get<MarketsAnswer>("/markets", {}, { ...request, check: (a) => (Array.isArray((a as MarketsAnswer | null)?.markets) ? undefined : 'no "markets" list') }),
      (state) => {
        if (state.data !== undefined && state.dataAt !== undefined && state.dataAt !== this.fetchedAt) {
          this.rows = mergeMarketsAnswer(this.rows, state.data, state.dataAt);
          this.fetchedAt = state.dataAt;
        }
        this.changed.emit();
      },
    );
  }

  /** /markets has answered, or failed, at least once. */
  get loaded(): boolean {
    return this.loader.state.dataAt !== undefined || this.loader.state.failure !== undefined;
  }

  start(): void {
    this.loader.refresh();
  }

  /** A refresh notification: refetch, at most once per `minGapMs` (live messages move prices in between). */
  refreshSoon(minGapMs = 5_000): void {
    if (this.#pending) return;
    const wait = Math.max(0, this.#nextAllowed - Date.now());
    this.#pending = setTimeout(() => {
      this.#pending = undefined;
      this.#nextAllowed = Date.now() + minGapMs;
      this.loader.refresh();
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
  /** Whether the API answers (the connection badge's other half). */
  health: ApiHealth;
  /** A loader for one panel's data: retried on backoff, woken when the network, the tab or the API comes back. Destroy it with the view. */
  loader: LoaderFactory;
  markets: MarketStore;
  priceData: Emitter<PriceFeedData>;
  /** Coin of a `price-feed/<COIN>/notify/refresh` message: its stored candles or quotes changed. */
  priceRefresh: Emitter<string>;
  /** `price-feed/<COIN>/notify/gap`: a gap in a coin's trades opened, was filled over REST, or was found lost (checked by parseGapEvent). */
  priceGap: Emitter<GapNotification>;
  /** Tag of a `sentiment/<TAG>/notify/refresh` message: news or sentiment for it changed. */
  sentimentRefresh: Emitter<string>;
  /** `social/<COIN>/notify/data`: the minutes a batch changed and its newest posts of the coin. */
  socialData: Emitter<SocialData>;
  /** Coin of a `social/<COIN>/notify/refresh` message: its posts or activity changed. */
  socialRefresh: Emitter<string>;
  /** The live feed is back after an outage: what was published meanwhile is only in the API, so views refetch. */
  reconnected: Emitter<void>;
  /** Fires once a second, for ages and staleness. */
  tick: Emitter<number>;
  navigate(route: Route): void;
}

/** A mounted view; `destroy` releases its listeners, timers, loaders and charts. */
export interface View {
  destroy(): void;
}
