// Per-document predicates for an aggregation's filter queries. A filter is asked only
// about the documents the search matched, so its cost should follow them; evaluated as
// bitsets, each filter allocated and swept bitsets as large as the whole index. At 12M
// trades a candle search's 64 filter aggregations cost the search thread more than the
// writes did, and grew with the index. Queries compiled here: bool, term, terms, range,
// exists, match_all, match_none, constant_score on keyword, numeric and date fields;
// anything else (and anything that would raise an error) is evaluated as before.
import { getBit } from "../index/bitset.ts";
import type { KeywordColumn } from "../index/KeywordColumn.ts";
import type { NumericColumn } from "../index/NumericColumn.ts";
import type { FieldMapper } from "../mapping/types.ts";
import { checkIndexed, evaluateQuery, numericRangeBounds, numericTermBounds, type EvalContext } from "./evaluateQuery.ts";
import { resolveMsm, type Query, type Scalar } from "./parseQuery.ts";

export type SlotMatcher = (slot: number) => boolean;

const NONE: SlotMatcher = () => false;
const ALL: SlotMatcher = () => true;

/** Whether a searchable document matches the query: compiled when it can be, else from the query's bitset. */
export function slotMatcher(q: Query, ctx: EvalContext): SlotMatcher {
  const index = ctx.index;
  let compiled: SlotMatcher | null = null;
  try {
    compiled = compile(q, ctx);
  } catch {
    compiled = null; // evaluateQuery raises the error OpenSearch would
  }
  if (compiled !== null) {
    const m = compiled;
    return (slot) => getBit(index.visible, slot) && m(slot);
  }
  const bits = evaluateQuery(q, ctx, false).bits;
  return (slot) => getBit(bits, slot);
}

function compile(q: Query, ctx: EvalContext): SlotMatcher | null {
  switch (q.t) {
    case "match_all":
      return ALL;
    case "match_none":
      return NONE;
    case "constant_score":
      return compile(q.filter, ctx);
    case "bool":
      return compileBool(q, ctx);
    case "term":
      return compileTerm(ctx, q.field, q.value, q.caseInsensitive);
    case "terms": {
      const parts: SlotMatcher[] = [];
      for (const value of q.values) {
        const m = compileTerm(ctx, q.field, value, false);
        if (m === null) return null;
        if (m !== NONE) parts.push(m);
      }
      return any(parts);
    }
    case "range":
      return compileRange(ctx, q);
    case "exists": {
      const field = ctx.index.mapping.field(q.field);
      if (!field || field.storage === "text") return null;
      const col = ctx.index.column(field);
      if (!col) return NONE;
      if (col.kind === "numeric") return (s) => ((col as NumericColumn).state[s] ?? 0) !== 0;
      return (s) => ((col as KeywordColumn).ords[s] ?? -1) !== -1;
    }
    default:
      return null;
  }
}

function any(parts: SlotMatcher[]): SlotMatcher {
  if (parts.length === 0) return NONE;
  if (parts.length === 1) return parts[0]!;
  return (s) => {
    for (let i = 0; i < parts.length; i++) if (parts[i]!(s)) return true;
    return false;
  };
}

function compileBool(q: Query & { t: "bool" }, ctx: EvalContext): SlotMatcher | null {
  const compileAll = (qs: Query[]): SlotMatcher[] | null => {
    const out: SlotMatcher[] = [];
    for (const x of qs) {
      const m = compile(x, ctx);
      if (m === null) return null;
      out.push(m);
    }
    return out;
  };
  const required = compileAll([...q.must, ...q.filter]);
  const should = compileAll(q.should);
  const mustNot = compileAll(q.mustNot);
  if (required === null || should === null || mustNot === null) return null;
  // As evalBool: without minimum_should_match, should clauses are optional unless nothing is required.
  const msm = q.msm !== null ? resolveMsm(q.msm, should.length) : required.length === 0 && should.length > 0 ? 1 : 0;
  return (s) => {
    for (let i = 0; i < required.length; i++) if (!required[i]!(s)) return false;
    for (let i = 0; i < mustNot.length; i++) if (mustNot[i]!(s)) return false;
    if (msm > 0) {
      let n = 0;
      for (let i = 0; i < should.length && n < msm; i++) if (should[i]!(s)) n++;
      if (n < msm) return false;
    }
    return true;
  };
}

function indexedField(ctx: EvalContext, path: string): FieldMapper | null | undefined {
  if (path === "_id" || path === "_index") return undefined;
  const field = ctx.index.mapping.field(path);
  if (!field) return null;
  checkIndexed(ctx, field);
  return field;
}

function numericIn(col: NumericColumn, lo: number, loInc: boolean, hi: number, hiInc: boolean): SlotMatcher {
  const inRange = (v: number): boolean => (loInc ? v >= lo : v > lo) && (hiInc ? v <= hi : v < hi);
  // Columns are re-read on each call: they are replaced when the index grows.
  return (s) => {
    const st = col.state[s];
    if (!st) return false;
    if (st === 1) return inRange(col.values[s]!);
    for (const v of col.multi.get(s)!) if (inRange(v)) return true;
    return false;
  };
}

function compileTerm(ctx: EvalContext, path: string, value: Scalar, caseInsensitive: boolean): SlotMatcher | null {
  const field = indexedField(ctx, path);
  if (field === undefined) return null;
  if (field === null) return NONE;
  const col = ctx.index.column(field);
  if (field.storage === "numeric") {
    const bounds = numericTermBounds(ctx, field, value);
    return col && bounds ? numericIn(col as NumericColumn, bounds.lo, true, bounds.hi, true) : NONE;
  }
  if (field.storage !== "keyword" || caseInsensitive) return null;
  if (!col) return NONE;
  const kc = col as KeywordColumn;
  const ord = kc.find(String(value));
  if (ord < 0) return NONE;
  return (s) => {
    const o = kc.ords[s];
    if (o === ord) return true;
    return o === -2 && kc.multi.get(s)!.includes(ord);
  };
}

function compileRange(ctx: EvalContext, q: Query & { t: "range" }): SlotMatcher | null {
  const field = indexedField(ctx, q.field);
  if (field === undefined) return null;
  if (field === null) return NONE;
  if (field.storage !== "numeric") return null;
  const { lo, loInc, hi, hiInc } = numericRangeBounds(ctx, field, q);
  const col = ctx.index.column(field);
  return col ? numericIn(col as NumericColumn, lo, loInc, hi, hiInc) : NONE;
}
