// _search and _count: request parsing, per-index query execution, hit
// selection (sort, from/size, search_after), totals and aggregations.
import { cardinality, getBit, toSlots } from "../index/bitset.ts";
import { type Aggregator } from "../aggs/aggregator.ts";
import { parseAggs } from "../aggs/parse.ts";
import { aggsNeedScores, buildAggregators, buildResults, collectIndex } from "../aggs/run.ts";
import { illegalArgument, LOCAL, parsingError, SearchError, shardFailure } from "../errors.ts";
import { renderHit } from "../hits/renderHit.ts";
import type { IndexStore } from "../index/IndexStore.ts";
import { JsonOut } from "../http/JsonOut.ts";
import { type EvalContext, evaluateQuery, type Matches } from "../query/evaluateQuery.ts";
import { parseQuery, type Query } from "../query/parseQuery.ts";
import { parseUriQuery } from "../query/parseUriQuery.ts";
import { buildSortKeys, compareSortValues, makeAfterFilter, makeComparator, parseSort, parseSortParam, type SortSpec, topK } from "../hits/sort.ts";
import { FETCH_ALL, parseSourceFilter, type SourceFilter, sourceFilterFromParams } from "../hits/sourceFilter.ts";

export interface SearchRequest {
  query: Query;
  postFilter: Query | null;
  from: number;
  size: number;
  sort: SortSpec[] | null;
  source: SourceFilter;
  trackTotalHits: boolean | number;
  trackScores: boolean;
  searchAfter: unknown[] | null;
  aggs: ReturnType<typeof parseAggs> | null;
  version: boolean;
  seqNoPrimaryTerm: boolean;
  minScore: number | null;
  restTotalHitsAsInt: boolean;
}

const BODY_KEYS = new Set([
  "query", "post_filter", "from", "size", "sort", "_source", "track_total_hits", "track_scores", "search_after", "aggs",
  "aggregations", "version", "seq_no_primary_term", "min_score", "timeout", "stored_fields", "explain", "highlight",
  "docvalue_fields", "fields", "script_fields", "collapse", "rescore", "suggest", "pit", "slice", "indices_boost",
  "terminate_after", "profile", "stats", "ext", "runtime_mappings", "search_pipeline", "verbose_pipeline", "include_named_queries_score",
]);
const UNSUPPORTED_BODY = new Set([
  "explain", "highlight", "docvalue_fields", "fields", "script_fields", "collapse", "rescore", "suggest", "pit", "slice",
  "indices_boost", "terminate_after", "profile", "ext", "runtime_mappings", "search_pipeline", "verbose_pipeline",
]);

function intParam(v: unknown, name: string): number {
  const n = typeof v === "string" ? Number(v) : v;
  if (typeof n !== "number" || !Number.isInteger(n)) throw parsingError(`[${name}] must be an integer, got [${String(v)}]`);
  return n;
}

function parseTrackTotalHits(v: unknown): boolean | number {
  if (v === true || v === "true") return true;
  if (v === false || v === "false") return false;
  const n = Number(v);
  if (Number.isInteger(n)) {
    if (n < -1) throw illegalArgument(`[track_total_hits] parameter must be positive or equals to -1, got ${n}`);
    return n === -1 ? true : n;
  }
  throw parsingError(`[track_total_hits] must be a boolean or an integer, got [${String(v)}]`);
}

