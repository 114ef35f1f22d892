// Document write operations (index, create, update, delete) with OpenSearch's
// versioning rules: internal versions, if_seq_no/if_primary_term, external and
// external_gte versions, noop detection, upserts.
import { randomBytes } from "node:crypto";
import type { Cluster } from "../cluster/Cluster.ts";
import { documentMissing, LOCAL, mapperParsing, SearchError, validationFailed, versionConflict } from "../errors.ts";
import { applySourceFilter, isIdentity, parseSourceFilter, type SourceFilter } from "../hits/sourceFilter.ts";
import type { IndexStore } from "../index/IndexStore.ts";

export type VersionType = "internal" | "external" | "external_gte";

export interface WriteOptions {
  ifSeqNo?: number;
  ifPrimaryTerm?: number;
  version?: number;
  versionType?: VersionType;
}

export interface WriteResult {
  _index: string;
  _id: string;
  _version: number;
  result: "created" | "updated" | "deleted" | "not_found" | "noop";
  _shards: { total: number; successful: number; failed: number };
  _seq_no: number;
  _primary_term: number;
  status: number;
}

export function newAutoId(): string {
  // 20 url-safe characters, like OpenSearch's time-based ids
  const t = Date.now().toString(36);
  return (t + randomBytes(15).toString("base64url")).slice(0, 20);
}

const NOOP_SHARDS = Object.freeze({ total: 0, successful: 0, failed: 0 });
const SHARDS: WriteResult["_shards"][] = [];

function shards(index: IndexStore, noop = false): WriteResult["_shards"] {
  if (noop) return NOOP_SHARDS;
  const n = 1 + index.replicas;
  return (SHARDS[n] ??= Object.freeze({ total: n, successful: n, failed: 0 }));
}

export function validateId(id: string): void {
  if (id === "") throw validationFailed("if _id is specified it must not be empty");
  const len = Buffer.byteLength(id);
  if (len > 512) throw validationFailed(`id [${id}] is too long, must be no longer than 512 bytes but was: ${len}`);
}

export function parseVersionType(v: unknown): VersionType | undefined {
  if (v === undefined || v === null) return undefined;
  const s = String(v);
  if (s === "internal" || s === "external" || s === "external_gte") return s;
  if (s === "force") throw validationFailed(`version type [force] may no longer be used`);
  throw new SearchError(400, "illegal_argument_exception", `No version type match [${s}]`);
}

function validateOcc(opts: WriteOptions, op: "index" | "create" | "delete" | "update"): void {
  const hasSeq = opts.ifSeqNo !== undefined;
  const hasTerm = opts.ifPrimaryTerm !== undefined;
  if (hasSeq && !hasTerm) throw validationFailed(`ifSeqNo is set, but primary term is [0]`);
  if (!hasSeq && hasTerm) throw validationFailed(`ifSeqNo is unassigned, but primary term is [${opts.ifPrimaryTerm}]`);
  if (hasSeq && (opts.ifSeqNo! < 0 || !Number.isInteger(opts.ifSeqNo))) throw validationFailed(`ifSeqNo must be non negative`);
  const vt = opts.versionType ?? "internal";
  if (op === "update") {
    if (opts.version !== undefined || vt !== "internal") {
      throw validationFailed(vt !== "internal" ? `version type [${vt.toUpperCase()}] is not supported by the update API` : "can't provide version in update request, use if_seq_no and if_primary_term");
    }
    return;
  }
  if (op === "create" && vt !== "internal") throw validationFailed("create operations only support internal versioning. use index instead");
  if (op === "create" && hasSeq) throw validationFailed("create operations do not support compare and set. use index instead");
  if (vt === "internal" && opts.version !== undefined) {
    throw validationFailed("internal versioning can not be used for optimistic concurrency control. Please use `if_seq_no` and `if_primary_term` instead");
  }
  if (vt !== "internal") {
    if (opts.version === undefined || !Number.isInteger(opts.version) || opts.version < 0) throw validationFailed(`illegal version value [${String(opts.version ?? -3)}] for version type [${vt.toUpperCase()}]`);
    if (hasSeq) throw validationFailed("compare and write operations can not be used with version type [" + vt.toUpperCase() + "]");
  }
}

function checkSeqNo(index: IndexStore, id: string, opts: WriteOptions, current: { seqNo: number } | null): void {
  if (opts.ifSeqNo === undefined) return;
  if (!current) {
    throw versionConflict(index.name, index.uuid, id, `required seqNo [${opts.ifSeqNo}], primary term [${opts.ifPrimaryTerm}] but no document was found`);
  }
  if (current.seqNo !== opts.ifSeqNo || index.primaryTerm !== opts.ifPrimaryTerm) {
    throw versionConflict(index.name, index.uuid, id, `required seqNo [${opts.ifSeqNo}], primary term [${opts.ifPrimaryTerm}]. current document has seqNo [${current.seqNo}] and primary term [${index.primaryTerm}]`);
  }
}

