// The simulator's side of the Jetstream protocol: a seeded stream of events in
// Jetstream's v1 JSON shapes (see parse.ts). Event i happens at
// epochUs + i·10⁶/rate µs and is a pure function of (seed, i), so a cursor
// replays from any position without storing anything, and a test can
// regenerate exactly what was offered. Each post carries the coins its text was
// written to mention (`expectedCoins`): the ground truth a collector is checked against.
import { createHash } from "node:crypto";
import { mulberry32 } from "../../../random/mulberry32.ts";
import { POST_COLLECTION } from "./parse.ts";

export interface JetstreamSimOptions {
  seed: string;
  /** Events per second (about 80 % new posts, the rest likes, deletes and identity events). */
  rate: number;
  /** Time (µs) of event 0: the start of the replayable history. */
  epochUs: number;
  /** Share of new posts written to mention a coin (default 0.2); the rest is noise and look-alikes. */
  coinShare?: number;
}

export interface SimEvent {
  index: number;
  timeUs: number;
  collection: string | undefined;
  /** The wire message. */
  json: string;
  /** For a new post: its at:// id and the coins it mentions (empty for noise and look-alikes). */
  post?: { id: string; expectedCoins: string[]; langs: string[] };
}

interface Template {
  text: string;
  langs: string[];
  /** Coins the text mentions once filled in; `{S}` / `{N}` are the first coin's ticker and name, `{S2}`/`{N2}` a second's. */
  coins: 0 | 1 | 2;
  tag?: boolean;
}

// Coins whose names are ordinary names (not word names), so any sentence position counts.
const COINS: Array<[string, string]> = [
  ["BTC", "Bitcoin"],
  ["ETH", "Ethereum"],
  ["SOL", "Solana"],
  ["DOGE", "Dogecoin"],
  ["ADA", "Cardano"],
  ["LINK", "Chainlink"],
  ["DOT", "Polkadot"],
  ["XRP", "XRP"],
];

const COIN_TEMPLATES: Template[] = [
  { text: "${S} looking strong into the weekend", langs: ["en"], coins: 1 },
  { text: "Just bought more {N} today 🚀", langs: ["en"], coins: 1 },
  { text: "{N} price is up again, who else is watching?", langs: ["en"], coins: 1 },
  { text: "Chart check: {S}/USDT breaking out on the 4h", langs: ["en"], coins: 1 },
  { text: "Thinking about {N} and {N2} for the long run", langs: ["en"], coins: 2 },
  { text: "Big week for #{N} #crypto", langs: ["en"], coins: 1, tag: true },
  { text: "¡{N} sube otra vez hoy! 📈", langs: ["es"], coins: 1 },
  { text: "{N} está subindo forte hoje", langs: ["pt"], coins: 1 },
  { text: "{N}の価格が上昇しています", langs: ["ja"], coins: 1 },
  { text: "Heute wieder ${S} gekauft", langs: ["de"], coins: 1 },
  { text: "${S} and ${S2} both green this morning", langs: ["en"], coins: 2 },
];

// Noise, and words that look like tickers but are not (they need evidence by the news rules).
const NOISE: Template[] = [
  { text: "Good morning everyone, coffee first ☕", langs: ["en"], coins: 0 },
  { text: "Click the LINK in my bio for the full story", langs: ["en"], coins: 0 },
  { text: "Qué bonito el sol de la mañana en la playa", langs: ["es"], coins: 0 },
  { text: "ONE more day until the weekend!", langs: ["en"], coins: 0 },
  { text: "Meet me near the dot on the map", langs: ["en"], coins: 0 },
  { text: "o sol brilha em Lisboa hoje", langs: ["pt"], coins: 0 },
  { text: "Watching the game tonight with friends #sports", langs: ["en"], coins: 0, tag: true },
  { text: "新しいカメラを買いました", langs: ["ja"], coins: 0 },
  { text: "The DOGE meme never gets old", langs: ["en"], coins: 0 },
  { text: "eth is a letter of the Old English alphabet", langs: ["en"], coins: 0 },
  { text: "Heute regnet es in Berlin", langs: ["de"], coins: 0 },
];

const B32 = "234567abcdefghijklmnopqrstuvwxyz";

/** A record key in the TID shape (13 base32-sortable characters) from the event's time and a clock id. */
export function tid(timeUs: number, clockId: number): string {
  let n = BigInt(Math.floor(timeUs)) * 1024n + BigInt(clockId & 1023);
  let out = "";
  for (let i = 0; i < 13; i++) {
    out = B32[Number(n & 31n)] + out;
    n >>= 5n;
  }
  return out;
}

const seedNumber = (seed: string) => createHash("sha256").update(seed).digest().readUInt32LE(0);

export class JetstreamSimStream {
  private readonly seed: number;
  private readonly share: number;

  constructor(readonly options: JetstreamSimOptions) {
    if (!(options.rate > 0 && options.rate <= 200_000)) throw new RangeError(`rate must be in (0, 200000] events/s, got ${options.rate}`);
    this.seed = seedNumber(options.seed);
    this.share = options.coinShare ?? 0.2;
  }

