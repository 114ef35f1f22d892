/** A configured secret could not be read (SSM refused or failed): the request cannot be judged, so it fails, retryably. */
export class SecretUnavailableError extends Error {
  override readonly name = "SecretUnavailableError";
  constructor(source: string, cause: unknown) {
    super(`could not read ${source}: ${(cause as Error)?.message ?? String(cause)}`, { cause });
  }
}
