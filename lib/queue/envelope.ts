import { z } from "zod";
import { findExcessiveNesting, nestingReason } from "../json/jsonNesting.ts";
import { PoisonMessageError } from "./errors.ts";

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

const baseSchema = z.strictObject({
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

export type Envelope<P = unknown> = Omit<z.infer<typeof baseSchema>, "payload"> & { payload: P };
export type WireEnvelope = z.infer<typeof baseSchema>;

export function formatIssuePath(prefix: string, path: readonly PropertyKey[]): string {
  let out = prefix;
  for (const part of path) out += typeof part === "number" ? `[${part}]` : `${out ? "." : ""}${String(part)}`;
  return out || "body";
}

/** Parses the JSON body of a queue message into an envelope without looking at the payload. */
export function parseWireEnvelope(body: string): WireEnvelope {
  const nesting = findExcessiveNesting(body);
  if (nesting) throw new PoisonMessageError("body", nestingReason(nesting));
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    throw new PoisonMessageError("body", `not JSON (${(error as Error).message})`);
  }
  const result = baseSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new PoisonMessageError(formatIssuePath("", issue.path), issue.message);
  }
  const envelope = result.data;
  if ((envelope.payload === undefined) === (envelope.payloadRef === undefined)) {
    throw new PoisonMessageError("payload", "exactly one of payload and payloadRef must be present");
  }
  return envelope;
}

/** Validates a resolved payload against the schema registered for the envelope's type. */
export function validatePayload<P>(
  envelope: WireEnvelope,
  payload: unknown,
  schemas: Readonly<Record<string, z.ZodType<P>>>,
): Envelope<P> {
  const schema = schemas[envelope.schema];
  if (!schema) {
    throw new PoisonMessageError("schema", `unsupported "${envelope.schema}", expected one of ${Object.keys(schemas).join(", ")}`);
  }
  const result = schema.safeParse(payload);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new PoisonMessageError(formatIssuePath("payload", issue.path), issue.message);
  }
  return { ...envelope, payload: result.data };
}