/** Version after this write for external version types, or throws the conflict. */
function checkExternal(index: IndexStore, id: string, opts: WriteOptions, currentVersion: number | null): void {
  const vt = opts.versionType ?? "internal";
  if (vt === "internal" || currentVersion === null) return;
  const given = opts.version!;
  if (vt === "external" && given <= currentVersion) {
    throw versionConflict(index.name, index.uuid, id, `current version [${currentVersion}] is higher or equal to the one provided [${given}]`);
  }
  if (vt === "external_gte" && given < currentVersion) {
    throw versionConflict(index.name, index.uuid, id, `current version [${currentVersion}] is higher than the one provided [${given}]`);
  }
}

/** Parses a document source; OpenSearch reports unparsable sources as mapper_parsing_exception. */
export function parseSource(text: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    throw mapperParsing("failed to parse", { type: "json_parse_exception", reason: (err as Error).message });
  }
  if (typeof v !== "object" || v === null || Array.isArray(v)) {
    throw mapperParsing("failed to parse", { type: "not_x_content_exception", reason: "Compressor detection can only be called on some xcontent bytes or compressed xcontent bytes" });
  }
  return v as Record<string, unknown>;
}

/** Keeps the source bytes as sent, except that line breaks (possible in pretty single-document bodies) must not reach the one-line log format. */
function storableSource(text: string, obj: Record<string, unknown>): string {
  return text.includes("\n") || text.includes("\r") ? JSON.stringify(obj) : text;
}

export function indexDocument(
  cluster: Cluster,
  indexName: string,
  id: string | null,
  sourceText: string,
  opType: "index" | "create",
  opts: WriteOptions = {},
  parsedSource?: Record<string, unknown>,
): WriteResult {
  if (id !== null) validateId(id);
  const effectiveOp = id === null ? "create" : opType;
  validateOcc(opts, effectiveOp);
  const index = cluster.indexForWrite(indexName);
  const docId = id ?? newAutoId();
  const obj = parsedSource ?? parseSource(sourceText);
  const current = index.lookup(docId);
  const tomb = current ? null : index.tombstone(docId);
  if (effectiveOp === "create" && current) {
    throw versionConflict(index.name, index.uuid, docId, `document already exists (current version [${current.version}])`);
  }
  checkSeqNo(index, docId, opts, current);
  checkExternal(index, docId, opts, current?.version ?? tomb?.version ?? null);
  const parsed = index.mapping.parseDocument(obj, docId);
  const vt = opts.versionType ?? "internal";
  const version = vt === "internal" ? (current ? current.version + 1 : tomb ? tomb.version + 1 : 1) : opts.version!;
  const seqNo = index.seqNo + 1;
  cluster.applyWrite(index, docId, storableSource(sourceText, obj), parsed, version, seqNo);
  return {
    _index: index.name,
    _id: docId,
    _version: version,
    result: current ? "updated" : "created",
    _shards: shards(index),
    _seq_no: seqNo,
    _primary_term: index.primaryTerm,
    status: current ? 200 : 201,
  };
}

export function deleteDocument(cluster: Cluster, indexName: string, id: string, opts: WriteOptions = {}): WriteResult {
  validateId(id);
  validateOcc(opts, "delete");
  const index = cluster.requireIndex(indexName);
  const current = index.lookup(id);
  const tomb = current ? null : index.tombstone(id);
  checkSeqNo(index, id, opts, current);
  checkExternal(index, id, opts, current?.version ?? tomb?.version ?? null);
  const vt = opts.versionType ?? "internal";
  const version = vt === "internal" ? (current ? current.version + 1 : tomb ? tomb.version + 1 : 1) : opts.version!;
  const seqNo = index.seqNo + 1;
  cluster.applyDelete(index, id, version, seqNo);
  return {
    _index: index.name,
    _id: id,
    _version: version,
    result: current ? "deleted" : "not_found",
    _shards: shards(index),
    _seq_no: seqNo,
    _primary_term: index.primaryTerm,
    status: current ? 200 : 404,
  };
}

