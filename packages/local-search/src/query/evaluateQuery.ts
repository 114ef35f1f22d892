// Runs a parsed query against one index: bitsets for matches, BM25 scores for
// text, constant scores for filters, like Lucene's query types.
import { getAnalyzer } from "../text/analyzer.ts";
import { andInPlace, andNotInPlace, cardinality, getBit, newBitset, orInPlace, setBit, toSlots, type Bitset } from "../index/bitset.ts";
import type { KeywordColumn } from "../index/KeywordColumn.ts";
import { NUMERIC_BLOCK_BITS, type NumericColumn } from "../index/NumericColumn.ts";
import type { TextColumn } from "../index/TextColumn.ts";
import { compileDateFormat } from "../time/dateFormat.ts";
import { parseDateMath } from "../time/dateMath.ts";
import { LOCAL, SearchError } from "../errors.ts";
import { globMatch } from "../text/glob.ts";
import type { IndexStore } from "../index/IndexStore.ts";
import type { FieldMapper } from "../mapping/types.ts";
import { type Query, resolveMsm, type Scalar } from "./parseQuery.ts";
import { parseTimeZone, UTC } from "../time/timeZone.ts";

export interface Matches {
  bits: Bitset;
  /** Dense per-slot scores, or null when every match scores constScore. */
  scores: Float64Array | null;
  constScore: number;
}

export interface EvalContext {
  index: IndexStore;
  now: number;
  /**
   * The only slots whose answer will be read (ascending), when the caller knows them:
   * an aggregation's filters are asked only about the documents the search matched.
   * Column scans then visit these instead of the whole index; bits outside are unspecified.
   */
  domain?: Int32Array;
}

/** Scan the domain rather than every slot when it is this much smaller. */
const DOMAIN_SCAN_RATIO = 4;

function useDomain(ctx: EvalContext): Int32Array | undefined {
  const d = ctx.domain;
  return d !== undefined && d.length * DOMAIN_SCAN_RATIO < ctx.index.slotCount ? d : undefined;
}

const K1 = 1.2;
const B = 0.75;

export function queryShardError(ctx: EvalContext, reason: string): SearchError {
  return new SearchError(400, "query_shard_exception", reason, { extra: { index: ctx.index.name, index_uuid: ctx.index.uuid } });
}

function empty(ctx: EvalContext): Bitset {
  return newBitset(ctx.index.slotCount);
}

/** The searchable documents, as a bitset sized like every other one of this query. */
function visibleCopy(ctx: EvalContext): Bitset {
  const bits = empty(ctx);
  const vis = ctx.index.visible;
  bits.set(vis.length > bits.length ? vis.subarray(0, bits.length) : vis);
  return bits;
}

function constant(bits: Bitset, score: number): Matches {
  return { bits, scores: null, constScore: score };
}

/** Evaluates a query; the result is restricted to the searchable (refreshed) documents. */
export function evaluateQuery(q: Query, ctx: EvalContext, scoring: boolean): Matches {
  const m = evaluate(q, ctx, scoring);
  andInPlace(m.bits, ctx.index.visible);
  return m;
}

export function evaluate(q: Query, ctx: EvalContext, scoring: boolean): Matches {
  switch (q.t) {
    case "match_all":
      return constant(visibleCopy(ctx), q.boost);
    case "match_none":
      return constant(empty(ctx), 0);
    case "bool":
      return evalBool(q, ctx, scoring);
    case "constant_score":
      return constant(evaluate(q.filter, ctx, false).bits, q.boost);
    case "term":
      return termQuery(ctx, q.field, q.value, q.boost, q.caseInsensitive, scoring);
    case "terms": {
      const bits = empty(ctx);
      for (const v of q.values) orInPlace(bits, termQuery(ctx, q.field, v, 1, false, false).bits);
      return constant(bits, q.boost);
    }
    case "range":
      return constant(rangeQuery(ctx, q), q.boost);
    case "exists":
      return constant(existsQuery(ctx, q.field), q.boost);
    case "ids":
      return constant(idsQuery(ctx, q.values), q.boost);
    case "prefix":
      return constant(prefixQuery(ctx, q.field, q.value, q.caseInsensitive), q.boost);
    case "match":
      return matchQuery(ctx, q.field, q.query, { operator: q.operator, msm: q.msm, boost: q.boost, analyzer: q.analyzer, zeroTerms: q.zeroTerms }, scoring, false);
    case "match_phrase":
      return phraseQuery(ctx, q.field, q.query, q.boost, q.analyzer, scoring, false);
    case "multi_match":
      return multiMatch(ctx, q, scoring);
  }
}