  timeOf(index: number): number {
    return this.options.epochUs + Math.floor((index * 1_000_000) / this.options.rate);
  }

  /** The first event at or after `timeUs` (a cursor replays from there; before the epoch, from the start). */
  indexAt(timeUs: number): number {
    if (timeUs <= this.options.epochUs) return 0;
    let i = Math.ceil(((timeUs - this.options.epochUs) * this.options.rate) / 1_000_000);
    while (i > 0 && this.timeOf(i - 1) >= timeUs) i--;
    while (this.timeOf(i) < timeUs) i++;
    return i;
  }

  private did(n: number): string {
    return `did:plc:sim${(n % 5000).toString(36).padStart(4, "0")}${(this.seed % 1296).toString(36).padStart(2, "0")}`;
  }

  event(index: number): SimEvent {
    const rand = mulberry32((this.seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0);
    const timeUs = this.timeOf(index);
    const did = this.did(Math.floor(rand() * 5000));
    const rkey = tid(timeUs, index);
    const kindRoll = rand();
    if (kindRoll < 0.1) {
      const json = JSON.stringify({ did, time_us: timeUs, kind: "commit", commit: { rev: rkey, operation: "create", collection: "app.bsky.feed.like", rkey, record: { $type: "app.bsky.feed.like", createdAt: new Date(timeUs / 1000).toISOString(), subject: { uri: `at://${did}/${POST_COLLECTION}/${tid(timeUs - 60_000_000, 7)}`, cid: "bafysim" } }, cid: "bafysim" } });
      return { index, timeUs, collection: "app.bsky.feed.like", json };
    }
    if (kindRoll < 0.15) {
      const json = JSON.stringify({ did, time_us: timeUs, kind: "commit", commit: { rev: rkey, operation: "delete", collection: POST_COLLECTION, rkey: tid(timeUs - 3_600_000_000, 3) } });
      return { index, timeUs, collection: POST_COLLECTION, json };
    }
    if (kindRoll < 0.2) {
      const json = JSON.stringify({ did, time_us: timeUs, kind: "identity", identity: { did, handle: `user${index % 997}.bsky.social`, seq: index, time: new Date(timeUs / 1000).toISOString() } });
      return { index, timeUs, collection: undefined, json };
    }
    const coinPost = rand() < this.share;
    const pool = coinPost ? COIN_TEMPLATES : NOISE;
    const t = pool[Math.floor(rand() * pool.length)]!;
    const a = COINS[Math.floor(rand() * COINS.length)]!;
    let b = COINS[Math.floor(rand() * COINS.length)]!;
    if (b[0] === a[0]) b = COINS[(COINS.indexOf(a) + 1) % COINS.length]!;
    const text = t.text.replaceAll("{S2}", b[0]).replaceAll("{N2}", b[1]).replaceAll("{S}", a[0]).replaceAll("{N}", a[1]);
    const expectedCoins = t.coins === 0 ? [] : t.coins === 1 ? [a[0]] : [a[0], b[0]].sort();
    const record: Record<string, unknown> = { $type: POST_COLLECTION, createdAt: new Date(timeUs / 1000 - Math.floor(rand() * 2000)).toISOString(), langs: t.langs, text };
    if (t.tag) {
      // A hashtag facet, with byte offsets as Bluesky writes them.
      const at = text.indexOf("#");
      const tag = /#([\p{L}\p{N}_]+)/u.exec(text.slice(at))![1]!;
      const byteStart = Buffer.byteLength(text.slice(0, at));
      record.facets = [{ index: { byteStart, byteEnd: byteStart + 1 + Buffer.byteLength(tag) }, features: [{ $type: "app.bsky.richtext.facet#tag", tag }] }];
    }
    const roll = rand();
    if (roll < 0.1) record.embed = { $type: "app.bsky.embed.record", record: { uri: `at://${this.did(index + 7)}/${POST_COLLECTION}/${tid(timeUs - 120_000_000, 1)}`, cid: "bafysimquote" } };
    else if (roll < 0.2) record.reply = { root: { uri: `at://${this.did(index + 3)}/${POST_COLLECTION}/${tid(timeUs - 300_000_000, 2)}`, cid: "bafyroot" }, parent: { uri: `at://${this.did(index + 5)}/${POST_COLLECTION}/${tid(timeUs - 30_000_000, 4)}`, cid: "bafyparent" } };
    const json = JSON.stringify({ did, time_us: timeUs, kind: "commit", commit: { rev: rkey, operation: "create", collection: POST_COLLECTION, rkey, record, cid: `bafysim${index.toString(36)}` } });
    return { index, timeUs, collection: POST_COLLECTION, json, post: { id: `at://${did}/${POST_COLLECTION}/${rkey}`, expectedCoins, langs: t.langs } };
  }
}

/** Does a subscription's `wantedCollections` list (exact NSIDs or `prefix.*`) take this collection? Identity and account events always pass. */
export function wantsCollection(wanted: readonly string[], collection: string | undefined): boolean {
  if (collection === undefined || wanted.length === 0) return true;
  return wanted.some((w) => (w.endsWith(".*") ? collection.startsWith(w.slice(0, -1)) : w === collection));
}
