// Bulk writes with per-item outcomes, keyed back to the caller's records.
//
// Built on `client.bulk` with its own loop rather than `client.helpers.bulk`:
// the helper reports only failures (through `onDrop`, with the document
// re-parsed, so nothing links it back to the caller's record), gives no
// per-item `_seq_no`/`result` for successes, waits a fixed `wait` between 429
// retries, and aborts the whole run on a request-level error. The store needs
// every item's outcome in input order (a 409 means "duplicate, fine" for a
// trade, "stale, fine" for a quote and "lost the race, recompute" for a
// candle), exponential backoff with jitter on 429, and request-level failures
// turned into per-item retryable errors.
import { ConcurrentUpdateError, type StoreError, storeErrorFromStatus } from "./errors.ts";
import type { SearchClient } from "./SearchClient.ts";

export type BulkAction = "index" | "create" | "update" | "delete";

export interface BulkOperation {
  action: BulkAction;
  index: string;
  id: string;
  /** index/create: the document; update: the partial document. */
  doc?: unknown;
  /** update only: create the document from `doc` when it does not exist. */
  docAsUpsert?: boolean;
  ifSeqNo?: number;
  ifPrimaryTerm?: number;
  version?: number;
  versionType?: "external" | "external_gte";
  /** The caller's record keys this operation serves (SQS messageIds, …). */
  keys: readonly string[];
}

export interface BulkItemResult {
  op: BulkOperation;
  status: number;
  /** `created`, `updated`, `deleted`, `noop`, `not_found` on success. */
  result?: string;
  seqNo?: number;
  primaryTerm?: number;
  version?: number;
  /** OpenSearch error type (`version_conflict_engine_exception`, …) or a local one. */
  errorType?: string;
  errorReason?: string;
}

export interface BulkWriteOptions {
  maxBytes?: number;
  maxOperations?: number;
  concurrency?: number;
  /** Retries of items (or whole requests) answered 429. */
  retries?: number;
  /** First backoff; doubles per attempt, full jitter, capped at 10 s. */
  backoffMs?: number;
  /** Refresh the written shards with the write (`refresh=true`): readers that follow see it, one round trip fewer than a separate `_refresh`. */
  refresh?: boolean;
}

const DEFAULTS: Required<BulkWriteOptions> = {
  maxBytes: 5 * 1024 * 1024,
  maxOperations: 10_000,
  concurrency: 2,
  retries: 5,
  backoffMs: 100,
  refresh: false,
};

export function isOk(r: BulkItemResult): boolean {
  return r.status >= 200 && r.status < 300;
}

export function isConflict(r: BulkItemResult): boolean {
  return r.status === 409;
}

/** The error a failed item stands for (409 → ConcurrentUpdateError). */
export function toStoreError(r: BulkItemResult): StoreError {
  const where = { index: r.op.index, id: r.op.id };
  const reason = r.errorReason ?? r.errorType ?? `status ${r.status}`;
  if (r.status === 409) {
    return new ConcurrentUpdateError(reason, { type: r.errorType ?? "version_conflict", status: 409, ...where });
  }
  return storeErrorFromStatus(r.status, r.errorType ?? "bulk_item_error", reason, where);
}

/**
 * Keys of the records whose operations failed, with the error each should be
 * failed with. `accept` says which non-2xx outcomes are fine for this caller
 * (e.g. 409 for `create` of a deterministic id). A permanent error wins over a
 * retryable one for the same key.
 */
export function failuresByKey(
  results: readonly BulkItemResult[],
  accept: (r: BulkItemResult) => boolean = () => false,
  into: Map<string, StoreError> = new Map(),
): Map<string, StoreError> {
  for (const r of results) {
    if (isOk(r) || accept(r)) continue;
    const error = toStoreError(r);
    for (const key of r.op.keys) addFailure(into, key, error);
  }
  return into;
}

export function addFailure(into: Map<string, StoreError>, key: string, error: StoreError): void {
  const prior = into.get(key);
  if (prior === undefined || (prior.retryable && !error.retryable)) into.set(key, error);
}

function actionLine(op: BulkOperation): string {
  const meta: Record<string, unknown> = { _index: op.index, _id: op.id };
  if (op.ifSeqNo !== undefined) meta.if_seq_no = op.ifSeqNo;
  if (op.ifPrimaryTerm !== undefined) meta.if_primary_term = op.ifPrimaryTerm;
  if (op.version !== undefined) meta.version = op.version;
  if (op.versionType !== undefined) meta.version_type = op.versionType;
  return `{"${op.action}":${JSON.stringify(meta)}}\n`;
}

/** The NDJSON lines of one operation. */
export function serializeOperation(op: BulkOperation): string {
  switch (op.action) {
    case "delete":
      return actionLine(op);
    case "update":
      return `${actionLine(op)}${JSON.stringify(op.docAsUpsert ? { doc: op.doc, doc_as_upsert: true } : { doc: op.doc })}\n`;
    case "index":
    case "create":
      if (op.doc === undefined) throw new TypeError(`bulk ${op.action} ${op.index}/${op.id} has no document`);
      return `${actionLine(op)}${JSON.stringify(op.doc)}\n`;
  }
}

