import type { MessageParser } from "./ParsedMessage.ts";

/** Where and how one connection is made. */
export interface Endpoint {
  url: string;
  /** Application-level ping period the server asks for (Kucoin); undefined: the protocol's default. */
  pingIntervalMs?: number;
  pingTimeoutMs?: number;
}

/** The per-exchange parts of a streaming session; the reconnect loop is shared (ExchangeSession). */
export interface ExchangeProtocol {
  exchange: string;
  parse: MessageParser;
  /**
   * Resolved before every connection. Kucoin asks its bullet endpoint here, so
   * each reconnect gets a fresh token (an old one may have expired).
   */
  resolve(signal: AbortSignal): Promise<Endpoint>;
  /** Subscription requests sent once the socket is open. */
  subscriptions(): string[];
  /** The text of an application ping, and how often to send it when nothing else is sent. */
  ping?: { message: () => string; intervalMs: number };
  /** When set, subscriptions wait for the message this accepts (Kucoin's welcome) instead of the open event. */
  isWelcome?(text: string): boolean;
  /** A message after which this connection is useless (e.g. Kucoin's token error): reconnect. */
  isFatal?(text: string): boolean;
}
