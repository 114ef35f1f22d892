import { CORRELATION_ID_RULE } from "../../contracts/envelope.ts";
import { correlationIdSchema } from "../../contracts/envelope.ts";
import { InvalidRequestError } from "../../contracts/validation.ts";

/**
 * The correlation id a webhook request's messages carry: the caller's
 * `X-Correlation-Id`, held to the envelope's own rule so that a value the
 * consumer would refuse (every message dead-lettered after a 202) is refused
 * here instead; the request id when the caller sends none.
 */
export function correlationIdOf(header: string | undefined, requestId: string | undefined): string | undefined {
  if (header === undefined) return requestId;
  if (!correlationIdSchema.safeParse(header).success) {
    throw new InvalidRequestError("X-Correlation-Id", `must be ${CORRELATION_ID_RULE}; got ${header.length} characters`);
  }
  return header;
}
