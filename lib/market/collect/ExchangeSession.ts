import WebSocket from "ws";
import type { LogSink } from "../../log/LogSink.ts";
import type { ParsedMessage } from "../exchanges/ParsedMessage.ts";
import { backoffDelay } from "../../async/backoffDelay.ts";
import { WakeableDelay } from "../../async/WakeableDelay.ts";
import { closeWindowSocket, setSocketPaused } from "../../net/windowSocket.ts";
import { ExchangeRefusedError, readDetail, REFUSAL_STATUSES, type ExchangeRefusal } from "../exchanges/ExchangeRefusal.ts";
import type { ReconnectConfig } from "./CollectorConfig.ts";
import type { Endpoint, ExchangeProtocol } from "../exchanges/ExchangeProtocol.ts";

export interface SessionStats {
  connects: number;
  reconnects: number;
  connectFailures: number;
  messagesIn: number;
  tradesIn: number;
  quotesIn: number;
  ticksIn: number;
  malformed: number;
  /** Valid records for symbols not configured (ticker:all, !miniTicker@arr carry every symbol). */
  ignored: number;
}

export interface SessionSink {
  (parsed: ParsedMessage): void;
}

/**
 * One exchange's stream for the length of a window: connect, subscribe, read,
 * and on any drop reconnect after an exponential backoff (reset once data
 * flows again). Every parsed record goes to the sink the moment it is read, so
 * a drop loses nothing that was received. Pings per the protocol; a socket
 * silent for idleTimeoutMs (or past the ping timeout) is replaced. An HTTP 451
 * or 403 answer to the handshake (or to Kucoin's bullet call) ends the session
 * instead: the exchange refuses this location, and retrying would only loop.
 */
export class ExchangeSession {
  readonly stats: SessionStats = { connects: 0, reconnects: 0, connectFailures: 0, messagesIn: 0, tradesIn: 0, quotesIn: 0, ticksIn: 0, malformed: 0, ignored: 0 };
  private readonly abort = new AbortController();
  private ws: WebSocket | undefined;
  private stopped = false;
  private failures = 0;
  private loop: Promise<void> | undefined;
  private readonly backoff = new WakeableDelay();
  private paused = false;
  private refused: ExchangeRefusal | undefined;

  constructor(
    private readonly protocol: ExchangeProtocol,
    private readonly symbols: ReadonlySet<string>,
    private readonly reconnect: ReconnectConfig,
    private readonly sink: SessionSink,
    private readonly logger?: LogSink,
  ) {}

  start(): void {
    this.loop ??= this.run();
  }

  /** Set when the exchange refused this location (HTTP 451/403); the session then ended on its own. */
  get refusal(): ExchangeRefusal | undefined {
    return this.refused;
  }

  /** Resolves when the session ends by itself (refused), or once stopped. */
  ended(): Promise<void> {
    return this.loop ?? Promise.resolve();
  }

  /**
   * Stops reading (TCP backpressure reaches the exchange) while shipping is
   * behind, so a burst grows the exchange's send buffer, not this function's memory.
   */
  setPaused(paused: boolean): void {
    if (paused === this.paused) return;
    this.paused = paused;
    setSocketPaused(this.ws, paused);
  }

