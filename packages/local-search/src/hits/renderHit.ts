// Renders search hits (and top_hits) with source filtering.
import type { IndexStore } from "../index/IndexStore.ts";
import type { JsonOut } from "../http/JsonOut.ts";
import { applySourceFilter, isIdentity, type SourceFilter } from "./sourceFilter.ts";

export interface HitOptions {
  source: SourceFilter;
  version: boolean;
  seqNoPrimaryTerm: boolean;
}

export function renderHit(out: JsonOut, index: IndexStore, slot: number, score: number | null, sortValues: unknown[] | null, opts: HitOptions): Record<string, unknown> {
  const hit: Record<string, unknown> = { _index: index.name, _id: index.idAt(slot) };
  if (opts.version) hit._version = index.versions[slot];
  if (opts.seqNoPrimaryTerm) {
    hit._seq_no = index.seqNos[slot];
    hit._primary_term = index.primaryTerm;
  }
  hit._score = score;
  if (opts.source.fetch) {
    const text = index.sourceString(slot);
    hit._source = isIdentity(opts.source) ? out.raw(text) : applySourceFilter(JSON.parse(text) as Record<string, unknown>, opts.source);
  }
  if (sortValues) hit.sort = sortValues;
  return hit;
}
