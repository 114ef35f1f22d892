// What jwtVerify does not check about an OIDC token, and the API must: that it
// was issued for this application (audience, or Cognito's client_id) and that
// it is the kind of token the API takes (an access token, not an ID token).
// Without these, any client of a shared issuer (a Keycloak realm, a Cognito
// pool) could read the API with its own tokens, and an ID token would do too.
import type { JWTPayload, ProtectedHeaderParameters } from "jose";

export type TokenUse = "access" | "id";

/** What kind of token this is, by the markers issuers set; undefined when it says nothing. */
export function tokenUseOf(header: ProtectedHeaderParameters, payload: JWTPayload): TokenUse | "other" | undefined {
  // Cognito: token_use "access" | "id".
  if (typeof payload.token_use === "string") return payload.token_use === "access" ? "access" : payload.token_use === "id" ? "id" : "other";
  // Keycloak: typ "Bearer" (access), "ID" (id), "Refresh", "Logout" ….
  if (typeof payload.typ === "string") return payload.typ === "Bearer" ? "access" : payload.typ === "ID" ? "id" : "other";
  // RFC 9068 JWT access tokens: header typ "at+jwt".
  const typ = header.typ?.toLowerCase();
  if (typ === "at+jwt" || typ === "application/at+jwt") return "access";
  return undefined;
}

/** Who the token was issued for: every `aud` entry, or Cognito access tokens' `client_id` when there is no `aud`. */
export function audiencesOf(payload: JWTPayload): string[] {
  if (payload.aud !== undefined) return (Array.isArray(payload.aud) ? payload.aud : [payload.aud]).filter((a): a is string => typeof a === "string");
  return typeof payload.client_id === "string" ? [payload.client_id] : [];
}

/** The reason to refuse the token, or undefined when its audience and kind are the expected ones. */
export function checkOidcClaims(
  header: ProtectedHeaderParameters,
  payload: JWTPayload,
  expected: { audience: string; tokenUse: TokenUse },
): string | undefined {
  const use = tokenUseOf(header, payload);
  if (use === undefined) return `the token does not say whether it is an access or an ID token (no token_use, typ or at+jwt); expected an ${expected.tokenUse} token`;
  if (use !== expected.tokenUse) return `an ${use === "other" ? "unexpected kind of" : use} token; the API takes ${expected.tokenUse} tokens`;
  const audiences = audiencesOf(payload);
  if (audiences.length === 0) return `the token names no audience (aud) or client (client_id); expected "${expected.audience}"`;
  if (!audiences.includes(expected.audience)) return `the token was issued for ${audiences.map((a) => `"${a}"`).join(", ")}, not "${expected.audience}"`;
  return undefined;
}
