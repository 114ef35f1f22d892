// OIDC authorization code + PKCE: the parts that can be checked without an issuer.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  authorizeUrl, base64Url, challengeS256, checkDiscovery, createVerifier, discoveryUrl, endSessionUrl, parseCallback, parseTokenResponse,
  redirectUriOf, refreshDelay, refreshRequestBody, stripCallback, tokenExpired, tokenRequestBody, userFromIdToken,
} from "../../dashboard/src/auth/pkce.ts";

const discovery = {
  issuer: "https://id.example.com/realms/cryptoviz",
  authorization_endpoint: "https://id.example.com/realms/cryptoviz/protocol/openid-connect/auth",
  token_endpoint: "https://id.example.com/realms/cryptoviz/protocol/openid-connect/token",
  end_session_endpoint: "https://id.example.com/realms/cryptoviz/protocol/openid-connect/logout",
};

describe("PKCE", () => {
  it("computes the S256 challenge of RFC 7636 appendix B", async () => {
    assert.equal(await challengeS256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  });
  it("makes 43-character verifiers of the unreserved alphabet from 32 random bytes", () => {
    const rfcBytes = Uint8Array.from([116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212, 37, 77, 105, 214, 191, 240, 91, 88, 5, 88, 83, 132, 141, 121]);
    assert.equal(createVerifier(() => rfcBytes), "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
    const v = createVerifier((n) => crypto.getRandomValues(new Uint8Array(n)));
    assert.match(v, /^[A-Za-z0-9\-._~]{43}$/);
    assert.equal(base64Url(Uint8Array.from([251, 255])), "-_8", "URL-safe alphabet, no padding");
  });
});

describe("authorization request and callback", () => {
  it("finds discovery under the issuer and checks it is the issuer's own", () => {
    assert.equal(discoveryUrl("https://id.example.com/realms/cryptoviz/"), "https://id.example.com/realms/cryptoviz/.well-known/openid-configuration");
    assert.deepEqual(checkDiscovery(discovery, "https://id.example.com/realms/cryptoviz/"), discovery);
    assert.throws(() => checkDiscovery({ ...discovery, issuer: "https://evil.example.com" }, discovery.issuer), /issuer is https:\/\/evil/);
    assert.throws(() => checkDiscovery({ issuer: discovery.issuer }, discovery.issuer), /authorization_endpoint missing/);
  });
  it("builds the authorize URL with code flow, S256 challenge, state and nonce", () => {
    const url = new URL(authorizeUrl(discovery, { clientId: "dashboard", redirectUri: "https://dash.example.com/app/index.html", scope: "openid profile", state: "s1", nonce: "n1", challenge: "c1" }));
    assert.equal(url.origin + url.pathname, discovery.authorization_endpoint);
    assert.deepEqual(Object.fromEntries(url.searchParams), {
      response_type: "code", client_id: "dashboard", redirect_uri: "https://dash.example.com/app/index.html", scope: "openid profile",
      state: "s1", nonce: "n1", code_challenge: "c1", code_challenge_method: "S256",
    });
  });
  it("redirects back to the page itself, and reads and strips the answer", () => {
    const back = "https://bucket.s3.amazonaws.com/cryptoviz/index.html?code=abc&state=s1&session_state=x&iss=https%3A%2F%2Fid#/news";
    assert.equal(redirectUriOf(back), "https://bucket.s3.amazonaws.com/cryptoviz/index.html");
    assert.deepEqual(parseCallback(back), { kind: "code", code: "abc", state: "s1" });
    assert.equal(stripCallback(back), "https://bucket.s3.amazonaws.com/cryptoviz/index.html#/news");
    assert.deepEqual(parseCallback("https://x/index.html?error=access_denied&error_description=no%20role&state=s1"), {
      kind: "error", error: "access_denied", description: "no role", state: "s1",
    });
    assert.deepEqual(parseCallback("https://x/index.html#/coin/BTCUSDT"), { kind: "none" });
  });
});

describe("tokens", () => {
  it("posts the code with the verifier as a public client", () => {
    assert.equal(
      tokenRequestBody({ code: "abc", redirectUri: "https://x/index.html", clientId: "dashboard", verifier: "v" }).toString(),
      "grant_type=authorization_code&code=abc&redirect_uri=https%3A%2F%2Fx%2Findex.html&client_id=dashboard&code_verifier=v",
    );
  });
  it("reads the token answer and its expiry", () => {
    assert.deepEqual(parseTokenResponse({ access_token: "at", id_token: "it", expires_in: 300, token_type: "Bearer" }, 1000), { accessToken: "at", idToken: "it", expiresAt: 301_000 });
    assert.deepEqual(parseTokenResponse({ access_token: "at" }, 1000), { accessToken: "at" });
    assert.throws(() => parseTokenResponse({ error: "invalid_grant" }, 0), /no access_token/);
    assert.equal(tokenExpired({ accessToken: "a", expiresAt: 100_000 }, 60_000), false);
    assert.equal(tokenExpired({ accessToken: "a", expiresAt: 100_000 }, 75_000), true, "within the 30 s margin");
    assert.equal(tokenExpired({ accessToken: "a" }, Number.MAX_SAFE_INTEGER), false, "no expiry stated");
  });
  it("renews with the refresh token a minute before expiry, keeping what the refresh answer leaves out", () => {
    assert.equal(refreshRequestBody({ refreshToken: "rt", clientId: "dashboard" }).toString(), "grant_type=refresh_token&refresh_token=rt&client_id=dashboard");
    const first = parseTokenResponse({ access_token: "at1", id_token: "it1", refresh_token: "rt", expires_in: 3600 }, 0);
    assert.deepEqual(first, { accessToken: "at1", idToken: "it1", refreshToken: "rt", expiresAt: 3_600_000 });
    assert.equal(refreshDelay(first, 0), 3_540_000);
    assert.equal(refreshDelay(first, 3_590_000), 0, "overdue: at once");
    // Cognito answers a refresh without a refresh token (it does not rotate it).
    const renewed = parseTokenResponse({ access_token: "at2", id_token: "it2", expires_in: 3600 }, 3_540_000, first);
    assert.deepEqual(renewed, { accessToken: "at2", idToken: "it2", refreshToken: "rt", expiresAt: 7_140_000 });
    assert.equal(parseTokenResponse({ access_token: "at3", refresh_token: "rt2" }, 0, first).refreshToken, "rt2", "a rotated one replaces it");
    assert.equal(refreshDelay({ accessToken: "a", expiresAt: 10 }, 0), undefined, "nothing to renew with");
    assert.equal(refreshDelay({ accessToken: "a", refreshToken: "r" }, 0), undefined, "no expiry stated");
  });
  it("signs out at the issuer's end-session endpoint, and names the user from the ID token", () => {
    const url = new URL(endSessionUrl(discovery, { idToken: "it", clientId: "dashboard", postLogoutRedirectUri: "https://x/index.html" })!);
    assert.deepEqual(Object.fromEntries(url.searchParams), { id_token_hint: "it", client_id: "dashboard", post_logout_redirect_uri: "https://x/index.html" });
    assert.equal(endSessionUrl({ ...discovery, end_session_endpoint: undefined }, { clientId: "d", postLogoutRedirectUri: "https://x/" }), undefined);
    // Cognito: no end_session_endpoint in discovery; its /logout takes client_id and logout_uri.
    const cognito = new URL(endSessionUrl({ ...discovery, end_session_endpoint: undefined }, { clientId: "c1", postLogoutRedirectUri: "https://d1.cloudfront.net/", logoutEndpoint: "https://acme.auth.eu-west-1.amazoncognito.com/logout" })!);
    assert.equal(cognito.origin + cognito.pathname, "https://acme.auth.eu-west-1.amazoncognito.com/logout");
    assert.deepEqual(Object.fromEntries(cognito.searchParams), { client_id: "c1", logout_uri: "https://d1.cloudfront.net/" });
    const claims = Buffer.from(JSON.stringify({ sub: "u1", preferred_username: "ada" })).toString("base64url");
    assert.equal(userFromIdToken(`h.${claims}.s`), "ada");
    assert.equal(userFromIdToken("not-a-jwt"), undefined);
  });
});