/** Only what the outcomes need: a 5000-item response shrinks several-fold, for the server to write and the client to parse. */
const RESPONSE_FIELDS = ["items.*.status", "items.*.result", "items.*._seq_no", "items.*._primary_term", "items.*._version", "items.*.error"];

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function backoff(base: number, attempt: number): Promise<void> {
  const cap = Math.min(10_000, base * 2 ** attempt);
  return sleep(cap / 2 + Math.random() * (cap / 2));
}

interface RawItem {
  status: number;
  result?: string;
  _seq_no?: number;
  _primary_term?: number;
  _version?: number;
  error?: { type?: string; reason?: string; caused_by?: { type?: string; reason?: string } };
}

/**
 * A request-level failure as a status and type, told apart by the error's shape
 * (OpenSearch clients name their errors `ResponseError`, `TimeoutError` …; a
 * response error carries the status and the server's body), so the store needs
 * no client library's error classes.
 */
function requestFailure(err: unknown): { status: number; type: string; reason: string } {
  const e = (err ?? {}) as { name?: unknown; message?: unknown; statusCode?: unknown; body?: unknown; meta?: { statusCode?: unknown; body?: unknown } };
  const message = err instanceof Error ? err.message : String(err);
  switch (e.name) {
    case "ResponseError": {
      const body = (e.body ?? e.meta?.body) as { error?: { type?: string; reason?: string } } | undefined;
      const status = typeof e.statusCode === "number" ? e.statusCode : typeof e.meta?.statusCode === "number" ? e.meta.statusCode : 500;
      return { status, type: body?.error?.type ?? "response_error", reason: body?.error?.reason ?? message };
    }
    case "TimeoutError":
      return { status: 504, type: "timeout", reason: message };
    case "ConnectionError":
    case "NoLivingConnectionsError":
      return { status: 503, type: "connection_error", reason: message };
    case "SerializationError":
    case "DeserializationError":
      return { status: 502, type: "serialization_error", reason: message };
    default:
      return { status: 500, type: "client_error", reason: message };
  }
}

/**
 * Sends `ops` in size-capped bulk requests (a few in flight), retries 429s
 * with exponential backoff, and returns one result per operation, in order.
 * Never throws for an item or request failure: those become results with
 * their status and error, so callers can fail only the affected records.
 */
export async function bulkWrite(
  client: SearchClient,
  ops: readonly BulkOperation[],
  options: BulkWriteOptions = {},
): Promise<BulkItemResult[]> {
  const opt = { ...DEFAULTS, ...options };
  const lines = ops.map(serializeOperation);
  const results: (BulkItemResult | undefined)[] = new Array(ops.length);

  const chunks: number[][] = [];
  let current: number[] = [];
  let bytes = 0;
  for (let i = 0; i < ops.length; i++) {
    const size = Buffer.byteLength(lines[i] as string);
    if (current.length > 0 && (bytes + size > opt.maxBytes || current.length >= opt.maxOperations)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(i);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);

  const fail = (items: readonly number[], f: { status: number; type: string; reason: string }) => {
    for (const i of items) {
      results[i] = { op: ops[i] as BulkOperation, status: f.status, errorType: f.type, errorReason: f.reason };
    }
  };

  async function send(items: number[]): Promise<void> {
    let pending = items;
    for (let attempt = 0; ; attempt++) {
      let raw: Record<string, RawItem>[];
      try {
        const body = pending.map((i) => lines[i]).join("");
        const response = await client.bulk({
          body: body as unknown as Record<string, unknown>[],
          filter_path: RESPONSE_FIELDS,
          ...(opt.refresh ? { refresh: "true" as const } : {}),
        });
        raw = (response.body as { items: Record<string, RawItem>[] }).items;
      } catch (err) {
        const f = requestFailure(err);
        if (f.status === 429 && attempt < opt.retries) {
          await backoff(opt.backoffMs, attempt);
          continue;
        }
        if (f.status === 413 && pending.length > 1) {
          const half = Math.ceil(pending.length / 2);
          await send(pending.slice(0, half));
          await send(pending.slice(half));
          return;
        }
        fail(pending, f);
        return;
      }
      if (!Array.isArray(raw) || raw.length !== pending.length) {
        fail(pending, { status: 500, type: "bulk_response_mismatch", reason: "bulk response item count differs from the request" });
        return;
      }
      const retry: number[] = [];
      for (let k = 0; k < raw.length; k++) {
        const i = pending[k] as number;
        const item = Object.values(raw[k] as Record<string, RawItem>)[0] as RawItem;
        if (item.status === 429 && attempt < opt.retries) {
          retry.push(i);
          continue;
        }
        const cause = item.error?.caused_by;
        results[i] = {
          op: ops[i] as BulkOperation,
          status: item.status,
          result: item.result,
          seqNo: item._seq_no,
          primaryTerm: item._primary_term,
          version: item._version,
          errorType: item.error?.type,
          errorReason: item.error
            ? `${item.error.reason ?? ""}${cause?.reason ? ` (${cause.type ?? ""}: ${cause.reason})` : ""}`
            : undefined,
        };
      }
      if (retry.length === 0) return;
      await backoff(opt.backoffMs, attempt);
      pending = retry;
    }
  }

  let next = 0;
  const workers = Array.from({ length: Math.min(opt.concurrency, chunks.length) }, async () => {
    while (next < chunks.length) await send(chunks[next++] as number[]);
  });
  await Promise.all(workers);
  return results.map((r, i) => r ?? { op: ops[i] as BulkOperation, status: 500, errorType: "not_sent", errorReason: "no result" });
}

