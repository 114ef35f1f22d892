import { createLogger } from "../../lib/log/logger.ts";
import { prefetch, secretFromEnv } from "../../lib/adapters/aws/secretFromEnv.ts";
import { createInferenceHandler } from "../../lib/nlp/inference/createInferenceHandler.ts";
import { keywordsTask } from "../../lib/nlp/inference/tasks.ts";

const logger = createLogger("infer-keywords");

/** POST /infer/keywords: Hugging Face token-classification shape (key phrases and entities). */
export const handler = createInferenceHandler({ task: keywordsTask(), logger, token: prefetch(secretFromEnv(process.env, "INFERENCE_TOKEN")) });
