// AWS IoT Core custom authorizer for the dashboard's MQTT-over-WebSocket
// connection: the browser passes its sign-in token (the same one the API
// checks) as the MQTT password or a `token` query parameter; a valid token
// with the dashboard role may connect and subscribe to `cryptoviz/*`, never publish.
import { authorizeRead, type ReadAuthConfig } from "../auth/readAuth.ts";
import type { LogSink } from "../log/LogSink.ts";

/** The part of IoT Core's authorizer event used here. */
export interface IotAuthorizerEvent {
  token?: string;
  protocols?: string[];
  protocolData?: {
    mqtt?: { username?: string; password?: string; clientId?: string };
    http?: { headers?: Record<string, string>; queryString?: string };
  };
  connectionMetadata?: { id?: string };
}

export interface IotAuthorizerResponse {
  isAuthenticated: boolean;
  principalId: string;
  disconnectAfterInSeconds: number;
  refreshAfterInSeconds: number;
  policyDocuments: string[];
}

export interface IotAuthorizerContext {
  region: string;
  accountId: string;
  /** Topic root the dashboard may read, e.g. `cryptoviz`. */
  topicRoot: string;
}

export function tokenFromEvent(event: IotAuthorizerEvent): string | undefined {
  const password = event.protocolData?.mqtt?.password;
  if (password) return Buffer.from(password, "base64").toString("utf8");
  const query = event.protocolData?.http?.queryString;
  if (query) {
    const token = new URLSearchParams(query).get("token");
    if (token) return token;
  }
  return event.token || undefined;
}

function policy({ region, accountId, topicRoot }: IotAuthorizerContext, clientId: string): string {
  const arn = (kind: string, name: string) => `arn:aws:iot:${region}:${accountId}:${kind}/${name}`;
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      { Effect: "Allow", Action: "iot:Connect", Resource: arn("client", clientId) },
      { Effect: "Allow", Action: "iot:Subscribe", Resource: arn("topicfilter", `${topicRoot}/*`) },
      { Effect: "Allow", Action: "iot:Receive", Resource: arn("topic", `${topicRoot}/*`) },
    ],
  });
}

const DENY: IotAuthorizerResponse = { isAuthenticated: false, principalId: "anonymous", disconnectAfterInSeconds: 300, refreshAfterInSeconds: 300, policyDocuments: [] };

export async function authorizeDashboardConnection(event: IotAuthorizerEvent, auth: ReadAuthConfig, ctx: IotAuthorizerContext): Promise<IotAuthorizerResponse> {
  const clientId = event.protocolData?.mqtt?.clientId ?? "";
  // Client ids are scoped so a dashboard can never take over a publisher's session.
  if (!/^dashboard-[A-Za-z0-9_-]{1,100}$/.test(clientId)) return DENY;
  const result = await authorizeRead(`Bearer ${tokenFromEvent(event) ?? ""}`, auth);
  if (!result.ok) return DENY;
  // IoT's principal id: alphanumeric, at most 128 characters.
  const principalId = result.subject.replace(/[^A-Za-z0-9]/g, "").slice(0, 128) || "dashboard";
  return { isAuthenticated: true, principalId, disconnectAfterInSeconds: 86_400, refreshAfterInSeconds: 3_600, policyDocuments: [policy(ctx, clientId)] };
}

/** The dashboard's authorizer as the function runs it: the cryptoviz/* topics, each decision logged. */
export function dashboardConnectionAuthorizer(auth: ReadAuthConfig, logger: Pick<LogSink, "info">) {
  return async (event: IotAuthorizerEvent, scope: { region: string; accountId: string }): Promise<IotAuthorizerResponse> => {
    const response = await authorizeDashboardConnection(event, auth, { ...scope, topicRoot: "cryptoviz" });
    logger.info("mqtt connection", { clientId: event.protocolData?.mqtt?.clientId, allowed: response.isAuthenticated, principal: response.principalId });
    return response;
  };
}
