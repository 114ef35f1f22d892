import { prefetch, secretFromEnv } from "../../lib/adapters/aws/secretFromEnv.ts";
import { httpHandler } from "../../lib/lambda/httpHandler.ts";
import { createLogger } from "../../lib/lambda/logger.ts";
import { inferenceRoute } from "../../lib/nlp/inference/inferenceRoute.ts";
import { keywordsTask } from "../../lib/nlp/inference/tasks.ts";

const logger = createLogger("infer-keywords");
const token = prefetch(secretFromEnv(process.env, "INFERENCE_TOKEN"));

/** POST /infer/keywords: Hugging Face token-classification shape (key phrases and entities). */
export const handler = httpHandler(inferenceRoute({ task: keywordsTask(), logger, token }), { logger });
