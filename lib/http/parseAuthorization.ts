/**
 * Strict parsing of an `Authorization` header (RFC 7235 credentials with an
 * RFC 6750 token): `<scheme> <token>`, the token one run of letters, digits
 * and `-._~+/` with optional trailing `=`. Anything else (a second word after
 * the token, a missing token, stray characters) is malformed: it is refused
 * as such rather than read by guessing which part was meant.
 */
export type ParsedAuthorization =
  | { kind: "absent" }
  | { kind: "malformed"; reason: string }
  | { kind: "credentials"; /** Lower-cased: schemes are case-insensitive. */ scheme: string; token: string };

// scheme = RFC 7230 token; 1*SP; token68 = RFC 6750 b64token.
const CREDENTIALS = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+) +([A-Za-z0-9._~+/-]+=*)$/;

export const EXPECTED_CREDENTIALS = "expected `<scheme> <token>` (e.g. `Bearer <token>`): one token of letters, digits and -._~+/, nothing after it";

export function parseAuthorization(header: string | undefined): ParsedAuthorization {
  // Optional whitespace around a field value is not part of it (RFC 7230 3.2).
  const value = (header ?? "").replace(/^[ \t]+|[ \t]+$/g, "");
  if (value === "") return { kind: "absent" };
  const match = CREDENTIALS.exec(value);
  if (!match) return { kind: "malformed", reason: EXPECTED_CREDENTIALS };
  return { kind: "credentials", scheme: match[1]!.toLowerCase(), token: match[2]! };
}
