// POST /ingest/{kind}: the authenticated webhook for crawlers and external
// producers, as a route (lib/lambda/httpHandler.ts serves it). Refusals name
// what is wrong: 401 the Authorization header, 404 the kind, 413 the body's size,
// 400 (thrown InvalidRequestError) the field.
import type { HttpRoute } from "../http/HttpRequest.ts";
import { bodyText, parseJsonBody } from "../http/jsonBody.ts";
import { errorResponse, json } from "../http/responses.ts";
import type { KeyedLogSink } from "../log/LogSink.ts";
import { tokensOf, type Secret } from "../secrets/Secret.ts";
import { authorizeIngest } from "./authorize.ts";
import { correlationIdOf } from "./correlationId.ts";
import { INGEST_KINDS, type IngestKind } from "./ingestRequest.ts";
import type { IngestService } from "./IngestService.ts";

export interface IngestRouteDeps {
  service: IngestService;
  /** The accepted token(s); unset refuses every request. */
  token: Secret;
  /** Larger bodies are refused with 413 (below Lambda's 6 MB payload limit, so the caller gets a clear answer). */
  maxBodyBytes: number;
  logger: KeyedLogSink;
}

export function ingestRoute({ service, token, maxBodyBytes, logger }: IngestRouteDeps): HttpRoute {
  return async (request) => {
    const auth = authorizeIngest(request.headers.authorization, tokensOf(await token.value()));
    if (!auth.ok) return errorResponse(401, "unauthorized", auth.reason, "Authorization");
    const kind = request.pathParameters.kind;
    if (!INGEST_KINDS.includes(kind as IngestKind)) {
      return errorResponse(404, "not_found", `unknown ingest kind "${kind}", expected one of ${INGEST_KINDS.join(", ")}`, "kind");
    }
    const text = bodyText(request, "a JSON object");
    const bytes = Buffer.byteLength(text);
    if (bytes > maxBodyBytes) {
      return errorResponse(413, "payload_too_large", `the body is ${bytes} bytes; the limit is ${maxBodyBytes} (send smaller batches)`, "body");
    }
    const correlationId = correlationIdOf(request.headers["x-correlation-id"], request.requestId);
    logger.appendKeys({ correlationId });
    const result = await service.ingest(kind as IngestKind, parseJsonBody(text), correlationId);
    logger.info("batch accepted", { ...result, kind, principal: auth.principal });
    return json(202, result);
  };
}
