// Reader of the project's crypto headline set v2 (models/cryptoviz-sentiment/data/
// crypto_headlines_v2.tsv): `split<TAB>label<TAB>event_type<TAB>template<TAB>headline`,
// `#` comments. The caller names the splits it reads, so that code which must never see
// the held-out test split (training, weight choice, bias calibration) can show it in one
// argument, and a typo in a split name fails instead of silently reading nothing.
import { readFileSync } from "node:fs";
import { labelIndex, type Example } from "./datasets.ts";

export const CRYPTO_SPLITS = ["train", "dev", "test"] as const;
export type CryptoSplit = (typeof CRYPTO_SPLITS)[number];

export interface CryptoHeadline extends Example {
  split: CryptoSplit;
  /** One of the guideline's event types (adoption, enforcement, price_up…). */
  eventType: string;
  /** The story pattern the row realises: the unit of the split and of the bootstrap. */
  template: string;
}

/** Parses the TSV text; every malformed row is an error naming its line. */
export function parseCryptoHeadlines<S extends CryptoSplit>(text: string, splits: readonly S[], source = "crypto headlines"): Record<S, CryptoHeadline[]> {
  for (const s of splits) if (!(CRYPTO_SPLITS as readonly string[]).includes(s)) throw new Error(`${source}: unknown split "${s}" requested`);
  const out = Object.fromEntries(splits.map((s) => [s, [] as CryptoHeadline[]])) as Record<S, CryptoHeadline[]>;
  text.split("\n").forEach((raw, i) => {
    const line = raw.replace(/\r$/, "");
    if (!line.trim() || line.startsWith("#")) return;
    const fields = line.split("\t");
    const at = `${source}:${i + 1}`;
    if (fields.length !== 5 || fields.some((f) => f.trim() === "")) throw new Error(`${at}: expected split<TAB>label<TAB>event_type<TAB>template<TAB>headline, got ${fields.length} field(s)`);
    const [split, label, eventType, template, headline] = fields as [string, string, string, string, string];
    if (!(CRYPTO_SPLITS as readonly string[]).includes(split)) throw new Error(`${at}: unknown split "${split}"`);
    let labelId: number;
    try {
      labelId = labelIndex(label);
    } catch (e) {
      throw new Error(`${at}: ${(e as Error).message}`);
    }
    // Rows of splits not asked for are checked (above) but not kept.
    if ((splits as readonly string[]).includes(split)) out[split as S].push({ split: split as S, label: labelId, eventType, template, text: headline });
  });
  return out;
}

export function readCryptoHeadlineSet<S extends CryptoSplit>(path: string, splits: readonly S[]): Record<S, CryptoHeadline[]> {
  return parseCryptoHeadlines(readFileSync(path, "utf8"), splits, path);
}
