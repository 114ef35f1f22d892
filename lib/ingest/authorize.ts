import { authorizeToken, type AuthResult } from "../http/authorizeToken.ts";

export type { AuthResult };

/**
 * Checks the webhook's Authorization header against the configured token:
 * `Bearer <token>`, or `Basic base64(<user>:<token>)` as the original crawler
 * configs send it. With no token configured every request is refused (fail closed).
 */
export function authorizeIngest(header: string | undefined, token: string | undefined): AuthResult {
  return authorizeToken(header, token, "ingest is disabled: no INGEST_TOKEN is configured");
}
