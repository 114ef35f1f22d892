import { queueWriters } from "../../lib/adapters/aws/queueWriters.ts";
import { prefetch, secretFromEnv } from "../../lib/adapters/aws/secretFromEnv.ts";
import { envInt, envString } from "../../lib/config/readEnv.ts";
import { ingestRoute } from "../../lib/ingest/ingestRoute.ts";
import { IngestService } from "../../lib/ingest/IngestService.ts";
import { httpHandler } from "../../lib/lambda/httpHandler.ts";
import { createLogger } from "../../lib/lambda/logger.ts";

// Created once per container and reused across invocations.
const logger = createLogger("ingest");
const writers = queueWriters({
  rawBucket: envString(process.env, "RAW_BUCKET"),
  queues: { news: envString(process.env, "NEWS_QUEUE"), prices: envString(process.env, "PRICE_QUEUE") },
});

/** POST /ingest/{kind}: authenticated webhook for crawlers and external producers. */
export const handler = httpHandler(
  ingestRoute({
    service: new IngestService(writers.archive, writers.producer, (kind) => writers.queueUrl[kind]()),
    // INGEST_TOKEN locally, INGEST_TOKEN_PARAMETER (SSM) in AWS: read during the cold start, cached.
    token: prefetch(secretFromEnv(process.env, "INGEST_TOKEN")),
    maxBodyBytes: envInt(process.env, "INGEST_MAX_BODY_BYTES", 5 * 1024 * 1024, { min: 1024 }),
    logger,
  }),
  { logger },
);
