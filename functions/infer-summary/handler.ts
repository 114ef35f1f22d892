import { prefetch, secretFromEnv } from "../../lib/adapters/aws/secretFromEnv.ts";
import { httpHandler } from "../../lib/lambda/httpHandler.ts";
import { createLogger } from "../../lib/lambda/logger.ts";
import { inferenceRoute } from "../../lib/nlp/inference/inferenceRoute.ts";
import { summarizationTask } from "../../lib/nlp/inference/tasks.ts";

const logger = createLogger("infer-summary");
const token = prefetch(secretFromEnv(process.env, "INFERENCE_TOKEN"));

/** POST /infer/summarization: Hugging Face summarization shape (extractive TextRank). */
export const handler = httpHandler(inferenceRoute({ task: summarizationTask(), logger, token }), { logger });
