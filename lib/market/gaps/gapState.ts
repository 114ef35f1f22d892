import { z } from "zod";
import type { StateStore } from "../../scraper/StateStore.ts";
import { GapLedger } from "./GapLedger.ts";

const position = z.string().regex(/^\d{1,30}$/);
const ledgerJson = z.object({
  mode: z.enum(["ids", "time"]),
  upTo: position.optional(),
  upToTs: z.number().int().optional(),
  seenAtUpTo: z.array(z.string()).optional(),
  holes: z.array(
    z.object({
      from: position, to: position, fromTs: z.number().int(), toTs: z.number().int(), openedAt: z.number().int(), attempts: z.number().int().nonnegative(),
      seen: z.array(z.string()).optional(),
    }),
  ),
});
const stateJson = z.object({ version: z.literal(1), exchange: z.string(), updatedAt: z.string(), symbols: z.record(z.string(), ledgerJson) });

/** Where an exchange's ledgers live in the raw archive's bucket (the scrapers keep theirs under state/scrapers/). */
export const gapStateKey = (exchange: string): string => `state/market/${exchange}/gaps.json`;

/**
 * An exchange's gap ledgers, per symbol, as the last window left them. A state that
 * cannot be read as such is an error naming the field: starting over silently would
 * forget the gaps it recorded.
 */
export async function loadGapState(store: StateStore, exchange: string): Promise<Map<string, GapLedger>> {
  const text = await store.read(gapStateKey(exchange));
  const out = new Map<string, GapLedger>();
  if (text === undefined) return out;
  const parsed = stateJson.safeParse(JSON.parse(text));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`gap state ${gapStateKey(exchange)} is not readable: [${issue.path.join(".")}] ${issue.message}`);
  }
  for (const [symbol, json] of Object.entries(parsed.data.symbols)) out.set(symbol, GapLedger.fromJson(json as never));
  return out;
}

export async function saveGapState(store: StateStore, exchange: string, ledgers: ReadonlyMap<string, GapLedger>, now = new Date()): Promise<void> {
  const symbols = Object.fromEntries([...ledgers].map(([symbol, ledger]) => [symbol, ledger.toJson()]));
  await store.write(gapStateKey(exchange), JSON.stringify({ version: 1, exchange, updatedAt: now.toISOString(), symbols }));
}

/** Where a window says, when it starts, until when it may still ship and save. */
export const windowLeaseKey = (exchange: string): string => `state/market/${exchange}/window.json`;

const leaseJson = z.object({ windowId: z.string(), until: z.number().int() });
export type WindowLease = z.infer<typeof leaseJson>;

/** The last window's lease; undefined when none or unreadable (no overlap assumed: its gaps are fetched at once). */
export async function readWindowLease(store: StateStore, exchange: string): Promise<WindowLease | undefined> {
  const text = await store.read(windowLeaseKey(exchange));
  if (text === undefined) return undefined;
  const parsed = leaseJson.safeParse(JSON.parse(text));
  return parsed.success ? parsed.data : undefined;
}

export async function writeWindowLease(store: StateStore, exchange: string, lease: WindowLease): Promise<void> {
  await store.write(windowLeaseKey(exchange), JSON.stringify(lease));
}