function evalBool(q: Query & { t: "bool" }, ctx: EvalContext, scoring: boolean): Matches {
  // Without scores (or with only filter clauses, whose score is 0 anyway).
  const unscored = !scoring || (q.must.length === 0 && q.should.length === 0);
  if (unscored && q.must.length + q.filter.length > 0) return narrowingBool(q, ctx);
  const must = q.must.map((c) => evaluate(c, ctx, scoring));
  const filter = q.filter.map((c) => evaluate(c, ctx, false));
  const should = q.should.map((c) => evaluate(c, ctx, scoring));
  const mustNot = q.mustNot.map((c) => evaluate(c, ctx, false));
  const required = [...must, ...filter];
  let bits: Bitset;
  if (required.length === 0) bits = visibleCopy(ctx);
  else {
    bits = required[0]!.bits.slice();
    for (let i = 1; i < required.length; i++) andInPlace(bits, required[i]!.bits);
  }
  const msm = q.msm !== null ? resolveMsm(q.msm, should.length) : required.length === 0 && should.length > 0 ? 1 : 0;
  if (should.length > 0 && msm > 0) {
    if (msm === 1) {
      const any = should[0]!.bits.slice();
      for (let i = 1; i < should.length; i++) orInPlace(any, should[i]!.bits);
      andInPlace(bits, any);
    } else {
      const slots = toSlots(bits);
      bits = newBitset(ctx.index.slotCount);
      for (const s of slots) {
        let n = 0;
        for (const c of should) if (getBit(c.bits, s)) n++;
        if (n >= msm) setBit(bits, s);
      }
    }
  } else if (q.msm !== null && msm === 0 && should.length > 0 && q.msm !== 0 && required.length === 0) {
    // e.g. "0%" with only should clauses: everything matches
  }
  for (const n of mustNot) andNotInPlace(bits, n.bits);
  if (!scoring) return constant(bits, 0);
  const scored = [...must, ...should];
  if (scored.length === 0) return constant(bits, 0);
  if (should.length === 0 && must.every((m) => m.scores === null)) {
    return constant(bits, q.boost * must.reduce((a, m) => a + m.constScore, 0));
  }
  const scores = new Float64Array(ctx.index.slotCount);
  const slots = toSlots(bits);
  for (const m of must) addScores(scores, slots, m, false);
  for (const m of should) addScores(scores, slots, m, true);
  if (q.boost !== 1) for (const s of slots) scores[s]! *= q.boost;
  return { bits, scores, constScore: 0 };
}

/**
 * A bool without scores, its required clauses first: each later clause (and the
 * should / must_not clauses) is evaluated only on the documents still matching,
 * so a range on time followed by a term on symbol scans the index once, not per clause.
 */
