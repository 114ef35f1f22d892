// Sort specifications, per-index sort keys (numbers, keyword ranks, scores,
// slots), top-k selection and search_after.
import type { KeywordColumn } from "../index/KeywordColumn.ts";
import type { NumericColumn } from "../index/NumericColumn.ts";
import { compileDateFormat } from "../time/dateFormat.ts";
import { utf8Compare } from "../text/utf8Compare.ts";
import { illegalArgument, LOCAL, parsingError, SearchError } from "../errors.ts";
import type { IndexStore } from "../index/IndexStore.ts";
import type { FieldMapper } from "../mapping/types.ts";

export interface SortSpec {
  kind: "field" | "score" | "doc" | "id";
  field: string;
  order: "asc" | "desc";
  missing: "_last" | "_first" | string | number | boolean;
  mode: "min" | "max" | null;
  unmappedType: string | null;
  format: string | null;
}

const LONG_MAX = 9223372036854775807;
const LONG_MIN = -9223372036854775808;

function spec(field: string, opts: Record<string, unknown> = {}): SortSpec {
  const kind = field === "_score" ? "score" : field === "_doc" ? "doc" : field === "_id" ? "id" : "field";
  const order = opts.order === undefined ? (kind === "score" ? "desc" : "asc") : String(opts.order).toLowerCase();
  if (order !== "asc" && order !== "desc") throw parsingError(`[sort] unknown order [${String(opts.order)}], must be one of [asc, desc]`);
  for (const k of Object.keys(opts)) {
    if (!["order", "missing", "mode", "unmapped_type", "format", "numeric_type"].includes(k)) {
      if (k === "nested" || k === "script" || k === "_geo_distance") throw parsingError(`[sort] option [${k}] is not supported by ${LOCAL}`);
      throw parsingError(`[field_sort] unknown field [${k}]`);
    }
  }
  const mode = opts.mode === undefined ? null : String(opts.mode);
  if (mode !== null && mode !== "min" && mode !== "max") throw parsingError(`[sort] mode [${mode}] is not supported by ${LOCAL} (min and max are)`);
  const missing = opts.missing === undefined ? "_last" : (opts.missing as SortSpec["missing"]);
  return {
    kind,
    field,
    order,
    missing,
    mode: mode as SortSpec["mode"],
    unmappedType: opts.unmapped_type === undefined ? null : String(opts.unmapped_type),
    format: opts.format === undefined ? null : String(opts.format),
  };
}

export function parseSort(json: unknown): SortSpec[] {
  const list = Array.isArray(json) ? json : [json];
  return list.map((item) => {
    if (typeof item === "string") return spec(item);
    if (item !== null && typeof item === "object" && !Array.isArray(item)) {
      const entries = Object.entries(item as Record<string, unknown>);
      if (entries.length !== 1) throw parsingError(`[sort] malformed sort clause, expected exactly one field`);
      const [field, v] = entries[0]!;
      if (field === "_script" || field === "_geo_distance") throw parsingError(`[sort] [${field}] is not supported by ${LOCAL}`);
      if (typeof v === "string") return spec(field, { order: v });
      if (v !== null && typeof v === "object" && !Array.isArray(v)) return spec(field, v as Record<string, unknown>);
      throw parsingError(`[sort] malformed sort clause for [${field}]`);
    }
    throw parsingError(`[sort] malformed sort clause`);
  });
}

/** "field:desc,other" as given in the URL. */
export function parseSortParam(s: string): SortSpec[] {
  return s
    .split(",")
    .filter((x) => x !== "")
    .map((part) => {
      const at = part.lastIndexOf(":");
      return at < 0 ? spec(part) : spec(part.slice(0, at), { order: part.slice(at + 1) });
    });
}

