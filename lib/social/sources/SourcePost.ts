import type { SocialPost } from "../../../contracts/social.ts";

/** A post as a source reads it: everything of `social.post/v1` but the coins (matched by the collector) and the time it arrived. */
export type SourcePost = Omit<SocialPost, "coins" | "receivedAt">;

/**
 * What a source hands the collector for every message it reads: where the
 * stream now stands (microseconds since the epoch: Jetstream's `time_us`, or
 * the time an X stream line arrived) and, for a new post, the post.
 */
export interface SourceEvent {
  positionUs: number;
  post?: SourcePost;
}

export type SourceSink = (event: SourceEvent) => void;

export interface SourceStats {
  connects: number;
  reconnects: number;
  connectFailures: number;
  /** Messages read off the stream (every kind). */
  messages: number;
  /** New posts with text: what keyword filtering is offered. */
  offered: number;
  /** Messages that were not what the protocol promises (counted, logged once, skipped). */
  malformed: number;
}

export const newSourceStats = (): SourceStats => ({ connects: 0, reconnects: 0, connectFailures: 0, messages: 0, offered: 0, malformed: 0 });

/** One source's stream for the length of a collection window. */
export interface SourceSession {
  readonly stats: SourceStats;
  /** Starts reading from `fromUs` (a resume position), or from now when undefined. */
  start(fromUs: number | undefined): void;
  /** Stops reading (TCP backpressure reaches the server) while shipping is behind. */
  setPaused(paused: boolean): void;
  /** Closes the stream; resolves once no more events can arrive. */
  stop(): Promise<void>;
}
