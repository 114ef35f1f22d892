// consume-prices's sample event (functions/consume-prices/event.json), made
// current: its trade and quote times moved so that the newest is a minute ago,
// keeping their spacing (the local stage keeps trades an hour, and a fixed date
// would age out of any retention).
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SQSEvent } from "aws-lambda";

type Timed = { ts: number | number[]; receivedAt?: number | number[] };
type MarketBody = { schema: string; payload: { trades: Array<Timed & { tradeId: string | string[] }>; quotes?: Timed[] } };

const SAMPLE = "functions/consume-prices/event.json";

export function freshMarketEvent(): SQSEvent {
  const event = JSON.parse(readFileSync(SAMPLE, "utf8")) as SQSEvent;
  const bodies = event.Records.map((r) => JSON.parse(r.body) as MarketBody);
  const times = bodies.flatMap(({ payload }) => [...payload.trades, ...(payload.quotes ?? [])].flatMap((t) => [t.ts].flat()));
  const shift = Date.now() - 60_000 - Math.max(...times);
  const move = (v: number | number[] | undefined) => (Array.isArray(v) ? v.map((x) => x + shift) : v === undefined ? v : v + shift);
  event.Records.forEach((record, i) => {
    const body = bodies[i]!;
    for (const t of [...body.payload.trades, ...(body.payload.quotes ?? [])]) Object.assign(t, { ts: move(t.ts), receivedAt: move(t.receivedAt) });
    record.body = JSON.stringify(body);
  });
  return event;
}

/** `freshMarketEvent()` written to a file of its own, for `invoke local -p`. */
export function freshMarketEventFile(): string {
  const path = join(mkdtempSync(join(tmpdir(), "consume-prices-")), "event.json");
  writeFileSync(path, JSON.stringify(freshMarketEvent()));
  return path;
}

/** Every trade id the event carries (v2 batches hold them per column). */
export function sampleTradeIds(event: SQSEvent = JSON.parse(readFileSync(SAMPLE, "utf8")) as SQSEvent): string[] {
  return event.Records.flatMap((r) => {
    const { schema, payload } = JSON.parse(r.body) as MarketBody;
    return schema === "market.batch/v2" ? payload.trades.flatMap((c) => c.tradeId as string[]) : payload.trades.map((t) => t.tradeId as string);
  });
}