  /** Closes the socket and ends the loop; resolves once no more records can arrive. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    this.backoff.wake();
    await closeWindowSocket(this.ws);
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      let endpoint: Endpoint;
      try {
        endpoint = await this.protocol.resolve(this.abort.signal);
      } catch (error) {
        if (this.stopped) return;
        this.stats.connectFailures++;
        if (error instanceof ExchangeRefusedError) {
          this.refuse(error.refusal);
          return;
        }
        this.logger?.warn("market endpoint not resolved", { exchange: this.protocol.exchange, error: (error as Error).message });
        await this.pause();
        continue;
      }
      if (this.stopped) return;
      const receivedData = await this.connectOnce(endpoint);
      if (this.stopped) return;
      if (this.refused) {
        this.stats.connectFailures++;
        return;
      }
      if (receivedData) this.failures = 0;
      else this.stats.connectFailures++;
      this.stats.reconnects++;
      await this.pause();
    }
  }

  private refuse(refusal: ExchangeRefusal): void {
    this.refused = refusal;
    this.logger?.error("exchange refused this location", { ...refusal, url: refusal.url.split("?")[0] });
  }

  private pause(): Promise<void> {
    this.failures++;
    return this.backoff.wait(backoffDelay(this.failures, this.reconnect.baseMs, this.reconnect.maxMs));
  }

  /** One connection until it closes; true if it delivered data (so the backoff starts over). */
  private connectOnce(endpoint: Endpoint): Promise<boolean> {
    return new Promise((resolve) => {
      let gotData = false;
      const ws = new WebSocket(endpoint.url, { handshakeTimeout: 10_000, perMessageDeflate: false });
      this.ws = ws;
      let lastHeard = Date.now();
      let lastSent = Date.now();
      const send = (text: string) => {
        lastSent = Date.now();
        ws.send(text);
      };
      // A little ahead of the interval, so that the check's granularity never makes a ping late.
      const interval = endpoint.pingIntervalMs ?? this.protocol.ping?.intervalMs;
      const pingEvery = interval === undefined ? undefined : interval * 0.8;
      const deadAfter = endpoint.pingIntervalMs
        ? endpoint.pingIntervalMs + (endpoint.pingTimeoutMs ?? endpoint.pingIntervalMs)
        : this.reconnect.idleTimeoutMs;
      const checkEvery = Math.max(20, Math.min(1000, (interval ?? deadAfter) / 8));
      const timer = setInterval(() => {
        const now = Date.now();
        // Silence while paused is our doing, not a dead socket.
        if (this.paused || ws.isPaused) lastHeard = now;
        if (now - lastHeard > deadAfter) {
          this.logger?.warn("market socket silent, replacing it", { exchange: this.protocol.exchange, silentMs: now - lastHeard });
          ws.terminate();
        } else if (this.protocol.ping && pingEvery && now - lastSent >= pingEvery && ws.readyState === WebSocket.OPEN) {
          send(this.protocol.ping.message());
        }
      }, checkEvery);

      let subscribed = false;
      const subscribe = () => {
        subscribed = true;
        for (const text of this.protocol.subscriptions()) send(text);
      };
      ws.on("open", () => {
        this.stats.connects++;
        lastHeard = Date.now();
        if (this.paused) ws.pause();
        if (!this.protocol.isWelcome) subscribe();
      });
      ws.on("message", (data, isBinary) => {
        lastHeard = Date.now();
        const text = isBinary ? Buffer.from(data as Buffer).toString("utf8") : String(data);
        this.stats.messagesIn++;
        if (this.protocol.isFatal?.(text)) {
          this.logger?.warn("market session refused", { exchange: this.protocol.exchange, message: text.slice(0, 200) });
          ws.terminate();
          return;
        }
        if (!subscribed && this.protocol.isWelcome?.(text)) subscribe();
        const parsed = this.protocol.parse(text, lastHeard);
        this.stats.malformed += parsed.malformed;
        const keep = <T extends { symbol: string }>(list: T[]) => {
          if (list.every((r) => this.symbols.has(r.symbol))) return list;
          const kept = list.filter((r) => this.symbols.has(r.symbol));
          this.stats.ignored += list.length - kept.length;
          return kept;
        };
        parsed.trades = keep(parsed.trades);
        parsed.quotes = keep(parsed.quotes);
        parsed.ticks = keep(parsed.ticks);
        const records = parsed.trades.length + parsed.quotes.length + parsed.ticks.length;
        if (records === 0) return;
        gotData = true;
        this.stats.tradesIn += parsed.trades.length;
        this.stats.quotesIn += parsed.quotes.length;
        this.stats.ticksIn += parsed.ticks.length;
        this.sink(parsed);
      });
      ws.on("ping", () => {
        lastHeard = Date.now();
      });
      ws.on("unexpected-response", (_request, response) => {
        const status = response.statusCode ?? 0;
        if (!REFUSAL_STATUSES.has(status)) {
          this.logger?.warn("market handshake refused", { exchange: this.protocol.exchange, status });
          ws.terminate();
          return;
        }
        // Keep the start of the answer (Binance explains the restriction there), bounded in time.
        const detail = Promise.race([readDetail(response).catch(() => ""), new Promise<string>((r) => setTimeout(() => r(""), 2000).unref())]);
        void detail.then((text) => {
          this.refuse({ exchange: this.protocol.exchange, status, url: endpoint.url, detail: text });
          ws.terminate();
        });
      });
      ws.on("error", (error) => {
        if (!this.stopped && !this.refused) this.logger?.warn("market socket error", { exchange: this.protocol.exchange, error: error.message });
      });
      ws.on("close", (code) => {
        clearInterval(timer);
        if (!this.stopped) this.logger?.info("market socket closed", { exchange: this.protocol.exchange, code, gotData });
        resolve(gotData);
      });
    });
  }
}
