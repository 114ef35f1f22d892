// The local development identity: a token the launcher prints and hands to
// the dashboard, accepted by the API when API_AUTH=dev. Never used in AWS.
import { SignJWT } from "jose";
import { DEV_ISSUER } from "./readAuth.ts";

export interface DevIdentity {
  user: string;
  roles: readonly string[];
  /** Seconds. */
  ttl: number;
}

export function issueDevToken(secret: string, identity: DevIdentity = { user: "developer", roles: ["dashboard"], ttl: 7 * 24 * 3600 }): Promise<string> {
  return new SignJWT({ roles: [...identity.roles], name: identity.user })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuer(DEV_ISSUER)
    .setSubject(identity.user)
    .setIssuedAt()
    .setExpirationTime(`${identity.ttl}s`)
    .sign(new TextEncoder().encode(secret));
}