export function parseSearchRequest(body: unknown, params: URLSearchParams): SearchRequest {
  const b = (body ?? {}) as Record<string, unknown>;
  if (typeof b !== "object" || Array.isArray(b)) throw parsingError("request body must be an object");
  for (const k of Object.keys(b)) {
    if (!BODY_KEYS.has(k)) throw parsingError(`Unknown key for a ${typeof b[k] === "object" ? "START_OBJECT" : "VALUE"} in [${k}].`);
    if (UNSUPPORTED_BODY.has(k)) throw parsingError(`[${k}] in a search request is not supported by ${LOCAL}`);
  }
  if (b.stored_fields !== undefined && b.stored_fields !== "_none_") throw parsingError(`[stored_fields] is not supported by ${LOCAL}`);
  if (b.aggs !== undefined && b.aggregations !== undefined) throw parsingError("Found two aggregation definitions: [aggs] and [aggregations]");
  if (params.has("scroll")) throw illegalArgument(`scroll searches are not supported by ${LOCAL}; use search_after`);
  const req: SearchRequest = {
    query: b.query === undefined ? { t: "match_all", boost: 1 } : parseQuery(b.query),
    postFilter: b.post_filter === undefined ? null : parseQuery(b.post_filter),
    from: b.from === undefined ? 0 : intParam(b.from, "from"),
    size: b.size === undefined ? 10 : intParam(b.size, "size"),
    sort: b.sort === undefined ? null : parseSort(b.sort),
    source: b._source === undefined ? FETCH_ALL : parseSourceFilter(b._source),
    trackTotalHits: b.track_total_hits === undefined ? 10_000 : parseTrackTotalHits(b.track_total_hits),
    trackScores: b.track_scores === true,
    searchAfter: null,
    aggs: null,
    version: b.version === true,
    seqNoPrimaryTerm: b.seq_no_primary_term === true,
    minScore: b.min_score === undefined ? null : Number(b.min_score),
    restTotalHitsAsInt: params.get("rest_total_hits_as_int") === "true",
  };
  const aggsJson = b.aggs ?? b.aggregations;
  if (aggsJson !== undefined) req.aggs = parseAggs(aggsJson);
  if (b.search_after !== undefined) {
    if (!Array.isArray(b.search_after)) throw parsingError("[search_after] must be an array");
    req.searchAfter = b.search_after;
  }
  // URL parameters override the body, like OpenSearch's RestSearchAction.
  if (params.has("q")) req.query = parseUriQuery(params.get("q")!, params);
  if (params.has("from")) req.from = intParam(params.get("from"), "from");
  if (params.has("size")) req.size = intParam(params.get("size"), "size");
  if (params.has("sort")) req.sort = parseSortParam(params.get("sort")!);
  if (params.has("track_total_hits")) req.trackTotalHits = parseTrackTotalHits(params.get("track_total_hits"));
  if (params.has("track_scores")) req.trackScores = params.get("track_scores") === "true";
  if (params.has("version")) req.version = params.get("version") === "true";
  if (params.has("seq_no_primary_term")) req.seqNoPrimaryTerm = params.get("seq_no_primary_term") === "true";
  const sf = sourceFilterFromParams(params);
  if (sf) req.source = sf;
  if (req.size < 0) throw illegalArgument(`[size] parameter cannot be negative, found [${req.size}]`);
  if (req.from < 0) throw illegalArgument(`[from] parameter cannot be negative, found [${req.from}]`);
  if (req.searchAfter) {
    if (req.from > 0) throw illegalArgument("`from` parameter must be set to 0 when `search_after` is used.");
    if (!req.sort) throw illegalArgument("Sort must contain at least one field.");
    if (req.searchAfter.length !== req.sort.length) {
      throw illegalArgument(`search_after has ${req.searchAfter.length} value(s) but sort has ${req.sort.length}.`);
    }
  }
  return req;
}

interface Candidate {
  indexNo: number;
  slot: number;
  score: number;
  values: unknown[] | null;
}

interface ShardResult {
  index: IndexStore;
  matches: Matches;
  total: number;
  candidates: Candidate[];
  maxScore: number;
}

