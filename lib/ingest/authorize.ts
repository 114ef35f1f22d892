import { authorizeAnyToken } from "../http/authorizeAnyToken.ts";
import type { AuthResult } from "../http/authorizeToken.ts";

export type { AuthResult };

/**
 * Checks the webhook's Authorization header against the configured token:
 * `Bearer <token>`, or `Basic base64(<user>:<token>)` as the original crawler
 * configs send it. With no token configured every request is refused (fail closed).
 * During a rotation two tokens are accepted (lib/secrets/Secret.ts tokensOf).
 */
export function authorizeIngest(header: string | undefined, tokens: string | readonly string[] | undefined): AuthResult {
  return authorizeAnyToken(header, tokens, "ingest is disabled: no INGEST_TOKEN is configured");
}