function narrowingBool(q: Query & { t: "bool" }, ctx: EvalContext): Matches {
  // Ranges first: on time or price they are usually the narrowest.
  const required = [...q.must, ...q.filter].sort((a, b) => (a.t === "range" ? 0 : 1) - (b.t === "range" ? 0 : 1));
  const bits = evaluate(required[0]!, ctx, false).bits.slice();
  const within = (): EvalContext => ({ ...ctx, domain: toSlots(bits) });
  for (let i = 1; i < required.length; i++) andInPlace(bits, evaluate(required[i]!, within(), false).bits);
  if (q.should.length > 0) {
    const msm = q.msm !== null ? resolveMsm(q.msm, q.should.length) : 0;
    if (msm > 0) {
      const c = within();
      const should = q.should.map((x) => evaluate(x, c, false).bits);
      if (msm === 1) {
        const any = should[0]!.slice();
        for (let i = 1; i < should.length; i++) orInPlace(any, should[i]!);
        andInPlace(bits, any);
      } else {
        for (const s of c.domain!) {
          let n = 0;
          for (const b of should) if (getBit(b, s)) n++;
          if (n < msm) bits[s >>> 5]! &= ~(1 << (s & 31));
        }
      }
    }
  }
  if (q.mustNot.length > 0) {
    const c = within();
    for (const n of q.mustNot) andNotInPlace(bits, evaluate(n, c, false).bits);
  }
  return constant(bits, 0);
}

function addScores(out: Float64Array, slots: Int32Array, m: Matches, onlyIfMatched: boolean): void {
  for (let i = 0; i < slots.length; i++) {
    const s = slots[i]!;
    if (onlyIfMatched && !getBit(m.bits, s)) continue;
    out[s]! += m.scores ? m.scores[s]! : m.constScore;
  }
}

// ---------- field helpers ----------

export function numericValue(ctx: EvalContext, field: FieldMapper, v: Scalar, roundUp = false, format: string | null = null, zone: string | null = null): number | null {
  if (field.type === "date") {
    const fmt = format ? compileDateFormat(format) : field.dateFormat!;
    try {
      return parseDateMath(typeof v === "boolean" ? String(v) : v, fmt, { now: ctx.now, roundUp, zone: zone ? parseTimeZone(zone) : UTC });
    } catch (err) {
      if (err instanceof SearchError && err.type === "illegal_argument_exception") throw err;
      throw queryShardError(ctx, `failed to create query: failed to parse date field [${String(v)}] with format [${fmt.spec}]: [${(err as Error).message}]`);
    }
  }
  if (field.type === "boolean") {
    if (v === true || v === "true") return 1;
    if (v === false || v === "false" || v === "") return 0;
    throw queryShardError(ctx, `failed to create query: Can't parse boolean value [${String(v)}], expected [true] or [false]`);
  }
  const n = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : NaN;
  if (!Number.isFinite(n)) throw queryShardError(ctx, `failed to create query: For input string: "${String(v)}"`);
  if (field.type === "float") return Math.fround(n);
  return n;
}

const INTEGER_TYPES = new Set(["long", "integer", "short", "byte"]);

function scanNumeric(col: NumericColumn, n: number, lo: number, loInc: boolean, hi: number, hiInc: boolean, bits: Bitset, domain?: Int32Array): void {
  const values = col.values;
  const state = col.state;
  const lim = Math.min(n, values.length);
  const test = (s: number): void => {
    const st = state[s]!;
    if (st === 0) return;
    if (st === 1) {
      const v = values[s]!;
      if ((loInc ? v >= lo : v > lo) && (hiInc ? v <= hi : v < hi)) bits[s >>> 5]! |= 1 << (s & 31);
      return;
    }
    for (const v of col.multi.get(s)!) {
      if ((loInc ? v >= lo : v > lo) && (hiInc ? v <= hi : v < hi)) {
        bits[s >>> 5]! |= 1 << (s & 31);
        return;
      }
    }
  };
  if (domain) {
    for (let i = 0; i < domain.length; i++) if (domain[i]! < lim) test(domain[i]!);
    return;
  }
  // Only the blocks whose [min, max] meets the range (see NumericColumn).
  const { blockMin, blockMax } = col;
  const size = 1 << NUMERIC_BLOCK_BITS;
  for (let b = 0, from = 0; from < lim; b++, from += size) {
    const max = blockMax[b]!;
    const min = blockMin[b]!;
    if (!(loInc ? max >= lo : max > lo) || !(hiInc ? min <= hi : min < hi)) continue;
    const to = Math.min(lim, from + size);
    for (let s = from; s < to; s++) if (state[s] !== 0) test(s);
  }
}