function runOnIndex(index: IndexStore, indexNo: number, req: SearchRequest, now: number, aggs: Aggregator[] | null, scoringForAggs: boolean): ShardResult {
  index.maybeRefresh(now);
  const ctx: EvalContext = { index, now };
  const window = req.from + req.size;
  if (window > index.maxResultWindow) {
    throw illegalArgument(`Result window is too large, from + size must be less than or equal to: [${index.maxResultWindow}] but was [${window}]. See the scroll api for a more efficient way to request large data sets. This limit can be set by changing the [index.max_result_window] index level setting.`);
  }
  const sortsByScore = req.sort === null || req.sort.some((s) => s.kind === "score");
  const scoreHits = req.size > 0 && (sortsByScore || req.trackScores);
  const scoring = scoreHits || req.minScore !== null || scoringForAggs;
  const matches = evaluateQuery(req.query, ctx, scoring);
  const scoreOf = matches.scores ? (s: number): number => matches.scores![s]! : (): number => matches.constScore;
  if (req.minScore !== null) {
    const min = req.minScore;
    for (const s of toSlots(matches.bits)) if (scoreOf(s) < min) matches.bits[s >>> 5]! &= ~(1 << (s & 31));
  }
  if (aggs) collectIndex(aggs, index, indexNo, matches.bits, matches.scores, matches.constScore, ctx);
  let hitBits = matches.bits;
  if (req.postFilter) {
    hitBits = hitBits.slice();
    const pf = evaluateQuery(req.postFilter, ctx, false).bits;
    for (let i = 0; i < hitBits.length; i++) hitBits[i]! &= pf[i] ?? 0;
  }
  const total = cardinality(hitBits);
  let maxScore = -Infinity;
  if (scoreHits && total > 0) {
    if (matches.scores) for (const s of toSlots(hitBits)) maxScore = Math.max(maxScore, matches.scores[s]!);
    else maxScore = matches.constScore;
  }
  const candidates: Candidate[] = [];
  if (window > 0 && total > 0) {
    const specs = req.sort ?? [{ kind: "score", field: "_score", order: "desc", missing: "_last", mode: null, unmappedType: null, format: null } satisfies SortSpec];
    const keys = buildSortKeys(index, specs, scoreOf);
    const cmp = makeComparator(keys);
    const after = req.searchAfter ? makeAfterFilter(keys, req.searchAfter) : null;
    const iter = function* (): Generator<number> {
      for (let w = 0; w < hitBits.length; w++) {
        let word = hitBits[w]!;
        while (word !== 0) {
          const t = word & -word;
          const slot = (w << 5) + (31 - Math.clz32(t));
          word ^= t;
          if (after === null || after(slot)) yield slot;
        }
      }
    };
    // Equal scores (or _doc order) without search_after: the first matches in slot order are the top ones.
    const slotOrder = after === null && ((req.sort === null && matches.scores === null) || (req.sort !== null && req.sort.length === 1 && req.sort[0]!.kind === "doc" && req.sort[0]!.order === "asc"));
    const best = slotOrder ? firstSlots(hitBits, window) : topK(iter(), window, cmp);
    for (const slot of best) {
      candidates.push({ indexNo, slot, score: scoreOf(slot), values: req.sort ? keys.map((k) => k.value(slot)) : null });
    }
  }
  return { index, matches, total, candidates, maxScore };
}

function firstSlots(bits: Uint32Array, n: number): number[] {
  const out: number[] = [];
  for (let w = 0; w < bits.length && out.length < n; w++) {
    let word = bits[w]!;
    while (word !== 0 && out.length < n) {
      const t = word & -word;
      out.push((w << 5) + (31 - Math.clz32(t)));
      word ^= t;
    }
  }
  return out;
}