/** A per-index sort key: numbers in ascending natural order (keywords by byte-order rank). */
export interface SortKey {
  spec: SortSpec;
  dir: 1 | -1;
  key(slot: number): number;
  /** The value shown in hit.sort and used to compare documents across indices. */
  value(slot: number): unknown;
  /** Converts a search_after value into this index's key space. */
  afterKey(v: unknown): number;
  /** Two documents of this index in ascending key order (sign only), when cheaper than `key`. */
  compare?(a: number, b: number): number;
}

function missingKey(s: SortSpec): number {
  const last = s.missing === "_last";
  return (s.order === "asc") === last ? Infinity : -Infinity;
}

export function fielddataError(index: IndexStore, f: FieldMapper): SearchError {
  return new SearchError(400, "illegal_argument_exception", `Text fields are not optimised for operations that require per-document field data like aggregations and sorting, so these operations are disabled by default. Please use a keyword field instead. Alternatively, set fielddata=true on [${f.path}] in order to load field data by uninverting the inverted index. Note that this can use significant memory.`, {
    extra: { index: index.name, index_uuid: index.uuid },
  });
}

export function buildSortKeys(index: IndexStore, specs: SortSpec[], scoreOf: (slot: number) => number): SortKey[] {
  return specs.map((s): SortKey => {
    const dir = s.order === "asc" ? 1 : -1;
    if (s.kind === "score") return { spec: s, dir, key: scoreOf, value: scoreOf, afterKey: (v) => Number(v) };
    if (s.kind === "doc") return { spec: s, dir, key: (slot) => slot, value: (slot) => slot, afterKey: (v) => Number(v) };
    if (s.kind === "id") {
      // Ranks of all ids of the index, built on first use (sorting on _id is rare and costly in OpenSearch too).
      let rankOf: Int32Array | null = null;
      let sorted: string[] | null = null;
      const ranks = (): Int32Array => {
        if (rankOf !== null) return rankOf;
        const table = index.idTable;
        const order = Array.from({ length: table.size }, (_, i) => i).sort((a, b) => table.compare(a, b));
        rankOf = new Int32Array(table.size);
        order.forEach((id, r) => (rankOf![id] = r));
        return rankOf;
      };
      const sortedIds = (): string[] => {
        if (sorted !== null) return sorted;
        const r = ranks();
        sorted = new Array<string>(r.length);
        for (let id = 0; id < r.length; id++) sorted[r[id]!] = index.idTable.at(id);
        return sorted;
      };
      return {
        spec: s,
        dir,
        key: (slot) => ranks()[index.idOfSlot[slot]!]!,
        value: (slot) => index.idAt(slot),
        afterKey: (v) => fractionalRank(sortedIds(), String(v)),
      };
    }
    const field = index.mapping.field(s.field);
    if (!field) {
      if (s.unmappedType === null) {
        throw new SearchError(400, "query_shard_exception", `No mapping found for [${s.field}] in order to sort on`, { extra: { index: index.name, index_uuid: index.uuid } });
      }
      const mk = missingKey(s);
      return { spec: s, dir, key: () => mk, value: () => (s.unmappedType === "keyword" || s.unmappedType === "text" ? null : mk > 0 ? LONG_MAX : LONG_MIN), afterKey: () => mk };
    }
    if (field.storage === "text") throw fielddataError(index, field);
    if (!field.docValues) throw illegalArgument(`Can't load fielddata on [${field.path}] because fielddata is unsupported on fields of type [${field.type}]. Use doc values instead.`);
    const col = index.column(field);
    const useMax = s.mode === "max" || (s.mode === null && s.order === "desc");
    if (field.storage === "keyword") {
      const kc = col as KeywordColumn | undefined;
      // Ranks (and the sorted terms) cost O(terms · log terms) after every write to the
      // column: built only when a comparison needs them. Single-valued documents of one
      // index compare by their terms instead (see `compare`).
      let ranks: Int32Array | null = null;
      let sortedTerms: string[] | null = null;
      let mk: number | null = null;
      const rankTable = (): Int32Array => (ranks ??= kc ? kc.ranks() : new Int32Array(0));
      const sorted = (): string[] => (sortedTerms ??= kc ? sortTerms(kc, rankTable()) : []);
      const missingRank = (): number => (mk ??= s.missing === "_last" || s.missing === "_first" ? missingKey(s) : fractionalRank(sorted(), String(s.missing)));
      const keyOf = (slot: number): number => {
        if (!kc) return missingRank();
        const o = kc.ords[slot]!;
        if (o >= 0) return rankTable()[o]!;
        if (o === -1) return missingRank();
        const r = rankTable();
        let best = useMax ? -Infinity : Infinity;
        for (const x of kc.multi.get(slot)!) best = useMax ? Math.max(best, r[x]!) : Math.min(best, r[x]!);
        return best;
      };
      const missingValue = s.missing === "_last" || s.missing === "_first" ? null : String(s.missing);
      return {
        spec: s,
        dir,
        key: keyOf,
        value: (slot) => {
          const o = kc ? kc.ords[slot]! : -1;
          if (o >= 0) return kc!.term(o);
          if (o === -1) return missingValue;
          return sorted()[keyOf(slot)];
        },
        afterKey: (v) => (v === null || v === undefined ? missingKey(s) : fractionalRank(sorted(), String(v))),
        compare: (a, b) => {
          const oa = kc ? kc.ords[a]! : -1;
          const ob = kc ? kc.ords[b]! : -1;
          if (oa >= 0 && ob >= 0) return oa === ob ? 0 : kc!.compareOrds(oa, ob);
          const ka = keyOf(a);
          const kb = keyOf(b);
          return ka < kb ? -1 : ka > kb ? 1 : 0;
        },
      };
    }
    const nc = col as NumericColumn | undefined;
    const isDate = field.type === "date";
    const fmt = s.format !== null ? compileDateFormat(s.format) : isDate ? field.dateFormat! : null;
    const isDouble = ["double", "float", "half_float", "scaled_float"].includes(field.type);
    const parseValue = (v: unknown): number => {
      if (v === null || v === undefined) return missingKey(s);
      if (typeof v === "number") return v >= LONG_MAX ? Infinity : v <= LONG_MIN ? -Infinity : v;
      if (v === "Infinity") return Infinity;
      if (v === "-Infinity") return -Infinity;
      if (typeof v === "boolean") return v ? 1 : 0;
      if (isDate && fmt) return fmt.parse(String(v));
      const n = Number(v);
      if (Number.isNaN(n)) throw illegalArgument(`Failed to parse search_after value [${String(v)}] for field [${s.field}]`);
      return n;
    };
    const mk = s.missing === "_last" || s.missing === "_first" ? missingKey(s) : parseValue(s.missing);
    const keyOf = (slot: number): number => {
      if (!nc) return mk;
      const st = nc.state[slot]!;
      if (st === 1) return nc.values[slot]!;
      if (st === 0) return mk;
      const vals = nc.multi.get(slot)!;
      return useMax ? Math.max(...vals) : Math.min(...vals);
    };
    return {
      spec: s,
      dir,
      key: keyOf,
      value: (slot) => {
        const k = keyOf(slot);
        if (k === Infinity) return isDouble ? "Infinity" : LONG_MAX;
        if (k === -Infinity) return isDouble ? "-Infinity" : LONG_MIN;
        if (s.format !== null && fmt) return fmt.format(k);
        return k;
      },
      afterKey: parseValue,
    };
  });
}

