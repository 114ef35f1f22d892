// Optimistic read-compute-write of derived documents (candles, sentiment
// aggregates), for many documents at once:
//
//   1. read every target's current `_seq_no`/`_primary_term` (realtime mget);
//   2. compute every target from its source documents (one search, after the
//      caller refreshed the sources it wrote);
//   3. write each changed target conditionally: `index` with `if_seq_no` +
//      `if_primary_term` when it exists, `create` when it does not;
//   4. targets answered 409 (someone wrote in between) go round again from 1.
//
// With `same`, a target whose computed value equals the stored one is not
// written. See docs/store.md for why this neither loses nor double-counts.
import { addFailure, bulkWrite, type BulkOperation, type BulkWriteOptions, isConflict, isOk, toStoreError } from "./bulkWrite.ts";
import { ConcurrentUpdateError, RetryableStoreError, type StoreError } from "./errors.ts";
import { readVersions, refKey } from "./readVersions.ts";
import type { SearchClient } from "./SearchClient.ts";

export interface RecomputeTarget {
  index: string;
  id: string;
  /** Keys of the caller's records that touched this target. */
  owners: readonly string[];
}

export interface RecomputeOptions<T, R extends RecomputeTarget = RecomputeTarget> {
  /** Computes the targets from their sources; keyed by `refKey(index, id)`. A missing key means "no source: leave as is". */
  compute: (targets: readonly R[]) => Promise<Map<string, T>>;
  /**
   * True when the stored document already holds exactly `computed`, so it need
   * not be written. Only safe when every stored version was computed from a
   * source set that only grows and the value counts its members (candles:
   * `trades`); see docs/store.md. Omit it to always write.
   */
  same?: (stored: T, computed: T) => boolean;
  /**
   * True when the stored document must stay as it is although it differs from
   * `computed`: it holds more than the sources do (a candle from an exchange's
   * kline, over a minute of which only some trades are stored). Its stored value
   * is then the target's value.
   */
  keep?: (stored: T, computed: T) => boolean;
  /** The document to store for a computed value (adds `updatedAt`, …). */
  toDoc: (value: T) => unknown;
  maxAttempts: number;
  bulk?: BulkWriteOptions;
}

export interface RecomputeResult<T> {
  /** Final value of every target that has one, keyed by `refKey(index, id)`. */
  values: Map<string, T>;
  /** Keys (`refKey`) of the targets this call wrote: their stored value changed. */
  changed: Set<string>;
  written: number;
  unchanged: number;
  conflicts: number;
  attempts: number;
  /** Indices that received writes (to refresh before they are read as a source). */
  writtenIndices: Set<string>;
  failed: Map<string, StoreError>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function recomputeDocuments<T, R extends RecomputeTarget = RecomputeTarget>(
  client: SearchClient,
  targets: readonly R[],
  options: RecomputeOptions<T, R>,
): Promise<RecomputeResult<T>> {
  const result: RecomputeResult<T> = {
    values: new Map(),
    changed: new Set(),
    written: 0,
    unchanged: 0,
    conflicts: 0,
    attempts: 0,
    writtenIndices: new Set(),
    failed: new Map(),
  };
  let pending = [...targets];
  for (let attempt = 0; pending.length > 0 && attempt < options.maxAttempts; attempt++) {
    result.attempts = attempt + 1;
    let computed: Map<string, T>;
    let stored: Awaited<ReturnType<typeof readVersions<T>>>;
    try {
      stored = await readVersions<T>(client, pending); // before computing: see docs/store.md
      computed = await options.compute(pending);
    } catch (err) {
      const error = new RetryableStoreError(err instanceof Error ? err.message : String(err), { type: "recompute_failed" }, { cause: err });
      for (const t of pending) for (const key of t.owners) addFailure(result.failed, key, error);
      return result;
    }
    const ops: BulkOperation[] = [];
    const opTargets: R[] = [];
    for (const t of pending) {
      const k = refKey(t.index, t.id);
      const value = computed.get(k);
      if (value === undefined) continue;
      const current = stored.get(k);
      if (current !== undefined && options.keep?.(current.source, value) === true) {
        result.values.set(k, current.source);
        result.unchanged++;
        continue;
      }
      if (current !== undefined && options.same?.(current.source, value) === true) {
        result.values.set(k, value);
        result.unchanged++;
        continue;
      }
      ops.push({
        action: current === undefined ? "create" : "index",
        index: t.index,
        id: t.id,
        doc: options.toDoc(value),
        ifSeqNo: current?.seqNo,
        ifPrimaryTerm: current?.primaryTerm,
        keys: t.owners,
      });
      opTargets.push(t);
    }
    const outcomes = ops.length > 0 ? await bulkWrite(client, ops, options.bulk) : [];
    const next: R[] = [];
    outcomes.forEach((r, i) => {
      const t = opTargets[i] as R;
      const k = refKey(t.index, t.id);
      if (isOk(r)) {
        result.values.set(k, computed.get(k) as T);
        result.changed.add(k);
        result.written++;
        result.writtenIndices.add(t.index);
      } else if (isConflict(r)) {
        result.conflicts++;
        next.push(t);
      } else {
        const error = toStoreError(r);
        for (const key of t.owners) addFailure(result.failed, key, error);
      }
    });
    pending = next;
    if (pending.length > 0) await sleep(Math.random() * Math.min(100, 5 * 2 ** attempt));
  }
  for (const t of pending) {
    const error = new ConcurrentUpdateError(`still conflicting after ${options.maxAttempts} attempts`, {
      type: "version_conflict_engine_exception",
      status: 409,
      index: t.index,
      id: t.id,
    });
    for (const key of t.owners) addFailure(result.failed, key, error);
  }
  return result;
}
