// Read authorisation: dev tokens from the launcher, and OIDC tokens verified
// against a real (local) issuer's discovery document and JWKS.
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from "jose";
import { issueDevToken } from "../../lib/auth/issueDevToken.ts";
import { authorizeRead, readAuthConfig, rolesIn } from "../../lib/auth/readAuth.ts";

const SECRET = "a-local-dev-secret-of-some-length";

describe("dev tokens (API_AUTH=dev)", () => {
  const config = readAuthConfig({ API_AUTH: "dev", API_DEV_TOKEN_SECRET: SECRET });

  it("accepts the launcher's token and names its subject", async () => {
    const result = await authorizeRead(`Bearer ${await issueDevToken(SECRET)}`, config);
    assert.deepEqual(result, { ok: true, subject: "developer" });
  });

  it("refuses a missing, malformed, foreign-signed or expired token with 401, and a token without the role with 403", async () => {
    assert.equal((await authorizeRead(undefined, config)).ok, false);
    const cases: [string | undefined, number][] = [
      [undefined, 401],
      ["Basic abc", 401],
      ["Bearer not-a-jwt", 401],
      [`Bearer ${await issueDevToken("another-secret-of-enough-length")}`, 401],
      [`Bearer ${await issueDevToken(SECRET, { user: "old", roles: ["dashboard"], ttl: -10 })}`, 401],
      [`Bearer ${await issueDevToken(SECRET, { user: "ops", roles: ["operator"], ttl: 60 })}`, 403],
    ];
    for (const [header, status] of cases) {
      const result = await authorizeRead(header, config);
      assert.equal(result.ok ? 200 : result.status, status, String(header));
    }
  });

  it("says the token is malformed, not missing, when the header cannot be parsed", async () => {
    const token = await issueDevToken(SECRET);
    const reasons = async (header: string | undefined) => {
      const result = await authorizeRead(header, config);
      assert.equal(result.ok, false, String(header));
      return (result as { status: number; reason: string });
    };
    for (const header of [`Bearer ${token} extra`, `Bearer ${token} ${token}`, "Bearer not-a-jwt", "Bearer", "Basic abc", "Bearer a.b.c.d"]) {
      const { status, reason } = await reasons(header);
      assert.equal(status, 401);
      assert.match(reason, /^malformed bearer token: /, header);
    }
    assert.match((await reasons(undefined)).reason, /^missing bearer token/);
    assert.match((await reasons("   ")).reason, /^missing bearer token/);
    assert.deepEqual(await authorizeRead(`  Bearer  ${token} `, config), { ok: true, subject: "developer" });
  });

  it("refuses to start with a short secret, naming the variable", () => {
    assert.throws(() => readAuthConfig({ API_AUTH: "dev", API_DEV_TOKEN_SECRET: "short" }), /API_DEV_TOKEN_SECRET/);
    assert.throws(() => readAuthConfig({ API_AUTH: "sometimes" }), /API_AUTH/);
  });

  it("API_AUTH=none lets everyone read", async () => {
    assert.deepEqual(await authorizeRead(undefined, readAuthConfig({})), { ok: true, subject: "anonymous" });
  });
});

describe("OIDC tokens (API_AUTH=oidc) against a local issuer", () => {
  let server: Server;
  let issuer: string;
  let sign: (claims: JWTPayload, opts?: { issuer?: string }) => Promise<string>;
  let discoveries = 0;

  before(async () => {
    const { publicKey, privateKey } = await generateKeyPair("RS256");
    const jwk = { ...(await exportJWK(publicKey)), kid: "k1", alg: "RS256", use: "sig" };
    server = createServer((req, res) => {
      if (req.url === "/realms/crypto/.well-known/openid-configuration") {
        discoveries++;
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ issuer, jwks_uri: `${issuer}/protocol/openid-connect/certs` }));
      } else if (req.url === "/realms/crypto/protocol/openid-connect/certs") {
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: [jwk] }));
      } else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}/realms/crypto`;
    // Access tokens, as Keycloak marks them (typ Bearer); oidcClaims.test.ts covers the other kinds.
    sign = (claims, opts = {}) =>
      new SignJWT({ typ: "Bearer", ...claims })
        .setProtectedHeader({ alg: "RS256", kid: "k1" })
        .setIssuer(opts.issuer ?? issuer)
        .setSubject("alice")
        .setAudience("cryptoviz-dashboard")
        .setIssuedAt()
        .setExpirationTime("5m")
        .sign(privateKey);
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("verifies through discovery + JWKS and reads the role from a nested claim (Keycloak) or a colon claim (Cognito)", async () => {
    const keycloak = readAuthConfig({ API_AUTH: "oidc", API_OIDC_ISSUER: issuer, API_OIDC_AUDIENCE: "cryptoviz-dashboard", API_AUTH_ROLES_CLAIM: "realm_access.roles" });
    assert.deepEqual(await authorizeRead(`Bearer ${await sign({ realm_access: { roles: ["dashboard", "user"] } })}`, keycloak), { ok: true, subject: "alice" });
    const cognito = readAuthConfig({ API_AUTH: "oidc", API_OIDC_ISSUER: issuer, API_OIDC_AUDIENCE: "cryptoviz-dashboard", API_AUTH_ROLES_CLAIM: "cognito:groups" });
    assert.deepEqual(await authorizeRead(`Bearer ${await sign({ "cognito:groups": ["dashboard"] })}`, cognito), { ok: true, subject: "alice" });
    assert.equal(discoveries, 2, "discovery once per configuration, not per request");
    await authorizeRead(`Bearer ${await sign({ "cognito:groups": ["dashboard"] })}`, cognito);
    assert.equal(discoveries, 2);
  });

  it("refuses another issuer, another audience (401) and a token without the role (403)", async () => {
    const config = readAuthConfig({ API_AUTH: "oidc", API_OIDC_ISSUER: issuer, API_OIDC_AUDIENCE: "cryptoviz-dashboard", API_AUTH_ROLES_CLAIM: "roles" });
    const other = await authorizeRead(`Bearer ${await sign({ roles: ["dashboard"] }, { issuer: "https://evil.example" })}`, config);
    assert.equal(other.ok ? 200 : other.status, 401);
    const wrongAudience = readAuthConfig({ API_AUTH: "oidc", API_OIDC_ISSUER: issuer, API_OIDC_AUDIENCE: "another-app" });
    const aud = await authorizeRead(`Bearer ${await sign({ roles: ["dashboard"] })}`, wrongAudience);
    assert.equal(aud.ok ? 200 : aud.status, 401);
    const noRole = await authorizeRead(`Bearer ${await sign({ roles: ["viewer"] })}`, config);
    assert.equal(noRole.ok ? 200 : noRole.status, 403);
    assert.match(noRole.ok ? "" : noRole.reason, /dashboard/);
  });

  it("reads roles from lists, space- or comma-separated strings, dotted paths and colon keys", () => {
    assert.deepEqual(rolesIn({ roles: "a b,c" }, "roles"), ["a", "b", "c"]);
    assert.deepEqual(rolesIn({ realm_access: { roles: ["x"] } }, "realm_access.roles"), ["x"]);
    assert.deepEqual(rolesIn({ "cognito:groups": ["g"] }, "cognito:groups"), ["g"]);
    assert.deepEqual(rolesIn({}, "roles"), []);
  });
});
