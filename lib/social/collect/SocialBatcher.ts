import type { SocialPost } from "../../../contracts/social.ts";

/** Matched posts cut from the stream, and where the stream stood when they were cut. */
export interface SocialRawBatch {
  posts: SocialPost[];
  /** Every event up to this position (microseconds) is in this batch or an earlier one, or matched nothing. */
  positionUs: number | undefined;
  closedAt: Date;
}

/**
 * Gathers one source's matched posts into batches of at most `maxPosts`, or
 * as old as `maxAgeMs`: the seed's "100 messages or 1 s", so a quiet coin
 * still reaches the queue within a second. Each batch carries the stream
 * position at its cut, which becomes the cursor once it is enqueued.
 */
export class SocialBatcher {
  private posts: SocialPost[] = [];
  private positionUs: number | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly options: { maxPosts: number; maxAgeMs: number },
    private readonly emit: (batch: SocialRawBatch) => void,
  ) {}

  /** The stream moved to `positionUs` (every event, matched or not). */
  advance(positionUs: number): void {
    if (this.positionUs === undefined || positionUs > this.positionUs) this.positionUs = positionUs;
  }

  add(post: SocialPost, positionUs: number): void {
    this.advance(positionUs);
    this.posts.push(post);
    if (this.posts.length >= this.options.maxPosts) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.options.maxAgeMs);
  }

  /** Cuts a batch now; with no posts it still carries the position forward (the window's last cursor). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const posts = this.posts;
    this.posts = [];
    this.emit({ posts, positionUs: this.positionUs, closedAt: new Date() });
  }
}
