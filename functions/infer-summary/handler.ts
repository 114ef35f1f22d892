import { createLogger } from "../../lib/log/logger.ts";
import { prefetch, secretFromEnv } from "../../lib/adapters/aws/secretFromEnv.ts";
import { createInferenceHandler } from "../../lib/nlp/inference/createInferenceHandler.ts";
import { summarizationTask } from "../../lib/nlp/inference/tasks.ts";

const logger = createLogger("infer-summary");

/** POST /infer/summarization: Hugging Face summarization shape (extractive TextRank). */
export const handler = createInferenceHandler({ task: summarizationTask(), logger, token: prefetch(secretFromEnv(process.env, "INFERENCE_TOKEN")) });
