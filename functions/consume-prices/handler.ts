import "../../lib/adapters/mqtt/locateCrtBinary.ts";
import { queueConsumerAdapters } from "../../lib/adapters/aws/queueConsumerAdapters.ts";
import { getNotifier } from "../../lib/adapters/mqtt/getNotifier.ts";
import { getSearchClient } from "../../lib/adapters/opensearch/createSearchClient.ts";
import { createLogger } from "../../lib/lambda/logger.ts";
import { sqsHandler } from "../../lib/lambda/sqsHandler.ts";
import { consumeMarketMessages, PRICE_PAYLOAD_SCHEMAS } from "../../lib/market/consume/consumeMarketMessages.ts";
import { ensureTemplatesOnce } from "../../lib/store/ensureTemplates.ts";
import { readStoreConfig } from "../../lib/store/StoreConfig.ts";
import { createStoreContext } from "../../lib/store/StoreContext.ts";

const logger = createLogger("consume-prices");
const config = readStoreConfig();
const store = createStoreContext(getSearchClient(config), config);
const notifier = getNotifier(logger);

/** price-tasks → trades, candles, quotes and listing rows in OpenSearch → MQTT price-feed topics. */
export const handler = sqsHandler({
  logger,
  ...queueConsumerAdapters("PRICE_DLQ"),
  payloadSchemas: PRICE_PAYLOAD_SCHEMAS,
  prepare: () => ensureTemplatesOnce(store.client, config.indexPrefix),
  consume: (messages) => consumeMarketMessages(messages, { store, notifier, logger }),
});
