import middy from "@middy/core";
import httpHeaderNormalizer from "@middy/http-header-normalizer";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from "aws-lambda";
import { envInt, envString } from "../../lib/config/readEnv.ts";
import { jsonErrors } from "../../lib/http/jsonErrors.ts";
import { bodyText, parseJsonBody } from "../../lib/http/jsonBody.ts";
import { errorResponse, json } from "../../lib/http/responses.ts";
import { authorizeIngest } from "../../lib/ingest/authorize.ts";
import { correlationIdOf } from "../../lib/ingest/correlationId.ts";
import { INGEST_KINDS, type IngestKind } from "../../lib/ingest/ingestRequest.ts";
import { IngestService } from "../../lib/ingest/IngestService.ts";
import { createLogger } from "../../lib/log/logger.ts";
import { queueWriters } from "../../lib/adapters/aws/queueWriters.ts";
import { tokensOf } from "../../lib/secrets/Secret.ts";
import { prefetch, secretFromEnv } from "../../lib/adapters/aws/secretFromEnv.ts";

// Created once per container and reused across invocations.
const logger = createLogger("ingest");
// INGEST_TOKEN locally, INGEST_TOKEN_PARAMETER (SSM) in AWS: read during the cold start, cached.
const token = prefetch(secretFromEnv(process.env, "INGEST_TOKEN"));
// Below Lambda's 6 MB synchronous payload limit, so the caller gets a clear 413 rather than a gateway error.
const maxBodyBytes = envInt(process.env, "INGEST_MAX_BODY_BYTES", 5 * 1024 * 1024, { min: 1024 });
const writers = queueWriters({
  rawBucket: envString(process.env, "RAW_BUCKET"),
  queues: { news: envString(process.env, "NEWS_QUEUE"), prices: envString(process.env, "PRICE_QUEUE") },
});
const service = new IngestService(writers.archive, writers.producer, (kind: IngestKind) => writers.queueUrl[kind]());

/** POST /ingest/{kind}: authenticated webhook for crawlers and external producers. */
export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
  .use(injectLambdaContext(logger))
  .use(httpHeaderNormalizer())
  .use(jsonErrors(logger))
  .handler(async (event) => {
    const auth = authorizeIngest(event.headers.authorization, tokensOf(await token.value()));
    if (!auth.ok) return errorResponse(401, "unauthorized", auth.reason, "Authorization");
    const kind = event.pathParameters?.kind;
    if (!INGEST_KINDS.includes(kind as IngestKind)) {
      return errorResponse(404, "not_found", `unknown ingest kind "${kind}", expected one of ${INGEST_KINDS.join(", ")}`, "kind");
    }
    const text = bodyText(event, "a JSON object");
    const bytes = Buffer.byteLength(text);
    if (bytes > maxBodyBytes) {
      return errorResponse(413, "payload_too_large", `the body is ${bytes} bytes; the limit is ${maxBodyBytes} (send smaller batches)`, "body");
    }
    const correlationId = correlationIdOf(event.headers["x-correlation-id"], event.requestContext?.requestId);
    logger.appendKeys({ correlationId });
    const result = await service.ingest(kind as IngestKind, parseJsonBody(text), correlationId);
    logger.info("batch accepted", { ...result, kind, principal: auth.principal });
    return json(202, result);
  });