export function executeSearch(indices: IndexStore[], req: SearchRequest, opts: { now?: number; pretty?: boolean; started?: number } = {}): string {
  const started = opts.started ?? performance.now();
  const now = opts.now ?? Date.now();
  const out = new JsonOut();
  const aggs = req.aggs ? buildAggregators(req.aggs) : null;
  const scoringForAggs = aggs ? aggsNeedScores(aggs) : false;
  const results: ShardResult[] = [];
  const failures: { shard: number; index: string; node: string; reason: unknown }[] = [];
  let firstError: SearchError | null = null;
  indices.forEach((index, i) => {
    try {
      results.push(runOnIndex(index, i, req, now, aggs, scoringForAggs));
    } catch (err) {
      if (!(err instanceof SearchError)) throw err;
      firstError ??= err;
      failures.push({ shard: 0, index: index.name, node: "local", reason: err.toCause() });
    }
  });
  if (firstError !== null && results.length === 0) throw shardFailure(firstError, failures[0]!.index);
  const total = results.reduce((n, r) => n + r.total, 0);
  let candidates = results.flatMap((r) => r.candidates);
  if (results.length > 1) {
    if (req.sort) {
      const specs = req.sort;
      candidates.sort((a, b) => compareSortValues(a.values!, b.values!, specs) || a.indexNo - b.indexNo || a.slot - b.slot);
    } else candidates.sort((a, b) => b.score - a.score || a.indexNo - b.indexNo || a.slot - b.slot);
  }
  candidates = candidates.slice(req.from, req.from + req.size);
  const sortsByScore = req.sort === null || req.sort.some((s) => s.kind === "score");
  const scored = sortsByScore || req.trackScores;
  const byNo = new Map(indices.map((ix, i) => [i, ix] as const));
  const hits = candidates.map((c) =>
    renderHit(out, byNo.get(c.indexNo)!, c.slot, scored ? c.score : null, c.values, { source: req.source, version: req.version, seqNoPrimaryTerm: req.seqNoPrimaryTerm }),
  );
  const maxScore = results.reduce((m, r) => Math.max(m, r.maxScore), -Infinity);
  const hitsObj: Record<string, unknown> = {};
  const tth = req.trackTotalHits;
  if (tth !== false) {
    const cap = tth === true ? Infinity : tth;
    const value = Math.min(total, cap);
    const relation = total > cap ? "gte" : "eq";
    hitsObj.total = req.restTotalHitsAsInt ? value : { value, relation };
  }
  hitsObj.max_score = scored && req.size > 0 && Number.isFinite(maxScore) ? maxScore : null;
  hitsObj.hits = hits;
  const response: Record<string, unknown> = {
    took: Math.max(0, Math.round(performance.now() - started)),
    timed_out: false,
    _shards: { total: indices.length, successful: results.length, skipped: 0, failed: failures.length, ...(failures.length > 0 ? { failures } : {}) },
    hits: hitsObj,
  };
  if (aggs) response.aggregations = buildResults(aggs, out, indices);
  return out.stringify(response, opts.pretty);
}

export function parseCountRequest(body: unknown, params: URLSearchParams = new URLSearchParams()): Query {
  const b = (body ?? {}) as Record<string, unknown>;
  for (const k of Object.keys(b)) if (k !== "query") throw parsingError(`request does not support [${k}]`);
  if (params.has("q")) return parseUriQuery(params.get("q")!, params);
  return b.query === undefined ? { t: "match_all", boost: 1 } : parseQuery(b.query);
}

export function executeCount(indices: IndexStore[], query: Query, now = Date.now()): Record<string, unknown> {
  let count = 0;
  let ok = 0;
  const failures: unknown[] = [];
  let firstError: SearchError | null = null;
  for (const index of indices) {
    index.maybeRefresh(now);
    try {
      count += cardinality(evaluateQuery(query, { index, now }, false).bits);
      ok++;
    } catch (err) {
      if (!(err instanceof SearchError)) throw err;
      firstError ??= err;
      failures.push({ shard: 0, index: index.name, node: "local", reason: err.toCause() });
    }
  }
  if (firstError !== null && ok === 0) throw shardFailure(firstError, indices[0]!.name);
  return { count, _shards: { total: indices.length, successful: ok, skipped: 0, failed: failures.length, ...(failures.length > 0 ? { failures } : {}) } };
}

/**
 * The documents a query matches in the refreshed view, for _delete_by_query, each with the sequence number of
 * the revision matched: a later write changes it, a merge (which renumbers slots) does not.
 */
export function matchingIds(index: IndexStore, query: Query, now = Date.now()): { id: string; seqNo: number }[] {
  index.maybeRefresh(now);
  const bits = evaluateQuery(query, { index, now }, false).bits;
  const out: { id: string; seqNo: number }[] = [];
  for (const s of toSlots(bits)) if (getBit(index.visible, s)) out.push({ id: index.idAt(s), seqNo: index.seqNos[s]! });
  return out;
}