function scanKeywordOrds(col: KeywordColumn, n: number, wanted: Uint8Array, bits: Bitset, domain?: Int32Array): void {
  const ords = col.ords;
  const lim = Math.min(n, ords.length);
  const test = (s: number): void => {
    const o = ords[s]!;
    if (o >= 0) {
      if (wanted[o] === 1) bits[s >>> 5]! |= 1 << (s & 31);
    } else if (o === -2) {
      for (const x of col.multi.get(s)!) {
        if (wanted[x] === 1) {
          bits[s >>> 5]! |= 1 << (s & 31);
          return;
        }
      }
    }
  };
  if (domain) {
    for (let i = 0; i < domain.length; i++) if (domain[i]! < lim) test(domain[i]!);
  } else {
    for (let s = 0; s < lim; s++) if (ords[s] !== -1) test(s);
  }
}

function keywordMatching(ctx: EvalContext, col: KeywordColumn, pred: (term: string) => boolean): Bitset {
  const wanted = new Uint8Array(col.termCount);
  let any = false;
  for (let i = 0; i < col.termCount; i++) {
    if (pred(col.term(i))) {
      wanted[i] = 1;
      any = true;
    }
  }
  const bits = empty(ctx);
  if (any) scanKeywordOrds(col, ctx.index.slotCount, wanted, bits, useDomain(ctx));
  return bits;
}

function textStats(ctx: EvalContext, field: FieldMapper, col: TextColumn): { docCount: number; avgdl: number } {
  const key = "stats:" + field.path;
  const hit = ctx.index.cache.get(key) as { docCount: number; avgdl: number } | undefined;
  if (hit) return hit;
  let docCount = 0;
  let sum = 0;
  const vis = ctx.index.visible;
  const n = Math.min(ctx.index.slotCount, col.present.length);
  for (let s = 0; s < n; s++) {
    if (col.present[s] === 1 && ((vis[s >>> 5] ?? 0) & (1 << (s & 31))) !== 0) {
      docCount++;
      sum += col.lengths[s]!;
    }
  }
  const stats = { docCount, avgdl: docCount > 0 ? sum / docCount : 1 };
  ctx.index.cache.set(key, stats);
  return stats;
}

function idf(docCount: number, df: number): number {
  return Math.log(1 + (docCount - df + 0.5) / (df + 0.5));
}

function keywordDocCount(ctx: EvalContext, col: KeywordColumn): number {
  let n = 0;
  const vis = ctx.index.visible;
  const lim = Math.min(ctx.index.slotCount, col.ords.length);
  for (let s = 0; s < lim; s++) if (col.ords[s] !== -1 && ((vis[s >>> 5] ?? 0) & (1 << (s & 31))) !== 0) n++;
  return n;
}

