import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import { serveBinance } from "../../lib/market/exchanges/binance/simulate.ts";
import { serveBitmex } from "../../lib/market/exchanges/bitmex/simulate.ts";
import { exchangeSymbol, SIM_EXCHANGES, type SimExchange } from "./exchangeSymbols.ts";
import { serveKucoin, type KucoinTokens } from "../../lib/market/exchanges/kucoin/simulate.ts";
import { klineRoutes } from "./klinesRoutes.ts";
import { MarketHub } from "./MarketHub.ts";
import { newCounters, SimConnection, type ExchangeCounters } from "./SimConnection.ts";
import type { SimContext } from "../../lib/market/exchanges/simulation.ts";
import { Prng } from "./prng.ts";
import { PUBLISHED_LIMITS, SimRestRouter, type SimRateLimit, type SimRestCounters, type SimRestFailure } from "./rest/SimRestRouter.ts";

export interface MarketSimulatorOptions {
  host?: string;
  /** 0 = any free port. */
  port: number;
  /** Same seed → same prices, sizes and sides per exchange+symbol; same seed and runId → same ids too. */
  seed: string | number;
  /** Pairs as BASE-QUOTE (`BTC-USDT`); each exchange spells them its own way (BTCUSDT, BTC-USDT, XBTUSDT). */
  symbols: string[];
  /**
   * What an exchange lists, in its own spelling, instead of every pair in `symbols`:
   * its all-symbol streams (Binance `!miniTicker@arr`, Kucoin `/market/ticker:all`)
   * start only these markets. The demo lists what the collector reads, so the
   * simulator makes no trades nobody collects.
   */
  listed?: Partial<Record<SimExchange, string[]>>;
  /** Trades per second of each exchange+symbol stream that has subscribers. */
  tradesPerSecond: number;
  /** Quote updates per second per stream (Kucoin ticker, Bitmex quote). Default 5. */
  quotesPerSecond?: number;
  /** Standard deviation of each asset's underlying log price over one second (one path per asset, shared by every exchange). Default 0.00015 (about 3 % a day). */
  volatility?: number;
  spreadBps?: number;
  /** Each exchange+symbol's standing offset from the underlying, drawn within ±basisBps. Default 2. */
  basisBps?: number;
  /** Standard deviation of a trade's own deviation from its venue's mid, in basis points. Default 0.5. */
  noiseBps?: number;
  /** Trades kept per exchange+symbol for the REST history routes. Default 100,000. */
  historyLimit?: number;
  /** And none older than this, ms. Default 15 minutes: a collection window and its retries. */
  historyMs?: number;
  /** The REST rate limits enforced (429 beyond them). Default: each exchange's published limit. */
  restLimits?: Partial<Record<SimExchange, SimRateLimit>>;
  /**
   * Faults for gap tests, seeded: every `gapEveryMs` one stream (exchange+symbol
   * at random) makes its next `gapTrades` trades without sending them (an id gap
   * that REST can fill); every `dropEveryMs` every connection is cut.
   */
  faults?: { gapEveryMs?: number; gapTrades?: number; dropEveryMs?: number };
  /** Mean trade notional in the quote asset. Default 1000. */
  notional?: number;
  /** Emission step. Default 20 ms. */
  tickMs?: number;
  /**
   * Distinguishes runs that share a seed: counter-based trade ids are offset by
   * it, so restarting the simulator does not reissue ids the store has already
   * seen (they would be deduplicated as repeats). Default: seconds since the
   * epoch mod 9e6 (ids stay below 2^53); pass a fixed value to reproduce ids too.
   */
  runId?: number;
  kucoinPingIntervalMs?: number;
  kucoinPingTimeoutMs?: number;
  kucoinTokenTtlMs?: number;
  /** A client with more than this many bytes unsent is cut off, as exchanges do. Default 64 MiB. */
  maxBufferedBytes?: number;
  /**
   * When set, no trades are produced while any client has more than this many
   * bytes unsent: the due trades are skipped, as when the event loop stalls,
   * rather than queued in socket buffers. A real exchange keeps producing; a
   * benchmark that offers more than one machine can both generate and read
   * uses this so the client reads at its own full speed. Default: off.
   */
  pauseAboveBufferedBytes?: number;
  /** Server ping frames on Binance connections (the client answers with pong). Default 20 s. */
  binancePingIntervalMs?: number;
}

export interface MarketSimulatorStats {
  exchanges: Record<SimExchange, ExchangeCounters>;
  tradesGenerated: number;
  /** Trades made per `exchange:symbol` (what a complete collector stores). */
  tradesGeneratedBy: Record<string, number>;
  /** Trades made but not sent on any socket (injected gaps), per exchange. */
  tradesWithheld: Record<string, number>;
  rest: Record<SimExchange, SimRestCounters>;
  kucoinTokensIssued: number;
  kucoinTokensRejected: number;
  kucoinPingTimeouts: number;
}

