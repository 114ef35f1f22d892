// _bulk: NDJSON parsing (whole-request errors for malformed action lines, like
// OpenSearch's BulkRequestParser) and per-item execution with per-item errors.
import type { Cluster } from "../cluster/Cluster.ts";
import { deleteDocument, indexDocument, parseVersionType, updateDocument, updateGet, updateSourceFilter, validateUpdateBody, type UpdateBody, type WriteOptions, type WriteResult } from "./documentWrites.ts";
import type { SourceFilter } from "../hits/sourceFilter.ts";
import { illegalArgument, LOCAL, SearchError, validationFailed } from "../errors.ts";
import { renderItem, type ItemField } from "./bulkProjection.ts";

type OpType = "index" | "create" | "update" | "delete";

interface BulkItem {
  op: OpType;
  index: string;
  id: string | null;
  opts: WriteOptions;
  source: string | null;
  update: UpdateBody | null;
  /** For updates: the _source wanted back in "get". */
  fetch?: SourceFilter;
}

const ACTION_KEYS = new Set([
  "_index", "_id", "routing", "_routing", "if_seq_no", "if_primary_term", "version", "version_type", "pipeline",
  "require_alias", "retry_on_conflict", "_retry_on_conflict", "_source", "op_type", "_type", "dynamic_templates",
]);

function parseLine(text: string, lineNo: number): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new SearchError(400, "x_content_parse_exception", `[${lineNo}:1] Malformed action/metadata line [${lineNo}]: ${(err as Error).message}`);
  }
}

function num(v: unknown, what: string, lineNo: number): number | undefined {
  if (v === undefined || v === null) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw illegalArgument(`Action/metadata line [${lineNo}] has an invalid [${what}] value [${String(v)}]`);
  return n;
}

const NO_OPTIONS: WriteOptions = Object.freeze({});

const SIMPLE_ACTION = /^\{"(index|create|update|delete)":\{(?:"_index":"([^"\\\u0000-\u001f]*)"(?:,"_id":"([^"\\\u0000-\u001f]*)")?|"_id":"([^"\\\u0000-\u001f]*)")?\}\}$/;

/** A fresh copy of a string known to hold no quote, backslash or control character. */
function ownCopy(s: string): string {
  return JSON.parse('"' + s + '"') as string;
}

/** Recognises action lines that carry only _index and/or _id (no escapes), as the clients write them. */
function simpleAction(line: string): { op: OpType; index: string | undefined; id: string | null } | null {
  if (line.charCodeAt(0) !== 123 || line.length > 1024) return null;
  const m = SIMPLE_ACTION.exec(line);
  if (m === null) return null;
  const id = m[3] ?? m[4];
  // Regex captures are slices that would keep the whole request text alive for as long as the id is stored.
  return { op: m[1] as OpType, index: m[2], id: id === undefined ? null : ownCopy(id) };
}

