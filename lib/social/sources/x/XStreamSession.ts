// The X API v2 filtered stream for the length of a window: the rules synced
// from the keywords, then one long-lived HTTP response read line by line.
// Resuming: the stream has no cursor, but `backfill_minutes` (1–5) redelivers
// what matched while nobody listened; a gap longer than that is reported as
// a known gap (X's recovery endpoints need Enterprise access).
import type { LogSink } from "../../../log/LogSink.ts";
import { backoffDelay } from "../../../async/backoffDelay.ts";
import type { Secret } from "../../../secrets/Secret.ts";
import { tokensOf } from "../../../secrets/Secret.ts";
import { newSourceStats, type SourceSession, type SourceSink, type SourceStats } from "../SourcePost.ts";
import { MalformedStreamLineError, parseXStreamLine } from "./parse.ts";
import { X_RULE_TAG_PREFIX, type XRule } from "./xRules.ts";

export const X_STREAM_PARAMS = {
  "tweet.fields": "created_at,lang,public_metrics,entities,author_id,referenced_tweets",
  expansions: "author_id",
  "user.fields": "public_metrics,username,name",
};
const MAX_BACKFILL_MINUTES = 5;

export interface XStreamOptions {
  /** https://api.x.com, or a stand-in. */
  url: string;
  token: Secret;
  rules: XRule[];
  reconnect: { baseMs: number; maxMs: number; idleTimeoutMs: number };
  /**
   * Ask for backfill_minutes on connecting (X: Enterprise access): each window
   * then also gets what matched since the cursor, billed again where it overlaps.
   * Without it the time between the cursor and the connection is a known gap.
   */
  backfill: boolean;
}

export interface XStreamStats extends SourceStats {
  rulesAdded: number;
  rulesDeleted: number;
  /** Minutes of backfill asked for at the first connection. */
  backfillMinutes: number | undefined;
  /** Time not covered because the last position is older than backfill reaches (µs), 0 if none. */
  gapUs: number;
  streamErrors: number;
}

/** X refused the credentials or the request: retrying cannot help. */
export class XRefusedError extends Error {
  override readonly name = "XRefusedError";
}

/** Backfill minutes that cover the time since `fromUs` (at most 5, what the stream offers). */
export function backfillMinutesFor(fromUs: number, nowUs: number): { minutes: number; gapUs: number } {
  const behindUs = Math.max(0, nowUs - fromUs);
  const minutes = Math.min(MAX_BACKFILL_MINUTES, Math.max(1, Math.ceil(behindUs / 60_000_000)));
  return { minutes, gapUs: Math.max(0, behindUs - MAX_BACKFILL_MINUTES * 60_000_000) };
}

export class XStreamSession implements SourceSession {
  readonly stats: XStreamStats = { ...newSourceStats(), rulesAdded: 0, rulesDeleted: 0, backfillMinutes: undefined, gapUs: 0, streamErrors: 0 };
  private readonly abort = new AbortController();
  private stopped = false;
  private paused = false;
  private resumeReading: (() => void) | undefined;
  private lastUs: number | undefined;
  private loop: Promise<void> | undefined;
  private malformedLogged = 0;

  constructor(
    private readonly options: XStreamOptions,
    private readonly sink: SourceSink,
    private readonly logger?: LogSink,
  ) {}

  start(fromUs: number | undefined): void {
    this.lastUs = fromUs;
    this.loop ??= this.run();
  }

  setPaused(paused: boolean): void {
    this.paused = paused;
    if (!paused) this.resumeReading?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    this.resumeReading?.();
    await this.loop;
  }

  private async headers(): Promise<Record<string, string>> {
    const token = tokensOf(await this.options.token.value())[0];
    if (!token) throw new XRefusedError(`no X bearer token in ${this.options.token.source}`);
    return { Authorization: `Bearer ${token}`, "Content-Type": "application/json" };
  }

  private async call(path: string, init: { method: string; body?: unknown } = { method: "GET" }): Promise<unknown> {
    const response = await fetch(`${this.options.url}${path}`, {
      method: init.method,
      headers: await this.headers(),
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
      signal: AbortSignal.any([this.abort.signal, AbortSignal.timeout(15_000)]),
    });
    const text = await response.text();
    if (response.status === 401 || response.status === 403) throw new XRefusedError(`X answered ${response.status} to ${init.method} ${path}: ${text.slice(0, 300)}`);
    if (!response.ok) throw new Error(`X answered ${response.status} to ${init.method} ${path}: ${text.slice(0, 300)}`);
    return JSON.parse(text);
  }

