// The store layer's public API (re-exports only).
export { readStoreConfig, describeStoreConfig, STORE_CONFIG_FIELDS } from "./StoreConfig.ts";
export type { StoreConfig, SearchAuthMode } from "./StoreConfig.ts";
export { createSearchClient, getSearchClient, closeSearchClients, defaultAwsCredentials } from "./createSearchClient.ts";
export type { AwsCredentials, AwsCredentialsProvider, SearchClientOptions } from "./createSearchClient.ts";
export { createStoreContext, refreshIndices } from "./StoreContext.ts";
export type { StoreContext } from "./StoreContext.ts";
export { ensureTemplates, ensureTemplatesOnce } from "./ensureTemplates.ts";
export { indexTemplates, TEMPLATE_VERSION } from "./indexTemplates.ts";
export { IndexNames } from "./IndexNames.ts";
export { TIMEFRAMES, TIMEFRAME_MS, PARTIAL_TIMEFRAME, isTimeframe } from "../../contracts/timeframes.ts";
export type { Timeframe, CandleTimeframe } from "../../contracts/timeframes.ts";
export { bucketStart, bucketEnd, bucketStartsBetween } from "./bucketStart.ts";
export { ALL_EXCHANGES, tradeDocId, candleDocId, quoteDocId, newsDocId, sentimentDocId } from "./documentIds.ts";
export { canonicalUrl } from "../../contracts/canonicalUrl.ts";
export { candleFromTrades, compareTrades } from "./candleFromTrades.ts";
export { mergeCandles } from "./mergeCandles.ts";
export { bulkWrite, failuresByKey, toStoreError, isOk, isConflict } from "./bulkWrite.ts";
export type { BulkOperation, BulkItemResult, BulkWriteOptions } from "./bulkWrite.ts";
export { writeMarketBatch } from "./writeMarketBatch.ts";
export type { MarketBatch, MarketWriteResult, MarketWriteStats } from "./writeMarketBatch.ts";
export { writeTrades } from "./writeTrades.ts";
export { writeQuotes } from "./writeQuotes.ts";
export { recomputeCandles } from "./recomputeCandles.ts";
export { writeNews } from "./writeNews.ts";
export type { NewsWriteResult } from "./writeNews.ts";
export { SENTIMENT_TIMEFRAMES } from "./sentimentAggregation.ts";
export { candlesQuery, hitSources } from "./candlesQuery.ts";
export { quotesQuery } from "./quotesQuery.ts";
export { sentimentQuery } from "./sentimentQuery.ts";
export {
  StoreError,
  RetryableStoreError,
  PermanentStoreError,
  ConcurrentUpdateError,
  StoreConfigError,
} from "./errors.ts";
export type * from "./types.ts";
