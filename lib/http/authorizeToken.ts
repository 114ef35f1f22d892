import { timingSafeEqual } from "node:crypto";
import { parseAuthorization } from "./parseAuthorization.ts";

export type AuthResult = { ok: true; principal: string } | { ok: false; reason: string };

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Checks an Authorization header against a shared token: `Bearer <token>`, or
 * `Basic base64(<user>:<token>)`. With no token configured every request is
 * refused (fail closed); `disabled` says which setting is missing.
 */
export function authorizeToken(header: string | undefined, token: string | undefined, disabled: string): AuthResult {
  if (!token) return { ok: false, reason: disabled };
  const parsed = parseAuthorization(header);
  if (parsed.kind === "absent") return { ok: false, reason: "missing Authorization header" };
  if (parsed.kind === "malformed") return { ok: false, reason: `malformed Authorization header: ${parsed.reason}` };
  if (parsed.scheme === "bearer") {
    return sameSecret(parsed.token, token) ? { ok: true, principal: "bearer" } : { ok: false, reason: "invalid token" };
  }
  if (parsed.scheme === "basic") {
    // Buffer.from(…, "base64") skips what is not base64; a strict check first keeps junk from decoding to something.
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(parsed.token) || parsed.token.length % 4 !== 0) return { ok: false, reason: "malformed Basic credentials: not base64" };
    const decoded = Buffer.from(parsed.token, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon < 0) return { ok: false, reason: "malformed Basic credentials" };
    const user = decoded.slice(0, colon);
    return sameSecret(decoded.slice(colon + 1), token) ? { ok: true, principal: user || "basic" } : { ok: false, reason: "invalid credentials" };
  }
  return { ok: false, reason: `unsupported Authorization scheme "${parsed.scheme}"` };
}
