import { z } from "zod";
import type { SocialSource } from "../../../contracts/social.ts";

/** Text objects by key (lib/adapters/aws/S3StateStore.ts keeps them in S3). */
export interface TextStore {
  read(key: string): Promise<string | undefined>;
  write(key: string, text: string): Promise<void>;
}

/** `state/social/<source>.json`, beside the scrapers' state in the raw bucket. */
export const cursorKey = (source: SocialSource) => `state/social/${source}.json`;

const cursorSchema = z.strictObject({
  source: z.string(),
  /** Microseconds: every post of the source up to here has been enqueued. */
  cursorUs: z.number().int().nonnegative(),
  savedAt: z.iso.datetime(),
});

/** A stored cursor that cannot be read: starting from now instead would silently skip posts, so the window fails. */
export class CursorUnreadableError extends Error {
  override readonly name = "CursorUnreadableError";
}

/**
 * Where each source's stream was read up to and enqueued. Written only after
 * the batches before it are on the queue, so a run that dies loses nothing:
 * the next one resumes from the last written position.
 */
export class SocialCursors {
  constructor(private readonly store: TextStore) {}

  async read(source: SocialSource): Promise<number | undefined> {
    const text = await this.store.read(cursorKey(source));
    if (text === undefined) return undefined;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new CursorUnreadableError(`${cursorKey(source)} is not JSON; fix or delete it (deleting it starts from the live stream)`);
    }
    const parsed = cursorSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new CursorUnreadableError(`${cursorKey(source)}: ${issue.path.join(".") || "(root)"} ${issue.message}; fix or delete it (deleting it starts from the live stream)`);
    }
    return parsed.data.cursorUs;
  }

  async write(source: SocialSource, cursorUs: number, now = new Date()): Promise<void> {
    await this.store.write(cursorKey(source), JSON.stringify({ source, cursorUs: Math.floor(cursorUs), savedAt: now.toISOString() }));
  }
}
