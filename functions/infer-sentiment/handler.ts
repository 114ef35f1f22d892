import { prefetch, secretFromEnv } from "../../lib/adapters/aws/secretFromEnv.ts";
import { onceUntilRejected } from "../../lib/async/onceUntilRejected.ts";
import { envOptional } from "../../lib/config/readEnv.ts";
import { httpHandler } from "../../lib/lambda/httpHandler.ts";
import { createLogger } from "../../lib/lambda/logger.ts";
import { inferenceRoute } from "../../lib/nlp/inference/inferenceRoute.ts";
import { sentimentTask } from "../../lib/nlp/inference/tasks.ts";
import { defaultSentimentModelDir, loadSentimentClassifier } from "../../lib/nlp/loadSentimentClassifier.ts";

const logger = createLogger("infer-sentiment");
const token = prefetch(secretFromEnv(process.env, "INFERENCE_TOKEN"));
// The ONNX session is created on the first request and kept for the container's
// life; a failed load is tried again on the next request.
const load = onceUntilRejected(() => loadSentimentClassifier(envOptional(process.env, "SENTIMENT_MODEL_DIR") ?? defaultSentimentModelDir()));

/** POST /infer/sentiment: Hugging Face text-classification shape. */
export const handler = httpHandler(inferenceRoute({ task: sentimentTask(load), logger, token }), { logger });
