import type { MarketCompleteness } from "../../../contracts/completeness.ts";
import { priceFeedGapTopic } from "../../../contracts/topics.ts";
import type { LogSink } from "../../log/LogSink.ts";
import type { Notifier } from "../../notify/notifier.ts";
import { publishSafely } from "../../notify/publishSafely.ts";
import type { StoreError } from "../../store/errors.ts";
import type { StoreContext } from "../../store/StoreContext.ts";
import type { Keyed } from "../../store/types.ts";
import { writeCompleteness } from "../../store/writeCompleteness.ts";

/**
 * The collector's completeness reports: their per-hour counts stored (GET
 * /completeness reads them), then each gap event published on
 * cryptoviz/price-feed/<COIN>/notify/gap. Only store failures are returned; a
 * notification failure never fails the batch.
 */
export async function consumeCompleteness(
  reports: readonly Keyed<MarketCompleteness>[],
  deps: { store: StoreContext; notifier: Notifier; logger: LogSink },
): Promise<Map<string, StoreError>> {
  if (reports.length === 0) return new Map();
  const { written, failed } = await writeCompleteness(deps.store, reports);
  deps.logger.info("market completeness stored", { reports: reports.length, hours: written, failed: failed.size });
  const events = reports.filter((r) => !failed.has(r.key)).flatMap((r) => r.item.events);
  await publishSafely(deps.notifier, events.map((e) => ({ topic: () => priceFeedGapTopic(e.base), payload: e })), deps.logger);
  return failed;
}
