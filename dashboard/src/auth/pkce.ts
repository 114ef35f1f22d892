// OIDC authorization code + PKCE (RFC 7636), the pure parts: verifier and
// challenge, the authorize URL, the callback, the token request and its answer.
// No storage and no navigation here, so every step is unit-testable.

export interface OidcDiscovery {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  end_session_endpoint?: string;
}

export interface StoredToken {
  accessToken: string;
  idToken?: string;
  /** Renews the access token without a redirect (Cognito: 30 days by default). */
  refreshToken?: string;
  /** Epoch ms; undefined when the issuer did not say. */
  expiresAt?: number;
}

export function base64Url(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** 32 random bytes → a 43-character verifier (RFC 7636 §4.1 allows 43–128 of [A-Za-z0-9-._~]). */
export function createVerifier(randomBytes: (n: number) => Uint8Array): string {
  return base64Url(randomBytes(32));
}

/** S256 challenge: BASE64URL(SHA-256(ASCII(verifier))). */
export async function challengeS256(verifier: string, subtle: SubtleCrypto = globalThis.crypto.subtle): Promise<string> {
  const digest = await subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  return base64Url(new Uint8Array(digest));
}

export function checkDiscovery(raw: unknown, issuer: string): OidcDiscovery {
  const d = (raw ?? {}) as Record<string, unknown>;
  for (const field of ["issuer", "authorization_endpoint", "token_endpoint"]) {
    if (typeof d[field] !== "string" || d[field] === "") throw new Error(`OIDC discovery of ${issuer}: ${field} missing`);
  }
  // The discovery document must be the issuer's own (OpenID Connect Discovery §4.3).
  if ((d.issuer as string).replace(/\/+$/, "") !== issuer.replace(/\/+$/, "")) {
    throw new Error(`OIDC discovery of ${issuer}: issuer is ${String(d.issuer)}`);
  }
  return d as unknown as OidcDiscovery;
}

export function discoveryUrl(issuer: string): string {
  return `${issuer.replace(/\/+$/, "")}/.well-known/openid-configuration`;
}

export interface AuthorizeParams {
  clientId: string;
  redirectUri: string;
  scope: string;
  state: string;
  nonce: string;
  challenge: string;
}

export function authorizeUrl(discovery: OidcDiscovery, p: AuthorizeParams): string {
  const url = new URL(discovery.authorization_endpoint);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("client_id", p.clientId);
  url.searchParams.set("redirect_uri", p.redirectUri);
  url.searchParams.set("scope", p.scope);
  url.searchParams.set("state", p.state);
  url.searchParams.set("nonce", p.nonce);
  url.searchParams.set("code_challenge", p.challenge);
  url.searchParams.set("code_challenge_method", "S256");
  return url.toString();
}

/** The page URL the issuer redirects back to: the page itself, without query or hash. */
export function redirectUriOf(pageUrl: string): string {
  const url = new URL(pageUrl);
  return `${url.origin}${url.pathname}`;
}

export type Callback = { kind: "none" } | { kind: "code"; code: string; state: string } | { kind: "error"; error: string; description?: string; state?: string };

/** Reads the issuer's answer from the page URL's query (response_mode=query). */
export function parseCallback(pageUrl: string): Callback {
  const params = new URL(pageUrl).searchParams;
  const error = params.get("error");
  const state = params.get("state") ?? undefined;
  if (error) {
    const description = params.get("error_description") ?? undefined;
    return { kind: "error", error, ...(description ? { description } : {}), ...(state ? { state } : {}) };
  }
  const code = params.get("code");
  if (code && state) return { kind: "code", code, state };
  return { kind: "none" };
}

/** The page URL with the callback parameters removed (for history.replaceState). */
export function stripCallback(pageUrl: string): string {
  const url = new URL(pageUrl);
  for (const p of ["code", "state", "session_state", "iss", "error", "error_description", "error_uri"]) url.searchParams.delete(p);
  return url.toString();
}

/** Body of the authorization_code grant for a public client (no secret; the verifier proves possession). */
export function tokenRequestBody(p: { code: string; redirectUri: string; clientId: string; verifier: string }): URLSearchParams {
  return new URLSearchParams({
    grant_type: "authorization_code",
    code: p.code,
    redirect_uri: p.redirectUri,
    client_id: p.clientId,
    code_verifier: p.verifier,
  });
}

/** Body of the refresh_token grant (RFC 6749 §6) for a public client. */
export function refreshRequestBody(p: { refreshToken: string; clientId: string }): URLSearchParams {
  return new URLSearchParams({ grant_type: "refresh_token", refresh_token: p.refreshToken, client_id: p.clientId });
}

/**
 * The token endpoint's answer. A refresh answer may leave out the refresh token
 * (Cognito never rotates it) or the ID token: `previous` supplies them.
 */
export function parseTokenResponse(raw: unknown, now: number, previous?: StoredToken): StoredToken {
  const r = (raw ?? {}) as Record<string, unknown>;
  if (typeof r.access_token !== "string" || r.access_token === "") throw new Error("token response has no access_token");
  const expiresIn = typeof r.expires_in === "number" ? r.expires_in : typeof r.expires_in === "string" ? Number(r.expires_in) : NaN;
  const idToken = typeof r.id_token === "string" ? r.id_token : previous?.idToken;
  const refreshToken = typeof r.refresh_token === "string" && r.refresh_token !== "" ? r.refresh_token : previous?.refreshToken;
  return {
    accessToken: r.access_token,
    ...(idToken !== undefined ? { idToken } : {}),
    ...(refreshToken !== undefined ? { refreshToken } : {}),
    ...(Number.isFinite(expiresIn) ? { expiresAt: now + expiresIn * 1000 } : {}),
  };
}

/** Renew this long before expiry, so no request leaves with a lapsing token. */
export const REFRESH_LEAD_MS = 60_000;

/** Milliseconds until the token should be renewed (0: now); undefined when it cannot be (no refresh token) or need not be (no expiry). */
export function refreshDelay(token: StoredToken, now: number, leadMs = REFRESH_LEAD_MS): number | undefined {
  if (!token.refreshToken || token.expiresAt === undefined) return undefined;
  return Math.max(0, token.expiresAt - leadMs - now);
}

/** Expired, or expiring within `marginMs` (so a request does not leave with a token about to lapse). */
export function tokenExpired(token: StoredToken, now: number, marginMs = 30_000): boolean {
  return token.expiresAt !== undefined && token.expiresAt - marginMs <= now;
}

/**
 * Where signing out ends the issuer's session too: its end_session_endpoint (RP-Initiated
 * Logout), or else a configured `logoutEndpoint` such as Cognito's `/logout`, whose
 * discovery document names none and which takes `client_id` + `logout_uri`.
 */
export function endSessionUrl(discovery: OidcDiscovery, p: { idToken?: string; clientId: string; postLogoutRedirectUri: string; logoutEndpoint?: string }): string | undefined {
  if (!discovery.end_session_endpoint) {
    if (!p.logoutEndpoint) return undefined;
    const url = new URL(p.logoutEndpoint);
    url.searchParams.set("client_id", p.clientId);
    url.searchParams.set("logout_uri", p.postLogoutRedirectUri);
    return url.toString();
  }
  const url = new URL(discovery.end_session_endpoint);
  if (p.idToken) url.searchParams.set("id_token_hint", p.idToken);
  url.searchParams.set("client_id", p.clientId);
  url.searchParams.set("post_logout_redirect_uri", p.postLogoutRedirectUri);
  return url.toString();
}

/** The `name`/`preferred_username`/`email` claim of an ID token, for the header; undefined if unreadable. */
export function userFromIdToken(idToken: string | undefined): string | undefined {
  const payload = idToken?.split(".")[1];
  if (!payload) return undefined;
  try {
    const json = atob(payload.replace(/-/g, "+").replace(/_/g, "/"));
    const claims = JSON.parse(json) as Record<string, unknown>;
    for (const k of ["preferred_username", "name", "email", "sub"]) if (typeof claims[k] === "string") return claims[k] as string;
  } catch {
    /* not a JWT we can read: no name shown */
  }
  return undefined;
}
