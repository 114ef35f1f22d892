import { timingSafeEqual } from "node:crypto";

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
  if (!header) return { ok: false, reason: "missing Authorization header" };
  const [scheme, value = ""] = header.trim().split(/\s+/, 2);
  if (/^bearer$/i.test(scheme ?? "")) {
    return sameSecret(value, token) ? { ok: true, principal: "bearer" } : { ok: false, reason: "invalid token" };
  }
  if (/^basic$/i.test(scheme ?? "")) {
    const decoded = Buffer.from(value, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon < 0) return { ok: false, reason: "malformed Basic credentials" };
    const user = decoded.slice(0, colon);
    return sameSecret(decoded.slice(colon + 1), token) ? { ok: true, principal: user || "basic" } : { ok: false, reason: "invalid credentials" };
  }
  return { ok: false, reason: `unsupported Authorization scheme "${scheme}"` };
}