export interface UpdateBody {
  doc?: unknown;
  upsert?: unknown;
  doc_as_upsert?: unknown;
  detect_noop?: unknown;
  script?: unknown;
  scripted_upsert?: unknown;
  _source?: unknown;
  [k: string]: unknown;
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Merges a partial document into a source like OpenSearch: objects recursively, everything else replaced. */
export function mergeDoc(target: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...target };
  for (const [k, v] of Object.entries(patch)) {
    const old = out[k];
    out[k] = isObj(old) && isObj(v) ? mergeDoc(old, v) : v;
  }
  return out;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObj(a) && isObj(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}

export function validateUpdateBody(body: unknown): UpdateBody {
  if (!isObj(body)) throw new SearchError(400, "action_request_validation_exception", "Validation Failed: 1: script or doc is missing;");
  for (const k of Object.keys(body)) {
    if (!["doc", "upsert", "doc_as_upsert", "detect_noop", "script", "scripted_upsert", "_source", "if_seq_no", "if_primary_term"].includes(k)) {
      throw new SearchError(400, "x_content_parse_exception", `[1:2] [UpdateRequest] unknown field [${k}]`);
    }
  }
  if (body.script !== undefined) throw new SearchError(400, "illegal_argument_exception", `scripted updates ([script]) are not supported by ${LOCAL}; use [doc] with if_seq_no/if_primary_term or external versions`);
  if (body.doc === undefined) throw validationFailed("script or doc is missing");
  if (!isObj(body.doc)) throw new SearchError(400, "x_content_parse_exception", "[1:8] [UpdateRequest] doc doesn't support values of type: VALUE_STRING");
  if (body.upsert !== undefined && !isObj(body.upsert)) throw new SearchError(400, "x_content_parse_exception", "[UpdateRequest] upsert doesn't support values of that type");
  if (body.doc_as_upsert === true && body.upsert !== undefined) throw validationFailed("upsert requests don't support `doc_as_upsert`");
  return body as UpdateBody;
}

export interface UpdateResult extends WriteResult {
  /** The document's source after the update (for the "get" part of the response). */
  source: Record<string, unknown>;
}

export function updateDocument(cluster: Cluster, indexName: string, id: string, body: UpdateBody, opts: WriteOptions = {}): UpdateResult {
  validateId(id);
  validateOcc(opts, "update");
  const index = cluster.indexForWrite(indexName);
  const current = index.lookup(id);
  if (current) checkSeqNo(index, id, opts, current);
  const doc = body.doc as Record<string, unknown>;
  if (!current) {
    let source: Record<string, unknown>;
    if (body.doc_as_upsert === true || body.doc_as_upsert === "true") source = doc;
    else if (isObj(body.upsert)) source = body.upsert;
    else throw documentMissing(index.name, index.uuid, id);
    if (opts.ifSeqNo !== undefined) checkSeqNo(index, id, opts, null);
    const tomb = index.tombstone(id);
    const parsed = index.mapping.parseDocument(source, id);
    const version = tomb ? tomb.version + 1 : 1;
    const seqNo = index.seqNo + 1;
    cluster.applyWrite(index, id, JSON.stringify(source), parsed, version, seqNo);
    return { _index: index.name, _id: id, _version: version, result: "created", _shards: shards(index), _seq_no: seqNo, _primary_term: index.primaryTerm, status: 201, source };
  }
  const old = JSON.parse(index.sourceString(current.slot)) as Record<string, unknown>;
  const merged = mergeDoc(old, doc);
  const detectNoop = body.detect_noop === undefined ? true : body.detect_noop === true || body.detect_noop === "true";
  if (detectNoop && deepEqual(old, merged)) {
    return { _index: index.name, _id: id, _version: current.version, result: "noop", _shards: shards(index, true), _seq_no: current.seqNo, _primary_term: index.primaryTerm, status: 200, source: old };
  }
  const parsed = index.mapping.parseDocument(merged, id);
  const version = current.version + 1;
  const seqNo = index.seqNo + 1;
  cluster.applyWrite(index, id, JSON.stringify(merged), parsed, version, seqNo);
  return { _index: index.name, _id: id, _version: version, result: "updated", _shards: shards(index), _seq_no: seqNo, _primary_term: index.primaryTerm, status: 200, source: merged };
}

/** The "get" section of an update response when _source was requested. */
export function updateGet(r: UpdateResult, filter: SourceFilter): Record<string, unknown> {
  const get: Record<string, unknown> = { _seq_no: r._seq_no, _primary_term: r._primary_term, found: true };
  if (filter.fetch) get._source = isIdentity(filter) ? r.source : applySourceFilter(r.source, filter);
  return get;
}

/** The _source option of an update (body or bulk action line); undefined when not asked for. */
export function updateSourceFilter(v: unknown): SourceFilter | undefined {
  if (v === undefined || v === false || v === "false") return undefined;
  return parseSourceFilter(v === "true" ? true : v);
}