function termQuery(ctx: EvalContext, path: string, value: Scalar, boost: number, caseInsensitive: boolean, scoring: boolean): Matches {
  if (path === "_id") return constant(idsQuery(ctx, [String(value)]), boost);
  if (path === "_index") return constant(globMatch(String(value), ctx.index.name) ? visibleCopy(ctx) : empty(ctx), boost);
  const field = ctx.index.mapping.field(path);
  if (!field) return constant(empty(ctx), 0);
  checkIndexed(ctx, field);
  const col = ctx.index.column(field);
  if (field.storage === "numeric") {
    const bounds = numericTermBounds(ctx, field, value);
    const bits = empty(ctx);
    if (col && bounds) scanNumeric(col as NumericColumn, ctx.index.slotCount, bounds.lo, true, bounds.hi, true, bits, useDomain(ctx));
    return constant(bits, boost);
  }
  const term = String(value);
  if (field.storage === "keyword") {
    if (!col) return constant(empty(ctx), boost);
    const kc = col as KeywordColumn;
    let bits: Bitset;
    if (caseInsensitive) {
      const lower = term.toLowerCase();
      bits = keywordMatching(ctx, kc, (t) => t.toLowerCase() === lower);
    } else {
      const ord = kc.find(term);
      bits = empty(ctx);
      if (ord >= 0) {
        const wanted = new Uint8Array(kc.termCount);
        wanted[ord] = 1;
        scanKeywordOrds(kc, ctx.index.slotCount, wanted, bits, useDomain(ctx));
      }
    }
    if (!scoring) return constant(bits, boost);
    andInPlace(bits, ctx.index.visible);
    const df = cardinality(bits);
    return constant(bits, (boost * idf(keywordDocCount(ctx, kc), df)) / (1 + K1));
  }
  // text field: the exact (unanalysed) term
  return textTerms(ctx, field, [caseInsensitive ? term.toLowerCase() : term], { operator: "or", msm: null, boost }, scoring);
}

export function checkIndexed(ctx: EvalContext, field: FieldMapper): void {
  if (!field.indexed && !field.docValues) throw queryShardError(ctx, `failed to create query: Cannot search on field [${field.path}] since it is not indexed.`);
}

/**
 * The values a term query on a numeric or date field matches, both bounds included (a date
 * rounds to its format's precision); null when none can (2.5 on a long). Throws what OpenSearch refuses.
 */
export function numericTermBounds(ctx: EvalContext, field: FieldMapper, value: Scalar): { lo: number; hi: number } | null {
  if (field.type === "date") {
    const lo = numericValue(ctx, field, value, false);
    const hi = numericValue(ctx, field, value, true);
    return lo !== null && hi !== null ? { lo, hi } : null;
  }
  const v = numericValue(ctx, field, value);
  if (v === null || (INTEGER_TYPES.has(field.type) && !Number.isInteger(v))) return null;
  const target = field.type === "scaled_float" ? Math.round(v * field.scalingFactor) / field.scalingFactor : v;
  return { lo: target, hi: target };
}

/** The numeric bounds of a range query on a numeric or date field (throws what OpenSearch refuses). */
export function numericRangeBounds(ctx: EvalContext, field: FieldMapper, q: Query & { t: "range" }): { lo: number; loInc: boolean; hi: number; hiInc: boolean } {
  if (field.type !== "date" && (q.format !== null || q.timeZone !== null)) {
    throw queryShardError(ctx, `failed to create query: [range] query on field [${field.path}] of type [${field.type}] does not support [${q.format !== null ? "format" : "time_zone"}]`);
  }
  let lo = -Infinity;
  let loInc = true;
  let hi = Infinity;
  let hiInc = true;
  const conv = (v: Scalar, roundUp: boolean): number => numericValue(ctx, field, v, roundUp, q.format, q.timeZone)!;
  if (q.gte !== undefined) lo = conv(q.gte, false);
  if (q.gt !== undefined) {
    const v = conv(q.gt, true);
    if (v > lo || (v === lo && loInc)) {
      lo = v;
      loInc = false;
    }
  }
  if (q.lte !== undefined) hi = conv(q.lte, true);
  if (q.lt !== undefined) {
    const v = conv(q.lt, false);
    if (v < hi || (v === hi && hiInc)) {
      hi = v;
      hiInc = false;
    }
  }
  return { lo, loInc, hi, hiInc };
}

