import "../../lib/adapters/mqtt/locateCrtBinary.ts";
import { socialBatchSchema, SOCIAL_BATCH_SCHEMA } from "../../contracts/social.ts";
import { queueConsumerAdapters } from "../../lib/adapters/aws/queueConsumerAdapters.ts";
import { secretFromEnv } from "../../lib/adapters/aws/secretFromEnv.ts";
import { getNotifier } from "../../lib/adapters/mqtt/getNotifier.ts";
import { getSearchClient } from "../../lib/adapters/opensearch/createSearchClient.ts";
import { onceUntilRejected } from "../../lib/async/onceUntilRejected.ts";
import { createLogger } from "../../lib/lambda/logger.ts";
import { sqsHandler } from "../../lib/lambda/sqsHandler.ts";
import { consumeSocialMessages } from "../../lib/social/consumeSocialMessages.ts";
import { sentimentServiceFromEnv } from "../../lib/social/sentimentServiceFromEnv.ts";
import { ensureTemplatesOnce } from "../../lib/store/ensureTemplates.ts";
import { readStoreConfig } from "../../lib/store/StoreConfig.ts";
import { createStoreContext } from "../../lib/store/StoreContext.ts";

const logger = createLogger("consume-social");
const config = readStoreConfig();
const store = createStoreContext(getSearchClient(config), config);
const notifier = getNotifier(logger);
// Once per container: the endpoint client, or the model in process (NLP_MODE);
// a failed setup is tried again with the next batch.
const nlp = onceUntilRejected(() => sentimentServiceFromEnv(process.env, secretFromEnv(process.env, "INFERENCE_TOKEN")));

/** social-tasks → sentiment, coin tags → posts and per-minute activity in OpenSearch → MQTT social topics. */
export const handler = sqsHandler({
  logger,
  ...queueConsumerAdapters("SOCIAL_DLQ"),
  payloadSchemas: { [SOCIAL_BATCH_SCHEMA]: socialBatchSchema },
  prepare: () => ensureTemplatesOnce(store.client, config.indexPrefix),
  consume: async (messages, invocation) =>
    consumeSocialMessages(messages, { store, notifier, logger, nlp: await nlp(), remainingTimeMs: invocation.remainingTimeMs }),
});
