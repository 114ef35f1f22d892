import { z } from "zod";

/** Where a payload too large for SQS was stored instead (claim-check pattern). */
export const payloadRefSchema = z.strictObject({
  bucket: z.string().min(3),
  key: z.string().min(1),
  bytes: z.number().int().nonnegative(),
});
export type PayloadRef = z.infer<typeof payloadRefSchema>;

/** What a correlation id may hold, wherever it comes from (a webhook header, a batch id). */
export const CORRELATION_ID_RULE = "1 to 128 visible ASCII characters (letters, digits, punctuation; no spaces)";

/**
 * Follows a message from producer to consumer: a message attribute and a log
 * key, so visible ASCII only (valid SQS text, one token in a log line).
 */
export const correlationIdSchema = z.string().regex(/^[\x21-\x7E]{1,128}$/, `must be ${CORRELATION_ID_RULE}`);

/** The versioned envelope every queue message is: `{schema, id, source, producedAt, correlationId, payload | payloadRef}`. */
export const envelopeSchema = z.strictObject({
  /** Payload type and version, e.g. `news.article/v1`: consumers reject what they do not know. */
  schema: z.string().regex(/^[a-z][a-z0-9.-]*\/v\d+$/, "must look like <type>/v<version>"),
  /** Deterministic id of the content: the same content always has the same id. */
  id: z.string().min(1).max(256),
  source: z.string().min(1).max(128),
  producedAt: z.iso.datetime({ offset: true }),
  correlationId: correlationIdSchema,
  payload: z.unknown().optional(),
  payloadRef: payloadRefSchema.optional(),
});

export type Envelope<P = unknown> = Omit<z.infer<typeof envelopeSchema>, "payload"> & { payload: P };
export type WireEnvelope = z.infer<typeof envelopeSchema>;
