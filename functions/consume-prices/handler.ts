import "../../lib/notify/locateCrtBinary.ts";
import { createLogger } from "../../lib/log/logger.ts";
import { consumeMarketMessages } from "../../lib/market/consumeMarketMessages.ts";
import { marketBatchSchema, MARKET_BATCH_SCHEMA } from "../../lib/market/schemas.ts";
import { getNotifier } from "../../lib/notify/index.ts";
import { sqsConsumerHandler } from "../../lib/queue/sqsConsumerHandler.ts";
import { getSearchClient } from "../../lib/store/createSearchClient.ts";
import { ensureTemplatesOnce } from "../../lib/store/ensureTemplates.ts";
import { readStoreConfig } from "../../lib/store/StoreConfig.ts";
import { createStoreContext } from "../../lib/store/StoreContext.ts";

const logger = createLogger("consume-prices");
const config = readStoreConfig();
const store = createStoreContext(getSearchClient(config), config);
const notifier = getNotifier(logger);

/** price-tasks → trades, candles and quotes in OpenSearch → MQTT price-feed topics. */
export const handler = sqsConsumerHandler({
  logger,
  deadLetterQueueEnv: "PRICE_DLQ",
  payloadSchemas: { [MARKET_BATCH_SCHEMA]: marketBatchSchema },
  prepare: () => ensureTemplatesOnce(store.client, config.indexPrefix),
  consume: (messages) => consumeMarketMessages(messages, { store, notifier, logger }),
});
