import WebSocket from "ws";
import type { LogSink } from "../../../log/LogSink.ts";
import { backoffDelay } from "../../../async/backoffDelay.ts";
import { WakeableDelay } from "../../../async/WakeableDelay.ts";
import { closeWindowSocket, setSocketPaused } from "../../../net/windowSocket.ts";
import { newSourceStats, type SourceSession, type SourceSink, type SourceStats } from "../SourcePost.ts";
import { MalformedEventError, parseJetstreamEvent, POST_COLLECTION } from "./parse.ts";

export interface JetstreamOptions {
  /** The instance (wss://jetstream2.us-east.bsky.network) or its /subscribe URL. */
  url: string;
  reconnect: { baseMs: number; maxMs: number; idleTimeoutMs: number };
  /** Microseconds a reconnect within the window rewinds before the last event read (Jetstream's advice for gapless playback). */
  rewindUs: number;
}

/** `<instance>/subscribe?wantedCollections=app.bsky.feed.post[&cursor=<time_us>]`. */
export function subscribeUrl(base: string, cursorUs: number | undefined): string {
  const url = new URL(base);
  if (!url.pathname.endsWith("/subscribe")) url.pathname = `${url.pathname.replace(/\/+$/, "")}/subscribe`;
  url.searchParams.set("wantedCollections", POST_COLLECTION);
  if (cursorUs !== undefined) url.searchParams.set("cursor", String(Math.max(0, Math.floor(cursorUs))));
  else url.searchParams.delete("cursor");
  return url.toString();
}

/**
 * Bluesky's Jetstream for the length of a window: one websocket to
 * `/subscribe`, every message parsed and handed to the sink as it is read. On
 * a drop or a silent socket it reconnects with backoff from the last `time_us`
 * read, rewound a little (events seen twice within a window are the
 * collector's to drop by id).
 */
export class JetstreamSession implements SourceSession {
  readonly stats: SourceStats = newSourceStats();
  private ws: WebSocket | undefined;
  private stopped = false;
  private paused = false;
  private failures = 0;
  private lastUs: number | undefined;
  private loop: Promise<void> | undefined;
  private readonly backoff = new WakeableDelay();
  private malformedLogged = 0;

  constructor(
    private readonly options: JetstreamOptions,
    private readonly sink: SourceSink,
    private readonly logger?: LogSink,
  ) {}

  start(fromUs: number | undefined): void {
    this.lastUs = fromUs === undefined ? undefined : fromUs + this.options.rewindUs; // the first connect rewinds from here
    this.loop ??= this.run(fromUs);
  }

  setPaused(paused: boolean): void {
    if (paused === this.paused) return;
    this.paused = paused;
    setSocketPaused(this.ws, paused);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.backoff.wake();
    await closeWindowSocket(this.ws);
    await this.loop;
  }

  private async run(fromUs: number | undefined): Promise<void> {
    let cursor = fromUs;
    while (!this.stopped) {
      const delivered = await this.connectOnce(subscribeUrl(this.options.url, cursor));
      if (this.stopped) return;
      if (delivered) this.failures = 0;
      else this.stats.connectFailures++;
      this.stats.reconnects++;
      cursor = this.lastUs === undefined ? undefined : this.lastUs - this.options.rewindUs;
      this.failures++;
      await this.backoff.wait(backoffDelay(this.failures, this.options.reconnect.baseMs, this.options.reconnect.maxMs));
    }
  }

  private connectOnce(url: string): Promise<boolean> {
    return new Promise((resolve) => {
      let delivered = false;
      const ws = new WebSocket(url, { handshakeTimeout: 10_000, perMessageDeflate: false });
      this.ws = ws;
      let lastHeard = Date.now();
      const idle = this.options.reconnect.idleTimeoutMs;
      const timer = setInterval(() => {
        const now = Date.now();
        if (this.paused || ws.isPaused) lastHeard = now;
        if (now - lastHeard > idle) {
          this.logger?.warn("jetstream socket silent, replacing it", { silentMs: now - lastHeard });
          ws.terminate();
        }
      }, Math.max(20, Math.min(1000, idle / 8)));
      ws.on("open", () => {
        this.stats.connects++;
        lastHeard = Date.now();
        if (this.paused) ws.pause();
      });
      ws.on("message", (data, isBinary) => {
        lastHeard = Date.now();
        this.stats.messages++;
        delivered = true;
        const text = isBinary ? Buffer.from(data as Buffer).toString("utf8") : String(data);
        let parsed;
        try {
          parsed = parseJetstreamEvent(text);
        } catch (error) {
          if (!(error instanceof MalformedEventError)) throw error;
          this.stats.malformed++;
          // One line per kind of fault is enough to see it; the count says how often.
          if (this.malformedLogged++ < 3) this.logger?.warn("jetstream message skipped", { reason: error.message, message: text.slice(0, 200) });
          return;
        }
        this.lastUs = parsed.positionUs;
        if (parsed.post) this.stats.offered++;
        this.sink(parsed);
      });
      ws.on("unexpected-response", (_request, response) => {
        this.logger?.warn("jetstream handshake refused", { status: response.statusCode ?? 0 });
        ws.terminate();
      });
      ws.on("error", (error) => {
        if (!this.stopped) this.logger?.warn("jetstream socket error", { error: error.message });
      });
      ws.on("close", (code) => {
        clearInterval(timer);
        if (!this.stopped) this.logger?.info("jetstream socket closed", { code, delivered });
        resolve(delivered);
      });
    });
  }
}
