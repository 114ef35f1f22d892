import { PermanentError } from "../errors/failure.ts";

/** A message that can never be consumed (not an envelope, an unknown schema, an invalid payload): to the DLQ with its field and reason. */
export class PoisonMessageError extends PermanentError {
  override readonly name = "PoisonMessageError";
  constructor(
    /** Path of the offending field, e.g. `payload.url`, or `body` for the whole message. */
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}