export interface MarketSimulator {
  /** Base URLs, as a collector configures them (the real ones are wss://stream.binance.com:9443, https://api.kucoin.com, wss://ws.bitmex.com). */
  urls: { binance: string; binanceRest: string; kucoinRest: string; bitmex: string; bitmexRest: string };
  port: number;
  /** The next `count` trades of an exchange's streams (one symbol, or each) are made but not sent: an id gap. */
  withholdTrades(exchange: SimExchange, count: number, symbol?: string): void;
  /** Stops making trades and quotes (sockets and REST stay up): what was made is then final, for exact counts. */
  stopTrading(): void;
  /** Every REST call to the exchange fails so (an HTTP status, or the connection cut) until cleared with undefined. */
  setRestFailure(exchange: SimExchange, failure: SimRestFailure | undefined): void;
  /**
   * Terminates the open connections of one exchange (or all): a network drop. With
   * `refuseForMs`, reconnects are refused (503) for that long: an outage during which
   * trades are certainly made and never sent. Returns how many were dropped.
   */
  dropConnections(exchange?: SimExchange, options?: { refuseForMs?: number }): number;
  /** Invalidates every issued Kucoin token and drops Kucoin connections: a reconnect needs a fresh bullet token. */
  expireKucoinTokens(): void;
  stats(): MarketSimulatorStats;
  close(): Promise<void>;
}

const REFUSE = (socket: Duplex, status: string) => {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
};

