import type { Socket } from "node:net";
import type { WebSocket } from "ws";
import type { SimSocket } from "../../lib/market/exchanges/simulation.ts";
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

const COALESCE_BYTES = 64 * 1024;

/**
 * One client socket: counts what it sends, runs cleanups on close, and cuts a
 * client that cannot keep up (as exchanges do) instead of buffering without bound.
 */
export class SimConnection implements SimSocket {
  private readonly cleanups: Array<() => void> = [];
  private corked = false;
  /** Bytes written since the socket was corked. */
  private corkedBytes = 0;
  private socket: Socket | undefined;
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

  /** Bytes sent but not yet written to the socket. */
  get bufferedBytes(): number {
    return this.ws.bufferedAmount;
  }

  onMessage(listener: (text: string) => void): void {
    this.ws.on("message", (raw) => listener(String(raw)));
  }

  close(code: number, reason: string): void {
    this.ws.close(code, reason);
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
    this.coalesce(text.length);
    this.ws.send(text);
    this.counters.messagesSent++;
    return true;
  }

  /**
   * Frames sent in the same tick leave in few writes, as an exchange's server
   * coalesces them into TCP segments: at tens of thousands of trades a second,
   * a syscall per frame was most of the simulator's CPU, taken from the
   * collector and consumer it is meant to measure. A cork holds at most
   * COALESCE_BYTES: one write of a whole overloaded tick starved the reader.
   */
  private coalesce(bytes: number): void {
    if (this.corked) {
      this.corkedBytes += bytes;
      if (this.corkedBytes >= COALESCE_BYTES) this.uncork();
      return;
    }
    // ws keeps its net.Socket private; without it frames are written one by one (correct, only slower).
    const socket = (this.ws as unknown as { _socket?: Socket })._socket;
    if (socket === undefined || typeof socket.cork !== "function") return;
    this.socket = socket;
    this.corked = true;
    this.corkedBytes = bytes;
    socket.cork();
    process.nextTick(() => this.uncork());
  }

  private uncork(): void {
    if (!this.corked) return;
    this.corked = false;
    this.socket?.uncork();
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
