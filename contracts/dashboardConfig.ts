// config.json, fetched beside index.html at start: what differs per environment
// (API, broker, identity, sign-in) is injected at deploy/start time, never built in.

export type AuthConfig =
  | { mode: "none" }
  | { mode: "dev"; token: string; user: string }
  /** `logoutEndpoint`: for issuers whose discovery names no end_session_endpoint (Cognito's `https://<domain>/logout`). */
  | { mode: "oidc"; issuer: string; clientId: string; scope?: string; logoutEndpoint?: string };

export interface DashboardConfig {
  apiUrl: string;
  mqttUrl: string;
  mqttUsername?: string;
  mqttPassword?: string;
  /** Send the sign-in token as the MQTT password (AWS IoT Core custom authorizer) instead of mqttPassword. */
  mqttPasswordFromToken?: boolean;
  auth: AuthConfig;
}

/** Raised for a config.json the page cannot run with; `field` names the part at fault. */
export class ConfigFileError extends Error {
  override readonly name = "ConfigFileError";
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`config.json: ${field} ${message}`);
  }
}

function str(o: Record<string, unknown>, field: string, prefix: string, optional = false): string | undefined {
  const v = o[field];
  if (v === undefined && optional) return undefined;
  if (typeof v !== "string" || v.trim() === "") throw new ConfigFileError(prefix + field, "must be a non-empty string");
  return v;
}

function url(value: string, field: string, protocols: string[]): string {
  let parsed: URL;
  try {
    // Relative URLs are resolved against a dummy base: only their syntax matters here.
    parsed = new URL(value, "http://relative.invalid/");
  } catch {
    throw new ConfigFileError(field, `must be a URL, got "${value}"`);
  }
  if (!protocols.includes(parsed.protocol)) throw new ConfigFileError(field, `must use ${protocols.join(" or ")}, got "${value}"`);
  return value.replace(/\/+$/, "");
}

/** Username sent with a token password when config.json names none: MQTT 3.1.1 allows no password without a username, and IoT Core's custom authorizer reads only the password. */
export const TOKEN_MQTT_USERNAME = "dashboard";

/** The MQTT CONNECT identity: fixed (local broker) or the current sign-in token as password (IoT Core's custom authorizer). */
export function mqttCredentials(config: DashboardConfig, token: () => string | undefined): { username?: string; password?: string | (() => string | undefined) } {
  if (config.mqttPasswordFromToken) return { username: config.mqttUsername ?? TOKEN_MQTT_USERNAME, password: token };
  return {
    ...(config.mqttUsername !== undefined ? { username: config.mqttUsername } : {}),
    ...(config.mqttPassword !== undefined ? { password: config.mqttPassword } : {}),
  };
}

/** Validates the parsed config.json; throws ConfigFileError naming the field. */
export function parseConfig(raw: unknown): DashboardConfig {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new ConfigFileError("(root)", "must be a JSON object");
  const o = raw as Record<string, unknown>;
  const apiUrl = url(str(o, "apiUrl", "")!, "apiUrl", ["http:", "https:"]);
  const mqttUrl = url(str(o, "mqttUrl", "")!, "mqttUrl", ["ws:", "wss:"]);
  const mqttUsername = str(o, "mqttUsername", "", true);
  const mqttPassword = str(o, "mqttPassword", "", true);
  const fromToken = o.mqttPasswordFromToken;
  if (fromToken !== undefined && typeof fromToken !== "boolean") throw new ConfigFileError("mqttPasswordFromToken", "must be true or false");
  // MQTT 3.1.1 (section 3.1.2.9): a password needs a username; the client library would throw at every connect.
  if (mqttPassword !== undefined && mqttUsername === undefined) throw new ConfigFileError("mqttPassword", "needs mqttUsername (MQTT 3.1.1 sends no password without a username)");
  if (mqttPassword !== undefined && fromToken === true) throw new ConfigFileError("mqttPassword", "cannot be set with mqttPasswordFromToken (the token is the password)");
  const a = o.auth ?? { mode: "none" };
  if (typeof a !== "object" || a === null) throw new ConfigFileError("auth", "must be an object");
  const ao = a as Record<string, unknown>;
  let auth: AuthConfig;
  switch (ao.mode) {
    case "none":
      auth = { mode: "none" };
      break;
    case "dev":
      auth = { mode: "dev", token: str(ao, "token", "auth.")!, user: str(ao, "user", "auth.")! };
      break;
    case "oidc": {
      const scope = str(ao, "scope", "auth.", true);
      const logout = str(ao, "logoutEndpoint", "auth.", true);
      auth = {
        mode: "oidc",
        issuer: url(str(ao, "issuer", "auth.")!, "auth.issuer", ["http:", "https:"]),
        clientId: str(ao, "clientId", "auth.")!,
        ...(scope !== undefined ? { scope } : {}),
        ...(logout !== undefined ? { logoutEndpoint: url(logout, "auth.logoutEndpoint", ["https:", "http:"]) } : {}),
      };
      break;
    }
    default:
      throw new ConfigFileError("auth.mode", `must be "none", "dev" or "oidc", got ${JSON.stringify(ao.mode)}`);
  }
  return {
    apiUrl,
    mqttUrl,
    ...(mqttUsername !== undefined ? { mqttUsername } : {}),
    ...(mqttPassword !== undefined ? { mqttPassword } : {}),
    ...(fromToken !== undefined ? { mqttPasswordFromToken: fromToken } : {}),
    auth,
  };
}