/** A loopback server speaking Binance, Kucoin (bullet REST + websocket) and Bitmex with a seeded market. */
export async function startMarketSimulator(options: MarketSimulatorOptions): Promise<MarketSimulator> {
  const host = options.host ?? "127.0.0.1";
  const tickMs = options.tickMs ?? 20;
  if (!(options.tradesPerSecond >= 0)) throw new RangeError("tradesPerSecond must be >= 0");
  const hub = new MarketHub(
    options.seed,
    {
      tradesPerSecond: options.tradesPerSecond, quotesPerSecond: options.quotesPerSecond ?? 5,
      spreadBps: options.spreadBps ?? 2, basisBps: options.basisBps ?? 2, noiseBps: options.noiseBps ?? 0.5,
      notional: options.notional ?? 1000, historyLimit: options.historyLimit ?? 100_000, historyMs: options.historyMs ?? 15 * 60_000,
    },
    // A stalled loop skips ahead instead of bursting more than a second's worth.
    Math.max(1, Math.ceil(options.tradesPerSecond)),
    options.volatility ?? 0.00015,
  );
  const symbols = Object.fromEntries(SIM_EXCHANGES.map((e) => [e, options.listed?.[e] ?? options.symbols.map((p) => exchangeSymbol(e, p))])) as Record<SimExchange, string[]>;
  const runId = options.runId ?? Math.floor(Date.now() / 1000) % 9_000_000;
  // Binance ids are JSON numbers: runId × 1e9 + counter must stay an exact integer (< 2^53).
  if (!Number.isInteger(runId) || runId < 0 || runId >= 9_000_000) throw new RangeError(`runId must be an integer in [0, 9000000), got ${runId}`);
  const ctx: SimContext = { markets: hub, symbols, idBase: runId * 1_000_000_000 };
  const counters = Object.fromEntries(SIM_EXCHANGES.map((e) => [e, newCounters()])) as Record<SimExchange, ExchangeCounters>;
  const connections = new Set<SimConnection>();
  const refusingUntil = new Map<SimExchange, number>();
  const tokens: KucoinTokens = { issued: new Map(), rejected: 0, pingTimeouts: 0 };
  let tokensIssued = 0;
  const kucoinTiming = { pingIntervalMs: options.kucoinPingIntervalMs ?? 18_000, pingTimeoutMs: options.kucoinPingTimeoutMs ?? 10_000 };
  const maxBuffered = options.maxBufferedBytes ?? 64 * 1024 * 1024;
  let origin = "";
  const rest = new SimRestRouter(ctx, { ...PUBLISHED_LIMITS, ...options.restLimits });

  const klines = klineRoutes(hub, options.seed);
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://sim");
    if (klines.handle(req, res, url)) return;
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    };
    if (url.pathname === "/kucoin/api/v1/bullet-public") {
      if (req.method !== "POST") return reply(405, { code: "405000", msg: "method not allowed" });
      const token = `sim${++tokensIssued}-${randomUUID().replaceAll("-", "")}`;
      tokens.issued.set(token, Date.now() + (options.kucoinTokenTtlMs ?? 24 * 3600_000));
      req.resume();
      return reply(200, {
        code: "200000",
        data: {
          token,
          instanceServers: [{ endpoint: `${origin.replace("http", "ws")}/kucoin/ws/`, encrypt: false, protocol: "websocket", pingInterval: kucoinTiming.pingIntervalMs, pingTimeout: kucoinTiming.pingTimeoutMs }],
        },
      });
    }
    if (rest.handle(req, res, url)) return;
    if (url.pathname === "/health") return reply(200, { ok: true, stats: stats() });
    reply(404, { code: "404000", msg: `no route ${req.method} ${url.pathname}` });
  };

  const server = createServer(onRequest);
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  const binancePing = setInterval(() => {
    for (const c of connections) if (c.exchange === "binance" && !c.closed) c.ws.ping();
  }, options.binancePingIntervalMs ?? 20_000);

  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? "/", "http://sim");
    const [, exchange, ...rest] = url.pathname.split("/");
    const path = `/${rest.join("/")}`.replace(/\/$/, "") || "/";
    const route: SimExchange | undefined =
      exchange === "binance" && (path === "/ws" || path.startsWith("/ws/") || path === "/stream") ? "binance"
      : exchange === "kucoin" && path === "/ws" ? "kucoin"
      : exchange === "bitmex" && path === "/realtime" ? "bitmex"
      : undefined;
    if (!route) return REFUSE(socket, "404 Not Found");
    if (Date.now() < (refusingUntil.get(route) ?? 0)) return REFUSE(socket, "503 Service Unavailable");
    wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      const conn = new SimConnection(route, ws, counters[route], maxBuffered);
      connections.add(conn);
      conn.onClose(() => connections.delete(conn));
      if (route === "binance") serveBinance(conn, ctx, path, url.searchParams);
      else if (route === "kucoin") serveKucoin(conn, ctx, url.searchParams, tokens, kucoinTiming);
      else serveBitmex(conn, ctx, url.searchParams);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  origin = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  const pauseAbove = options.pauseAboveBufferedBytes;
  const backedUp = (): boolean => {
    if (pauseAbove === undefined) return false;
    for (const c of connections) if (c.bufferedBytes > pauseAbove) return true;
    return false;
  };
  const timer = setInterval(() => hub.step(Date.now(), backedUp()), tickMs);
  const faultTimers: NodeJS.Timeout[] = [];
  const faultPrng = new Prng(options.seed, "faults");
  if (options.faults?.gapEveryMs) {
    const gapTrades = options.faults.gapTrades ?? 5;
    faultTimers.push(setInterval(() => {
      const streams = SIM_EXCHANGES.filter((e) => e !== "bitmex").flatMap((e) => hub.streams(e));
      const s = streams[Math.floor(faultPrng.next() * streams.length)];
      if (s) hub.withhold(s.exchange as SimExchange, gapTrades, s.symbol);
    }, options.faults.gapEveryMs));
  }
  if (options.faults?.dropEveryMs) faultTimers.push(setInterval(() => dropConnections(), options.faults.dropEveryMs));

  function stats(): MarketSimulatorStats {
    return {
      exchanges: structuredClone(counters),
      tradesGenerated: hub.tradesGenerated,
      tradesGeneratedBy: hub.generatedBy(),
      tradesWithheld: { ...hub.tradesWithheld },
      rest: structuredClone(rest.counters),
      kucoinTokensIssued: tokensIssued,
      kucoinTokensRejected: tokens.rejected,
      kucoinPingTimeouts: tokens.pingTimeouts,
    };
  }

  const dropConnections = (exchange?: SimExchange, drop?: { refuseForMs?: number }) => {
    if (drop?.refuseForMs) for (const e of exchange ? [exchange] : SIM_EXCHANGES) refusingUntil.set(e, Date.now() + drop.refuseForMs);
    let n = 0;
    for (const c of [...connections]) {
      if (!exchange || c.exchange === exchange) {
        c.drop();
        n++;
      }
    }
    return n;
  };

  return {
    urls: {
      binance: `${origin.replace("http", "ws")}/binance`, binanceRest: `${origin}/binance`, kucoinRest: `${origin}/kucoin`,
      bitmex: `${origin.replace("http", "ws")}/bitmex`, bitmexRest: `${origin}/bitmex`,
    },
    port,
    withholdTrades: (exchange, count, symbol) => hub.withhold(exchange, count, symbol),
    stopTrading: () => clearInterval(timer),
    setRestFailure: (exchange, failure) => rest.setFailure(exchange, failure),
    dropConnections,
    expireKucoinTokens() {
      tokens.issued.clear();
      dropConnections("kucoin");
    },
    stats,
    async close() {
      clearInterval(timer);
      clearInterval(binancePing);
      for (const t of faultTimers) clearInterval(t);
      for (const c of connections) c.ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
