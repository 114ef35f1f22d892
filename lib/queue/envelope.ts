import type { z } from "zod";
import { envelopeSchema, type Envelope, type WireEnvelope } from "../../contracts/envelope.ts";
import { formatIssuePath } from "../../contracts/validation.ts";
import { findExcessiveNesting, nestingReason } from "../json/jsonNesting.ts";
import { PoisonMessageError } from "./errors.ts";

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
  const result = envelopeSchema.safeParse(json);
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