function sortTerms(kc: KeywordColumn, ranks: Int32Array): string[] {
  const out: string[] = new Array(kc.termCount);
  for (let i = 0; i < kc.termCount; i++) out[ranks[i]!] = kc.term(i);
  return out;
}

/** Rank of a term among sorted terms; between two ranks (x.5) when absent. */
function fractionalRank(sorted: string[], term: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const c = utf8Compare(sorted[mid]!, term);
    if (c === 0) return mid;
    if (c < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo - 0.5;
}

/** Compares two documents of one index by the sort keys, then by slot (Lucene's doc id tiebreak). */
export function makeComparator(keys: SortKey[]): (a: number, b: number) => number {
  if (keys.length === 1 && !keys[0]!.compare) {
    const k = keys[0]!;
    const key = k.key;
    const dir = k.dir;
    return (a, b) => {
      const ka = key(a);
      const kb = key(b);
      if (ka < kb) return -dir;
      if (ka > kb) return dir;
      return a - b;
    };
  }
  return (a, b) => compareSlots(keys, a, b);
}

/** True when the document sorts strictly after the search_after position. */
export function makeAfterFilter(keys: SortKey[], after: unknown[]): (slot: number) => boolean {
  if (after.length !== keys.length) {
    throw illegalArgument(`search_after has ${after.length} value(s) but sort has ${keys.length}.`);
  }
  const afterKeys = keys.map((k, i) => k.afterKey(after[i]));
  return (slot) => {
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      const v = k.key(slot);
      const a = afterKeys[i]!;
      if (v === a) continue;
      return (v > a ? 1 : -1) * k.dir > 0;
    }
    return false;
  };
}