function rangeQuery(ctx: EvalContext, q: Query & { t: "range" }): Bitset {
  const field = ctx.index.mapping.field(q.field);
  const bits = empty(ctx);
  if (!field) return bits;
  checkIndexed(ctx, field);
  const col = ctx.index.column(field);
  if (field.storage === "text") throw queryShardError(ctx, `range queries on text field [${field.path}] are not supported by ${LOCAL}; use a keyword field`);
  if (field.storage === "keyword") {
    if (!col) return bits;
    if (q.format !== null || q.timeZone !== null) throw queryShardError(ctx, `[range] query on keyword field [${field.path}] does not support [format] or [time_zone]`);
    const cmp = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));
    return keywordMatching(ctx, col as KeywordColumn, (t) => {
      if (q.gt !== undefined && !(cmp(t, String(q.gt)) > 0)) return false;
      if (q.gte !== undefined && !(cmp(t, String(q.gte)) >= 0)) return false;
      if (q.lt !== undefined && !(cmp(t, String(q.lt)) < 0)) return false;
      if (q.lte !== undefined && !(cmp(t, String(q.lte)) <= 0)) return false;
      return true;
    });
  }
  const { lo, loInc, hi, hiInc } = numericRangeBounds(ctx, field, q);
  if (col) scanNumeric(col as NumericColumn, ctx.index.slotCount, lo, loInc, hi, hiInc, bits, useDomain(ctx));
  return bits;
}

function existsQuery(ctx: EvalContext, path: string): Bitset {
  const bits = empty(ctx);
  const fields: FieldMapper[] = [];
  const direct = ctx.index.mapping.field(path);
  if (direct) fields.push(direct);
  else if (path.includes("*")) fields.push(...ctx.index.mapping.fieldPaths().filter((p) => globMatch(path, p)).map((p) => ctx.index.mapping.field(p)!));
  else if (ctx.index.mapping.isObjectPath(path)) fields.push(...ctx.index.mapping.fieldsUnder(path));
  const n = ctx.index.slotCount;
  for (const f of fields) {
    const col = ctx.index.column(f);
    if (!col) continue;
    if (col.kind === "numeric") {
      for (let s = 0; s < n; s++) if (col.state[s] !== 0) setBit(bits, s);
    } else if (col.kind === "keyword") {
      for (let s = 0; s < n; s++) if (col.ords[s] !== -1) setBit(bits, s);
    } else {
      for (let s = 0; s < n; s++) if (col.present[s] === 1) setBit(bits, s);
    }
  }
  return bits;
}

function idsQuery(ctx: EvalContext, ids: string[]): Bitset {
  const bits = empty(ctx);
  const index = ctx.index;
  let needScan = false;
  for (const id of ids) {
    const slot = index.slotOf(id);
    if (slot !== undefined && getBit(index.visible, slot)) setBit(bits, slot);
    // Only unrefreshed changes can leave an older revision visible under this id.
    else if (index.hasUnrefreshedChanges) needScan = true;
  }
  if (needScan) {
    // The refreshed view may still hold an older revision (or a since-deleted document).
    const wanted = new Set(ids.map((id) => index.idTable.find(id)).filter((tid) => tid >= 0));
    for (let s = 0; s < index.slotCount; s++) if (getBit(index.visible, s) && wanted.has(index.idOfSlot[s]!)) setBit(bits, s);
  }
  return bits;
}

function prefixQuery(ctx: EvalContext, path: string, prefix: string, ci: boolean): Bitset {
  if (path === "_id") {
    const bits = empty(ctx);
    for (let s = 0; s < ctx.index.slotCount; s++) if (ctx.index.idAt(s).startsWith(prefix)) setBit(bits, s);
    return bits;
  }
  const field = ctx.index.mapping.field(path);
  if (!field) return empty(ctx);
  const col = ctx.index.column(field);
  const p = ci ? prefix.toLowerCase() : prefix;
  const test = (t: string): boolean => (ci ? t.toLowerCase() : t).startsWith(p);
  if (!col) return empty(ctx);
  if (col.kind === "keyword") return keywordMatching(ctx, col, test);
  if (col.kind === "text") {
    const bits = empty(ctx);
    for (const [term, posting] of col.postings) {
      if (!test(term)) continue;
      for (let i = 0; i < posting.n; i++) setBit(bits, posting.docs[i]!);
    }
    return bits;
  }
  throw queryShardError(ctx, `failed to create query: Can only use prefix queries on keyword and text fields - not on [${field.path}] which is of type [${field.type}]`);
}

