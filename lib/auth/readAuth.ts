// Who may read the API. One code path in every environment: the function
// verifies the bearer token itself, so the same rules hold behind API Gateway,
// serverless offline and LocalStack.
//   API_AUTH=oidc  tokens from an OIDC issuer (Cognito user pool, Keycloak, …),
//                  verified against its JWKS (signature, issuer, expiry), issued
//                  for API_OIDC_AUDIENCE (aud, or client_id for Cognito access
//                  tokens), of the kind API_OIDC_TOKEN_USE (access by default);
//                  the role must appear in a claim
//   API_AUTH=dev   tokens the local launcher issues (HS256, API_DEV_TOKEN_SECRET)
//   API_AUTH=none  no check (tests, private networks)
import { createRemoteJWKSet, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from "jose";
import { ConfigError } from "../config/ConfigError.ts";
import { envEnum, envOptional, envString, envUrl } from "../config/readEnv.ts";
import { checkOidcClaims, type TokenUse } from "./checkOidcClaims.ts";
import { parseAuthorization } from "../http/parseAuthorization.ts";

export type ReadAuthConfig =
  | { mode: "none" }
  | { mode: "dev"; secret: Uint8Array; issuer: string; role: string; rolesClaim: string }
  | { mode: "oidc"; issuer: string; audience: string; tokenUse: TokenUse; jwks: JWTVerifyGetKey; role: string; rolesClaim: string };

export type ReadAuthResult = { ok: true; subject: string } | { ok: false; status: 401 | 403; reason: string };

export const DEV_ISSUER = "cryptoviz-local-dev";

type Env = Record<string, string | undefined>;

export function readAuthConfig(env: Env = process.env): ReadAuthConfig {
  const mode = envEnum(env, "API_AUTH", ["none", "dev", "oidc"] as const, "none");
  const role = envString(env, "API_AUTH_ROLE", "dashboard");
  // Cognito puts groups in `cognito:groups`, Keycloak realm roles in `realm_access.roles`.
  const rolesClaim = envString(env, "API_AUTH_ROLES_CLAIM", "roles");
  if (mode === "none") return { mode };
  if (mode === "dev") {
    const secret = envString(env, "API_DEV_TOKEN_SECRET");
    if (secret.length < 16) throw new ConfigError("API_DEV_TOKEN_SECRET", "must be at least 16 characters");
    return { mode, secret: new TextEncoder().encode(secret), issuer: DEV_ISSUER, role, rolesClaim };
  }
  const issuer = envUrl(env, "API_OIDC_ISSUER");
  const jwksUrl = envOptional(env, "API_OIDC_JWKS_URL");
  // Fail closed: without an audience any client of the same issuer could read the API.
  const audience = envOptional(env, "API_OIDC_AUDIENCE");
  if (!audience) throw new ConfigError("API_OIDC_AUDIENCE", "is required with API_AUTH=oidc: the audience (aud) tokens must be issued for, or the app client id for Cognito access tokens (client_id)");
  const tokenUse = envEnum(env, "API_OIDC_TOKEN_USE", ["access", "id"] as const, "access");
  return { mode, issuer, audience, tokenUse, jwks: discoveredJwks(issuer, jwksUrl), role, rolesClaim };
}

/**
 * The issuer's signing keys, found through its discovery document (Cognito,
 * Keycloak and others publish `jwks_uri` at different paths). Looked up on the
 * first request; createRemoteJWKSet then caches the keys for the container's
 * life and refetches on an unknown `kid`.
 */
function discoveredJwks(issuer: string, jwksUrl: string | undefined): JWTVerifyGetKey {
  let keys: Promise<JWTVerifyGetKey> | undefined;
  const load = async (): Promise<JWTVerifyGetKey> => {
    if (jwksUrl) return createRemoteJWKSet(new URL(jwksUrl));
    const response = await fetch(`${issuer}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(5000) });
    if (!response.ok) throw new Error(`OIDC discovery at ${issuer} answered ${response.status}`);
    const { jwks_uri } = (await response.json()) as { jwks_uri?: string };
    if (!jwks_uri) throw new Error(`OIDC discovery at ${issuer} has no jwks_uri`);
    return createRemoteJWKSet(new URL(jwks_uri));
  };
  return async (header, token) => {
    keys ??= load().catch((error: unknown) => {
      keys = undefined; // try discovery again on the next request
      throw error;
    });
    return (await keys)(header, token);
  };
}

/** The claim at a dotted path (`realm_access.roles`), as a list of strings. */
export function rolesIn(payload: JWTPayload, path: string): string[] {
  // Cognito's `cognito:groups` is one key with a colon, not a path.
  let value: unknown = path in payload ? payload[path] : path.split(".").reduce<unknown>((v, k) => (v && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined), payload);
  if (typeof value === "string") value = value.split(/[\s,]+/);
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/** The bearer token, or why there is none: absent, or malformed (a second word, stray characters, not a JWT). */
function bearer(header: string | undefined): { token: string } | { missing: true } | { malformed: string } {
  const parsed = parseAuthorization(header);
  if (parsed.kind === "absent") return { missing: true };
  if (parsed.kind === "malformed") return { malformed: parsed.reason };
  if (parsed.scheme !== "bearer") return { malformed: `expected the Bearer scheme, got "${parsed.scheme}"` };
  if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(parsed.token)) return { malformed: "not a JWT (three base64url parts separated by dots)" };
  return { token: parsed.token };
}

export async function authorizeRead(authorization: string | undefined, config: ReadAuthConfig): Promise<ReadAuthResult> {
  if (config.mode === "none") return { ok: true, subject: "anonymous" };
  const found = bearer(authorization);
  if ("missing" in found) return { ok: false, status: 401, reason: "missing bearer token: sign in to the dashboard (Authorization: Bearer <token>)" };
  if ("malformed" in found) return { ok: false, status: 401, reason: `malformed bearer token: ${found.malformed}` };
  const { token } = found;
  let payload: JWTPayload;
  try {
    const verified =
      config.mode === "dev"
        ? await jwtVerify(token, config.secret, { issuer: config.issuer, algorithms: ["HS256"] })
        : await jwtVerify(token, config.jwks, { issuer: config.issuer, requiredClaims: ["exp"] });
    payload = verified.payload;
    const refused = config.mode === "oidc" ? checkOidcClaims(verified.protectedHeader, payload, config) : undefined;
    if (refused) return { ok: false, status: 401, reason: `invalid token: ${refused}` };
  } catch (error) {
    return { ok: false, status: 401, reason: `invalid token: ${(error as Error).message}` };
  }
  if (!rolesIn(payload, config.rolesClaim).includes(config.role)) {
    return { ok: false, status: 403, reason: `the token lacks the "${config.role}" role (claim ${config.rolesClaim})` };
  }
  return { ok: true, subject: payload.sub ?? "unknown" };
}
