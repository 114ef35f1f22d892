// Which sentiment model the social consumer uses, from its environment, as
// the news consumer's (lib/news/enrich/nlpServicesFromEnv.ts):
//   NLP_MODE=remote (default)  the infer-sentiment function (INFERENCE_BASE_URL/sentiment,
//                              or INFERENCE_SENTIMENT_URL), bearer INFERENCE_TOKEN
//   NLP_MODE=in-process        the shipped model in this process (SENTIMENT_MODEL_DIR);
//                              only the classifier is loaded, no summariser or keyword model
import { envEnum, envOptional } from "../config/readEnv.ts";
import { nlpServicesFromEnv } from "../news/enrich/nlpServicesFromEnv.ts";
import type { Secret } from "../secrets/Secret.ts";
import type { SentimentService } from "./consumeSocialMessages.ts";

type Env = Readonly<Record<string, string | undefined>>;

export async function sentimentServiceFromEnv(env: Env, secret: Secret): Promise<SentimentService> {
  if (envEnum(env, "NLP_MODE", ["remote", "in-process"] as const, "remote") === "in-process") {
    const { loadSentimentClassifier, defaultSentimentModelDir } = await import("../nlp/loadSentimentClassifier.ts");
    const classifier = await loadSentimentClassifier(envOptional(env, "SENTIMENT_MODEL_DIR") ?? defaultSentimentModelDir());
    return { sentiment: (texts) => classifier.classify(texts) };
  }
  return nlpServicesFromEnv(env, secret);
}