/** The k best slots (by cmp) among the candidates, best first. */
export function topK(candidates: Iterable<number>, k: number, cmp: (a: number, b: number) => number): number[] {
  if (k <= 0) return [];
  // Max-heap on cmp: the root is the worst of the kept slots.
  const heap: number[] = [];
  const up = (i: number): void => {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (cmp(heap[i]!, heap[p]!) <= 0) break;
      [heap[i], heap[p]] = [heap[p]!, heap[i]!];
      i = p;
    }
  };
  const down = (i: number): void => {
    const n = heap.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && cmp(heap[l]!, heap[m]!) > 0) m = l;
      if (r < n && cmp(heap[r]!, heap[m]!) > 0) m = r;
      if (m === i) break;
      [heap[i], heap[m]] = [heap[m]!, heap[i]!];
      i = m;
    }
  };
  for (const s of candidates) {
    if (heap.length < k) {
      heap.push(s);
      up(heap.length - 1);
    } else if (cmp(s, heap[0]!) < 0) {
      heap[0] = s;
      down(0);
    }
  }
  return heap.sort(cmp);
}

/** Compares sort values across indices (numbers, strings; null = missing per spec). */
export function compareSortValues(a: unknown[], b: unknown[], specs: SortSpec[]): number {
  for (let i = 0; i < specs.length; i++) {
    const s = specs[i]!;
    const x = normalizedSortValue(a[i], s);
    const y = normalizedSortValue(b[i], s);
    if (x === y) continue;
    let c: number;
    if (typeof x === "number" && typeof y === "number") c = x < y ? -1 : 1;
    else if (typeof x === "string" && typeof y === "string") c = utf8Compare(x, y);
    else if (typeof x === "number") c = x === Infinity ? 1 : -1;
    else c = (y as number) === Infinity ? -1 : 1;
    return s.order === "asc" ? c : -c;
  }
  return 0;
}

// A module-level function, not a closure per comparison: this runs for every
// document a top_hits aggregation collects.
function normalizedSortValue(v: unknown, s: SortSpec): number | string {
  if (v === null || v === undefined) return missingKey(s);
  if (v === "Infinity") return Infinity;
  if (v === "-Infinity") return -Infinity;
  if (typeof v === "number") return v >= LONG_MAX ? Infinity : v <= LONG_MIN ? -Infinity : v;
  return String(v);
}

/**
 * Two documents of one index by the sort keys (best first), then by slot. Keys are
 * evaluated in order and only as far as needed: a tie-breaker is read only on a tie.
 */
export function compareSlots(keys: readonly SortKey[], a: number, b: number): number {
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    let c: number;
    if (k.compare) c = k.compare(a, b);
    else {
      const ka = k.key(a);
      const kb = k.key(b);
      c = ka < kb ? -1 : ka > kb ? 1 : 0;
    }
    if (c !== 0) return c * k.dir;
  }
  return a - b;
}