/** Parses the whole request first; any malformed action line rejects the request before anything is applied. */
export function parseBulk(body: Buffer, defaultIndex: string | undefined): BulkItem[] {
  if (body.length === 0) throw new SearchError(400, "parse_exception", "request body is required");
  if (body[body.length - 1] !== 10) throw illegalArgument("The bulk request must be terminated by a newline [\\n]");
  const text = body.toString("utf8");
  const items: BulkItem[] = [];
  const missingIndex: string[] = [];
  let pos = 0;
  let lineNo = 0;
  const nextLine = (): string | null => {
    if (pos >= text.length) return null;
    const nl = text.indexOf("\n", pos);
    const line = text.slice(pos, nl);
    pos = nl + 1;
    lineNo++;
    return line.endsWith("\r") ? line.slice(0, -1) : line;
  };
  for (;;) {
    const line = nextLine();
    if (line === null) break;
    if (line.trim() === "") continue;
    const actionLine = lineNo;
    const fast = simpleAction(line);
    if (fast !== null) {
      // {"index":{"_index":"x","_id":"y"}} and friends: the common shape, without a JSON parse
      const index = fast.index ?? defaultIndex;
      if (index === undefined) missingIndex.push("index is missing");
      const item: BulkItem = { op: fast.op, index: index ?? "", id: fast.id, opts: NO_OPTIONS, source: null, update: null };
      if (fast.op !== "delete") {
        const src = nextLine();
        if (src === null) throw illegalArgument(`The bulk request must be terminated by a newline [\\n]`);
        if (fast.op === "update") {
          let parsed: unknown;
          try {
            parsed = JSON.parse(src);
          } catch (err) {
            throw new SearchError(400, "x_content_parse_exception", `[${lineNo}:1] [UpdateRequest] failed to parse: ${(err as Error).message}`);
          }
          item.update = validateUpdateBody(parsed);
          item.fetch = updateSourceFilter(item.update._source);
        } else item.source = src;
      }
      items.push(item);
      continue;
    }
    const action = parseLine(line, actionLine);
    if (typeof action !== "object" || action === null || Array.isArray(action)) {
      throw illegalArgument(`Malformed action/metadata line [${actionLine}], expected START_OBJECT or END_OBJECT but found [${Array.isArray(action) ? "START_ARRAY" : "VALUE"}]`);
    }
    const keys = Object.keys(action);
    if (keys.length !== 1) throw illegalArgument(`Malformed action/metadata line [${actionLine}], expected a single action but found [${keys.join(", ")}]`);
    const op = keys[0] as OpType;
    if (!["index", "create", "update", "delete"].includes(op)) {
      throw illegalArgument(`Malformed action/metadata line [${actionLine}], expected one of [create, delete, index, update] but found [${op}]`);
    }
    const meta = (action as Record<string, unknown>)[op];
    if (typeof meta !== "object" || meta === null || Array.isArray(meta)) {
      throw illegalArgument(`Malformed action/metadata line [${actionLine}], expected START_OBJECT but found [VALUE]`);
    }
    const m = meta as Record<string, unknown>;
    for (const k of Object.keys(m)) {
      if (!ACTION_KEYS.has(k)) throw illegalArgument(`Action/metadata line [${actionLine}] contains an unknown parameter [${k}]`);
    }
    if (m.pipeline !== undefined && m.pipeline !== "_none") throw illegalArgument(`ingest pipelines are not supported by ${LOCAL}`);
    if (m.require_alias === true) throw illegalArgument(`[require_alias] is not supported by ${LOCAL} (there are no aliases)`);
    const index = m._index !== undefined ? String(m._index) : defaultIndex;
    if (index === undefined) missingIndex.push("index is missing");
    const id = m._id === undefined || m._id === null ? null : String(m._id);
    const opts: WriteOptions = {
      ifSeqNo: num(m.if_seq_no, "if_seq_no", actionLine),
      ifPrimaryTerm: num(m.if_primary_term, "if_primary_term", actionLine),
      version: num(m.version, "version", actionLine),
      versionType: parseVersionType(m.version_type),
    };
    let effectiveOp: OpType = op;
    if (op === "index" && m.op_type === "create") effectiveOp = "create";
    const item: BulkItem = { op: effectiveOp, index: index ?? "", id, opts, source: null, update: null };
    if (op !== "delete") {
      const src = nextLine();
      if (src === null) throw illegalArgument(`The bulk request must be terminated by a newline [\\n]`);
      if (op === "update") {
        // Update payloads are parsed up front, like OpenSearch; a broken one fails the request.
        let parsed: unknown;
        try {
          parsed = JSON.parse(src);
        } catch (err) {
          throw new SearchError(400, "x_content_parse_exception", `[${lineNo}:1] [UpdateRequest] failed to parse: ${(err as Error).message}`);
        }
        item.update = validateUpdateBody(parsed);
        item.fetch = updateSourceFilter(item.update._source ?? m._source);
      } else item.source = src;
    }
    items.push(item);
  }
  if (missingIndex.length > 0) throw validationFailed(...missingIndex);
  if (items.length === 0) throw validationFailed("no requests added");
  return items;
}

/**
 * Applies the items in order; returns the "items" array as JSON text (built directly: it is large and hot).
 * With `keep`, each item has only those fields and items with none are left out (null: none had any).
 */
export function executeBulk(cluster: Cluster, items: BulkItem[], forcedRefresh: boolean, keep: ReadonlySet<string> | null = null): { errors: boolean; itemsJson: string | null; touched: Set<string> } {
  const out: string[] = [];
  let errors = false;
  const touched = new Set<string>();
  for (const item of items) {
    let fields: ItemField[];
    try {
      let r: WriteResult;
      let get: string | undefined;
      switch (item.op) {
        case "index":
        case "create":
          r = indexDocument(cluster, item.index, item.id, item.source!, item.op, item.opts);
          break;
        case "update":
          if (item.id === null) throw validationFailed("id is missing");
          {
            const u = updateDocument(cluster, item.index, item.id, item.update!, item.opts);
            if (item.fetch) get = JSON.stringify(updateGet(u, item.fetch));
            r = u;
          }
          break;
        case "delete":
          if (item.id === null) throw validationFailed("id is missing");
          r = deleteDocument(cluster, item.index, item.id, item.opts);
          break;
      }
      touched.add(r._index);
      const sh = r._shards;
      fields = [
        ["_index", JSON.stringify(r._index)], ["_id", JSON.stringify(r._id)], ["_version", String(r._version)], ["result", `"${r.result}"`],
        ["_shards", `{"total":${sh.total},"successful":${sh.successful},"failed":${sh.failed}}`], ["_seq_no", String(r._seq_no)],
        ["_primary_term", String(r._primary_term)], ["status", String(r.status)],
      ];
      if (forcedRefresh) fields.push(["forced_refresh", "true"]);
      if (get !== undefined) fields.push(["get", get]);
    } catch (err) {
      if (!(err instanceof SearchError)) throw err;
      errors = true;
      // OpenSearch refreshes every shard the request addressed, failed items' too.
      if (item.index) touched.add(item.index);
      fields = [["_index", JSON.stringify(item.index)], ["_id", JSON.stringify(item.id)], ["status", String(err.status)], ["error", JSON.stringify(err.toCause())]];
    }
    const text = renderItem(item.op, fields, keep);
    if (text !== null) out.push(text);
  }
  return { errors, itemsJson: keep && out.length === 0 ? null : "[" + out.join(",") + "]", touched };
}

