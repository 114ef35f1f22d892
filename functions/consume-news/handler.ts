import "../../lib/adapters/mqtt/locateCrtBinary.ts";
import { newsArticleSchema, NEWS_ARTICLE_SCHEMA } from "../../contracts/news.ts";
import { queueConsumerAdapters } from "../../lib/adapters/aws/queueConsumerAdapters.ts";
import { secretFromEnv } from "../../lib/adapters/aws/secretFromEnv.ts";
import { getNotifier } from "../../lib/adapters/mqtt/getNotifier.ts";
import { getSearchClient } from "../../lib/adapters/opensearch/createSearchClient.ts";
import { onceUntilRejected } from "../../lib/async/onceUntilRejected.ts";
import { createLogger } from "../../lib/lambda/logger.ts";
import { sqsHandler } from "../../lib/lambda/sqsHandler.ts";
import { consumeNewsMessages } from "../../lib/news/consumeNewsMessages.ts";
import { nlpServicesFromEnv } from "../../lib/news/enrich/nlpServicesFromEnv.ts";
import { ensureTemplatesOnce } from "../../lib/store/ensureTemplates.ts";
import { readStoreConfig } from "../../lib/store/StoreConfig.ts";
import { createStoreContext } from "../../lib/store/StoreContext.ts";

const logger = createLogger("consume-news");
const config = readStoreConfig();
const store = createStoreContext(getSearchClient(config), config);
const notifier = getNotifier(logger);
// Once per container: endpoint clients, or the in-process models (NLP_MODE);
// a failed setup is tried again with the next batch.
const nlp = onceUntilRejected(() => nlpServicesFromEnv(process.env, secretFromEnv(process.env, "INFERENCE_TOKEN")));

/** news-tasks → enrichment (inference functions) → articles and sentiment aggregates in OpenSearch → MQTT sentiment topics. */
export const handler = sqsHandler({
  logger,
  ...queueConsumerAdapters("NEWS_DLQ"),
  payloadSchemas: { [NEWS_ARTICLE_SCHEMA]: newsArticleSchema },
  prepare: () => ensureTemplatesOnce(store.client, config.indexPrefix),
  consume: async (messages, invocation) =>
    consumeNewsMessages(messages, { store, notifier, logger, nlp: await nlp(), remainingTimeMs: invocation.remainingTimeMs }),
});