  /** Makes the project's rules tagged as ours exactly `rules`; rules with other tags are not touched. */
  async syncRules(): Promise<void> {
    const listed = (await this.call("/2/tweets/search/stream/rules")) as { data?: Array<{ id: string; value: string; tag?: string }> };
    const ours = (listed.data ?? []).filter((r) => r.tag?.startsWith(X_RULE_TAG_PREFIX));
    const key = (r: { value: string; tag?: string }) => `${r.tag}\n${r.value}`;
    const wanted = new Set(this.options.rules.map(key));
    const stale = ours.filter((r) => !wanted.has(key(r)));
    const have = new Set(ours.map(key));
    const missing = this.options.rules.filter((r) => !have.has(key(r)));
    if (stale.length > 0) {
      await this.call("/2/tweets/search/stream/rules", { method: "POST", body: { delete: { ids: stale.map((r) => r.id) } } });
      this.stats.rulesDeleted += stale.length;
    }
    if (missing.length > 0) {
      const added = (await this.call("/2/tweets/search/stream/rules", { method: "POST", body: { add: missing } })) as { errors?: Array<{ title?: string; value?: string; details?: string[] }> };
      if (added.errors?.length) throw new XRefusedError(`X refused rules: ${added.errors.map((e) => `${e.value ?? ""} ${e.title ?? ""} ${(e.details ?? []).join(" ")}`.trim()).join("; ")}`);
      this.stats.rulesAdded += missing.length;
    }
  }

  private async run(): Promise<void> {
    let failures = 0;
    let synced = false;
    while (!this.stopped) {
      try {
        if (!synced) {
          await this.syncRules();
          synced = true;
        }
        const delivered = await this.readStream();
        failures = delivered ? 0 : failures + 1;
      } catch (error) {
        if (this.stopped) return;
        if (error instanceof XRefusedError) {
          this.logger?.error("x refused the collector, stopping this source", { error: error.message });
          return;
        }
        this.stats.connectFailures++;
        failures++;
        this.logger?.warn("x stream failed", { error: (error as Error).message });
      }
      if (this.stopped) return;
      this.stats.reconnects++;
      await new Promise((r) => setTimeout(r, backoffDelay(failures, this.options.reconnect.baseMs, this.options.reconnect.maxMs)));
    }
  }

  /** One connection, read to its end; true when it delivered anything. */
  private async readStream(): Promise<boolean> {
    const params = new URLSearchParams(X_STREAM_PARAMS);
    if (this.lastUs !== undefined) {
      const nowUs = Date.now() * 1000;
      const covered = this.options.backfill ? backfillMinutesFor(this.lastUs, nowUs) : { minutes: 0, gapUs: Math.max(0, nowUs - this.lastUs) };
      const { minutes, gapUs } = covered;
      if (minutes > 0) params.set("backfill_minutes", String(minutes));
      this.stats.backfillMinutes ??= minutes;
      if (gapUs > 0) {
        this.stats.gapUs += gapUs;
        this.logger?.warn("x stream gap: posts in it are not recovered", { fromUs: this.lastUs, gapSeconds: Math.round(gapUs / 1e6) });
      }
    }
    const idle = new AbortController();
    const response = await fetch(`${this.options.url}/2/tweets/search/stream?${params}`, {
      headers: await this.headers(),
      signal: AbortSignal.any([this.abort.signal, idle.signal]),
    });
    if (response.status === 401 || response.status === 403) throw new XRefusedError(`X answered ${response.status} to the stream: ${(await response.text()).slice(0, 300)}`);
    if (!response.ok || !response.body) throw new Error(`X answered ${response.status} to the stream: ${(await response.text()).slice(0, 300)}`);
    this.stats.connects++;
    let delivered = false;
    let lastHeard = Date.now();
    // X sends a blank line every 20 s; silence past the idle timeout means a dead connection.
    const watchdog = setInterval(() => {
      if (!this.paused && Date.now() - lastHeard > this.options.reconnect.idleTimeoutMs) idle.abort();
    }, Math.min(1000, this.options.reconnect.idleTimeoutMs / 4));
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    try {
      for (;;) {
        if (this.paused) {
          await new Promise<void>((resolve) => (this.resumeReading = resolve));
          lastHeard = Date.now();
        }
        const { value, done } = await reader.read();
        if (done) return delivered;
        lastHeard = Date.now();
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf("\n")) >= 0) {
          const text = buffer.slice(0, end).trim();
          buffer = buffer.slice(end + 1);
          const positionUs = Date.now() * 1000;
          this.lastUs = positionUs;
          if (text === "") {
            this.sink({ positionUs }); // keep-alive: time passes with nothing matched
            continue;
          }
          this.stats.messages++;
          delivered = true;
          let parsed;
          try {
            parsed = parseXStreamLine(text);
          } catch (error) {
            if (!(error instanceof MalformedStreamLineError)) throw error;
            this.stats.malformed++;
            if (this.malformedLogged++ < 3) this.logger?.warn("x stream line skipped", { reason: error.message, line: text.slice(0, 200) });
            continue;
          }
          if ("errors" in parsed) {
            this.stats.streamErrors++;
            this.logger?.warn("x stream sent errors", { errors: parsed.errors });
            continue;
          }
          if ("post" in parsed) this.stats.offered++;
          this.sink("post" in parsed ? { positionUs, post: parsed.post } : { positionUs });
        }
      }
    } catch (error) {
      if (this.stopped || idle.signal.aborted) return delivered;
      throw error;
    } finally {
      clearInterval(watchdog);
      await reader.cancel().catch(() => undefined);
    }
  }
}