// ---------- full text ----------

interface MatchOpts {
  operator: "or" | "and";
  msm: string | number | null;
  boost: number;
  analyzer?: string | null;
  zeroTerms?: "none" | "all";
}

function analyzerFor(ctx: EvalContext, field: FieldMapper, override: string | null | undefined): (text: string) => { term: string; position: number }[] {
  if (override) {
    try {
      return getAnalyzer(override);
    } catch (err) {
      throw queryShardError(ctx, (err as Error).message);
    }
  }
  return getAnalyzer(field.searchAnalyzer);
}

function matchQuery(ctx: EvalContext, path: string, query: Scalar, opts: MatchOpts, scoring: boolean, lenient: boolean): Matches {
  const field = ctx.index.mapping.field(path);
  if (!field) return constant(empty(ctx), 0);
  if (field.storage !== "text") {
    try {
      return termQuery(ctx, path, query, opts.boost, false, scoring);
    } catch (err) {
      if (lenient) return constant(empty(ctx), 0);
      throw err;
    }
  }
  const tokens = analyzerFor(ctx, field, opts.analyzer)(String(query));
  if (tokens.length === 0) {
    return opts.zeroTerms === "all" ? constant(visibleCopy(ctx), opts.boost) : constant(empty(ctx), 0);
  }
  return textTerms(ctx, field, tokens.map((t) => t.term), opts, scoring);
}

/** Disjunction (or conjunction) of text terms with BM25 scores. */
function textTerms(ctx: EvalContext, field: FieldMapper, terms: string[], opts: MatchOpts, scoring: boolean): Matches {
  const col = ctx.index.column(field) as TextColumn | undefined;
  const n = ctx.index.slotCount;
  const bits = empty(ctx);
  if (!col) return constant(bits, 0);
  const required = opts.operator === "and" ? terms.length : Math.max(1, resolveMsm(opts.msm, terms.length));
  const counts = terms.length > 1 ? new Uint16Array(n) : null;
  const scores = scoring ? new Float64Array(n) : null;
  const stats = scoring ? textStats(ctx, field, col) : null;
  const vis = ctx.index.visible;
  for (const term of terms) {
    const p = col.postings.get(term);
    if (!p) continue;
    let w = 0;
    if (stats) {
      let df = 0;
      for (let i = 0; i < p.n; i++) {
        const s = p.docs[i]!;
        if (((vis[s >>> 5] ?? 0) & (1 << (s & 31))) !== 0) df++;
      }
      w = opts.boost * idf(stats.docCount, df);
    }
    for (let i = 0; i < p.n; i++) {
      const s = p.docs[i]!;
      if (((vis[s >>> 5] ?? 0) & (1 << (s & 31))) === 0) continue;
      if (counts) counts[s]!++;
      else setBit(bits, s);
      if (scores && stats) {
        const f = p.freqs[i]!;
        scores[s]! += (w * f) / (f + K1 * (1 - B + (B * col.lengths[s]!) / stats.avgdl));
      }
    }
  }
  if (counts) for (let s = 0; s < n; s++) if (counts[s]! >= required) setBit(bits, s);
  return { bits, scores, constScore: 0 };
}

