// Who the page calls the API as. "none": anonymous; "dev": the token config.json
// carries (local only); "oidc": authorization code + PKCE against the issuer, the
// token kept in sessionStorage (gone when the tab closes).
import type { AuthConfig } from "../../../contracts/dashboardConfig.ts";
import {
  authorizeUrl, challengeS256, checkDiscovery, createVerifier, discoveryUrl, endSessionUrl, parseCallback, parseTokenResponse,
  redirectUriOf, refreshDelay, refreshRequestBody, stripCallback, tokenExpired, tokenRequestBody, userFromIdToken, type OidcDiscovery, type StoredToken,
} from "./pkce.ts";
import { fetchWithin } from "../request/fetchWithin.ts";

const TOKEN_KEY = "cryptoviz.oidc.token";
const PENDING_KEY = "cryptoviz.oidc.pending";

export interface Session {
  /** The bearer token for API calls, if any. */
  token(): string | undefined;
  user: string | undefined;
  /** OIDC only: start the sign-in redirect. */
  signIn?(): Promise<void>;
  signOut?(): Promise<void>;
  /** OIDC only: drop the stored token (the API refused it). */
  forget?(): void;
  /** True when OIDC is configured and no valid token is held. */
  needsSignIn: boolean;
}

interface Pending {
  state: string;
  nonce: string;
  verifier: string;
  returnHash: string;
}

const random = (n: number) => crypto.getRandomValues(new Uint8Array(n));

async function discover(issuer: string): Promise<OidcDiscovery> {
  const url = discoveryUrl(issuer);
  // Bounded like every request: a hung issuer says so instead of leaving sign-in spinning.
  const body = await fetchWithin(url, {}, async (response) => {
    if (!response.ok) throw new Error(`GET ${url} failed: HTTP ${response.status}`);
    return (await response.json()) as unknown;
  }).catch((error: Error) => {
    throw error.message.startsWith("GET ") ? error : new Error(`GET ${url} failed: ${error.message}`);
  });
  return checkDiscovery(body, issuer);
}

function readToken(): StoredToken | undefined {
  try {
    const raw = sessionStorage.getItem(TOKEN_KEY);
    return raw ? (JSON.parse(raw) as StoredToken) : undefined;
  } catch {
    return undefined;
  }
}

async function oidcSession(auth: Extract<AuthConfig, { mode: "oidc" }>): Promise<Session> {
  const callback = parseCallback(location.href);
  if (callback.kind !== "none") {
    const pending = JSON.parse(sessionStorage.getItem(PENDING_KEY) ?? "null") as Pending | null;
    sessionStorage.removeItem(PENDING_KEY);
    history.replaceState(null, "", stripCallback(location.href) + (pending?.returnHash ?? ""));
    if (callback.kind === "error") throw new Error(`sign-in refused by ${auth.issuer}: ${callback.error}${callback.description ? ` (${callback.description})` : ""}`);
    if (!pending || pending.state !== callback.state) throw new Error("sign-in answer does not match the request (state); sign in again");
    const discovery = await discover(auth.issuer);
    const tokens = await fetchWithin(
      discovery.token_endpoint,
      {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: tokenRequestBody({ code: callback.code, redirectUri: redirectUriOf(location.href), clientId: auth.clientId, verifier: pending.verifier }),
      },
      async (response) => {
        if (!response.ok) throw new Error(`POST ${discovery.token_endpoint} failed: HTTP ${response.status} ${await response.text().catch(() => "")}`.trim());
        return (await response.json()) as unknown;
      },
    ).catch((error: Error) => {
      throw error.message.startsWith("POST ") ? error : new Error(`POST ${discovery.token_endpoint} failed: ${error.message}`);
    });
    sessionStorage.setItem(TOKEN_KEY, JSON.stringify(parseTokenResponse(tokens, Date.now())));
  }
  // Renew the access token before it lapses, so a session lasts as long as the
  // issuer's refresh token rather than the access token's hour. A refused refresh
  // leaves the token to expire: the next API call's 401 then asks to sign in.
  let refreshTimer: ReturnType<typeof setTimeout> | undefined;
  const scheduleRefresh = (token: StoredToken) => {
    clearTimeout(refreshTimer);
    const delay = refreshDelay(token, Date.now());
    if (delay === undefined) return;
    refreshTimer = setTimeout(() => void refresh(token), delay);
  };
  const refresh = async (token: StoredToken) => {
    try {
      const discovery = await discover(auth.issuer);
      const tokens = await fetchWithin(
        discovery.token_endpoint,
        {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: refreshRequestBody({ refreshToken: token.refreshToken!, clientId: auth.clientId }),
        },
        async (response) => {
          if (!response.ok) throw new Error(`HTTP ${response.status}`);
          return (await response.json()) as unknown;
        },
      );
      const renewed = parseTokenResponse(tokens, Date.now(), token);
      sessionStorage.setItem(TOKEN_KEY, JSON.stringify(renewed));
      scheduleRefresh(renewed);
    } catch (error) {
      console.warn(`token refresh failed (${(error as Error).message}); signing in again when the token expires`);
    }
  };

  const stored = readToken();
  const valid = stored && !tokenExpired(stored, Date.now()) ? stored : undefined;
  if (stored?.refreshToken) scheduleRefresh(stored);
  return {
    token: () => {
      const t = readToken();
      return t && !tokenExpired(t, Date.now(), 0) ? t.accessToken : undefined;
    },
    user: userFromIdToken(valid?.idToken),
    needsSignIn: !valid,
    forget: () => {
      clearTimeout(refreshTimer);
      sessionStorage.removeItem(TOKEN_KEY);
    },
    async signIn() {
      const discovery = await discover(auth.issuer);
      const verifier = createVerifier(random);
      const pending: Pending = { state: createVerifier(random), nonce: createVerifier(random), verifier, returnHash: location.hash };
      sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
      location.assign(
        authorizeUrl(discovery, {
          clientId: auth.clientId,
          redirectUri: redirectUriOf(location.href),
          scope: auth.scope ?? "openid profile",
          state: pending.state,
          nonce: pending.nonce,
          challenge: await challengeS256(verifier),
        }),
      );
    },
    async signOut() {
      const token = readToken();
      clearTimeout(refreshTimer);
      sessionStorage.removeItem(TOKEN_KEY);
      const end = await discover(auth.issuer)
        .then((d) =>
          endSessionUrl(d, {
            ...(token?.idToken ? { idToken: token.idToken } : {}),
            clientId: auth.clientId,
            postLogoutRedirectUri: redirectUriOf(location.href),
            ...(auth.logoutEndpoint ? { logoutEndpoint: auth.logoutEndpoint } : {}),
          }),
        )
        .catch(() => undefined);
      if (end) location.assign(end);
      else location.reload();
    },
  };
}

export async function createSession(auth: AuthConfig): Promise<Session> {
  switch (auth.mode) {
    case "none":
      return { token: () => undefined, user: undefined, needsSignIn: false };
    case "dev":
      return { token: () => auth.token, user: `${auth.user} (dev)`, needsSignIn: false };
    case "oidc":
      return oidcSession(auth);
  }
}
