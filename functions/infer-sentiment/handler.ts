import { onceUntilRejected } from "../../lib/async/onceUntilRejected.ts";
import { envOptional } from "../../lib/config/readEnv.ts";
import { createLogger } from "../../lib/log/logger.ts";
import { prefetch, secretFromEnv } from "../../lib/adapters/aws/secretFromEnv.ts";
import { createInferenceHandler } from "../../lib/nlp/inference/createInferenceHandler.ts";
import { sentimentTask } from "../../lib/nlp/inference/tasks.ts";
import { defaultSentimentModelDir, loadSentimentClassifier } from "../../lib/nlp/loadSentimentClassifier.ts";

const logger = createLogger("infer-sentiment");
// The ONNX session is created on the first request and kept for the container's
// life; a failed load is tried again on the next request.
const load = onceUntilRejected(() => loadSentimentClassifier(envOptional(process.env, "SENTIMENT_MODEL_DIR") ?? defaultSentimentModelDir()));

/** POST /infer/sentiment: Hugging Face text-classification shape. */
export const handler = createInferenceHandler({ task: sentimentTask(load), logger, token: prefetch(secretFromEnv(process.env, "INFERENCE_TOKEN")) });
