import { sha256Hex } from "../../../contracts/hash.ts";
import type { Envelope } from "../../../contracts/envelope.ts";
import { SOCIAL_BATCH_SCHEMA, type SocialBatch, type SocialPost, type SocialSource } from "../../../contracts/social.ts";

/** The same posts from the same source always get the same id, hence the same archive key and message id. */
export function socialBatchId(source: SocialSource, posts: readonly Pick<SocialPost, "id">[]): string {
  return sha256Hex(`${source}\n${posts.map((p) => p.id).join("\n")}`);
}

/** One `social.batch/v1` message for the social-tasks queue. */
export function socialEnvelope(source: SocialSource, batchId: string, posts: SocialPost[], producedAt: Date, correlationId: string): Envelope<SocialBatch> {
  return { schema: SOCIAL_BATCH_SCHEMA, id: batchId, source, producedAt: producedAt.toISOString(), correlationId, payload: { source, posts } };
}