function fieldValuesFromSource(source: unknown, path: string): string[] {
  const out: string[] = [];
  const parts = path.split(".");
  const walk = (v: unknown, i: number): void => {
    if (v === null || v === undefined) return;
    if (Array.isArray(v)) {
      for (const x of v) walk(x, i);
      return;
    }
    if (i === parts.length) {
      if (typeof v !== "object") out.push(String(v));
      return;
    }
    if (typeof v !== "object") return;
    const o = v as Record<string, unknown>;
    // try the longest dotted key first ("a.b" stored flat), then nested objects
    for (let j = parts.length; j > i; j--) {
      const key = parts.slice(i, j).join(".");
      if (key in o) walk(o[key], j);
    }
  };
  walk(source, 0);
  return out;
}

function phraseQuery(ctx: EvalContext, path: string, text: string, boost: number, analyzer: string | null, scoring: boolean, lenient: boolean): Matches {
  const field = ctx.index.mapping.field(path);
  if (!field) return constant(empty(ctx), 0);
  if (field.storage !== "text") return matchQuery(ctx, path, text, { operator: "or", msm: null, boost }, scoring, lenient);
  const analyze = analyzerFor(ctx, field, analyzer);
  const qTokens = analyze(text);
  if (qTokens.length === 0) return constant(empty(ctx), 0);
  if (qTokens.length === 1) return textTerms(ctx, field, [qTokens[0]!.term], { operator: "or", msm: null, boost }, scoring);
  const all = textTerms(ctx, field, qTokens.map((t) => t.term), { operator: "and", msm: null, boost }, scoring);
  const bits = empty(ctx);
  const indexAnalyzer = getAnalyzer(field.analyzer);
  const sourcePath = field.parent ? field.parent.path : field.path;
  const first = qTokens[0]!.position;
  for (const s of toSlots(all.bits)) {
    const values = fieldValuesFromSource(JSON.parse(ctx.index.sourceString(s)), sourcePath);
    let found = false;
    for (const v of values) {
      const toks = indexAnalyzer(v);
      const byPos = new Map(toks.map((t) => [t.position, t.term]));
      for (const t of toks) {
        if (t.term !== qTokens[0]!.term) continue;
        const start = t.position - first;
        if (qTokens.every((q) => byPos.get(start + q.position) === q.term)) {
          found = true;
          break;
        }
      }
      if (found) break;
    }
    if (found) setBit(bits, s);
  }
  return { bits, scores: all.scores, constScore: 0 };
}

function multiMatch(ctx: EvalContext, q: Query & { t: "multi_match" }, scoring: boolean): Matches {
  const mapping = ctx.index.mapping;
  const specs = q.fields ?? [{ field: "*", boost: 1 }];
  const targets: { field: string; boost: number; lenient: boolean }[] = [];
  for (const spec of specs) {
    if (spec.field.includes("*")) {
      for (const p of mapping.fieldPaths()) {
        const f = mapping.field(p)!;
        if (globMatch(spec.field, p) && (f.storage === "text" || f.storage === "keyword")) targets.push({ field: p, boost: spec.boost, lenient: true });
      }
    } else targets.push({ field: spec.field, boost: spec.boost, lenient: false });
  }
  const results = targets.map((t) =>
    q.type === "phrase"
      ? phraseQuery(ctx, t.field, String(q.query), q.boost * t.boost, q.analyzer, scoring, t.lenient)
      : matchQuery(ctx, t.field, q.query, { operator: q.operator, msm: q.msm, boost: q.boost * t.boost, analyzer: q.analyzer }, scoring, t.lenient),
  );
  const bits = empty(ctx);
  for (const r of results) orInPlace(bits, r.bits);
  if (!scoring) return constant(bits, 0);
  const scores = new Float64Array(ctx.index.slotCount);
  const slots = toSlots(bits);
  for (const s of slots) {
    let max = 0;
    let sum = 0;
    for (const r of results) {
      if (!getBit(r.bits, s)) continue;
      const v = r.scores ? r.scores[s]! : r.constScore;
      sum += v;
      if (v > max) max = v;
    }
    scores[s] = q.type === "most_fields" ? sum : max + q.tieBreaker * (sum - max);
  }
  return { bits, scores, constScore: 0 };
}
