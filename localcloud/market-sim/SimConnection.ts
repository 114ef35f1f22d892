import type { WebSocket } from "ws";
import type { SimExchange } from "./exchangeSymbols.ts";

export interface ExchangeCounters {
  connections: number;
  connectionsTotal: number;
  messagesSent: number;
  tradesSent: number;
  quotesSent: number;
  ticksSent: number;
  dropped: number;
  slowClientsDropped: number;
}

export const newCounters = (): ExchangeCounters => ({
  connections: 0, connectionsTotal: 0, messagesSent: 0, tradesSent: 0, quotesSent: 0, ticksSent: 0, dropped: 0, slowClientsDropped: 0,
});

/**
 * One client socket: counts what it sends, runs cleanups on close, and cuts a
 * client that cannot keep up (as exchanges do) instead of buffering without bound.
 */
export class SimConnection {
  private readonly cleanups: Array<() => void> = [];
  closed = false;

  constructor(
    readonly exchange: SimExchange,
    readonly ws: WebSocket,
    readonly counters: ExchangeCounters,
    private readonly maxBufferedBytes: number,
  ) {
    counters.connections++;
    counters.connectionsTotal++;
    ws.on("close", () => {
      this.closed = true;
      counters.connections--;
      for (const cleanup of this.cleanups.splice(0)) cleanup();
    });
    ws.on("error", () => undefined); // a reset client is normal traffic for a server
  }

  onClose(cleanup: (() => void) | undefined): void {
    if (!cleanup) return;
    if (this.closed) cleanup();
    else this.cleanups.push(cleanup);
  }

  send(text: string): boolean {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return false;
    if (this.ws.bufferedAmount > this.maxBufferedBytes) {
      this.counters.slowClientsDropped++;
      this.ws.terminate();
      return false;
    }
    this.ws.send(text);
    this.counters.messagesSent++;
    return true;
  }

  sendJson(value: unknown): boolean {
    return this.send(JSON.stringify(value));
  }

  drop(): void {
    if (this.closed) return;
    this.counters.dropped++;
    this.ws.terminate();
  }
}
