// The node's state: indices, index templates and the write-ahead log. Every
// mutation goes through here so that it is logged once and replayed alike.
import { performance } from "node:perf_hooks";
import { indexAlreadyExists, indexNotFound, invalidIndexName, LOCAL, parsingError, SearchError, illegalArgument } from "../errors.ts";
import { globMatch, hasWildcard } from "../text/glob.ts";
import { IndexStore, newIndexUuid } from "../index/IndexStore.ts";
import { Mapping } from "../mapping/Mapping.ts";
import type { ParsedDocument } from "../mapping/types.ts";
import { type FlatSettings, isDynamicSetting, normalizeSettings } from "../index/indexSettings.ts";
import { mergeMappingJson, parseTemplate, TemplateRegistry, unwrapMappings } from "./indexTemplates.ts";
import { pauseAfterChunk } from "../storage/snapshotPacing.ts";
import { type SnapshotWriter, WriteAheadLog } from "../storage/WriteAheadLog.ts";

export interface ResolveOptions {
  ignoreUnavailable?: boolean;
  allowNoIndices?: boolean;
}

const INVALID_CHARS = ["\\", "/", "*", "?", '"', "<", ">", "|", " ", ",", "#", ":"];

export function validateIndexName(name: string): void {
  if (name === "") throw invalidIndexName(name, "must not be empty");
  if (name !== name.toLowerCase()) throw invalidIndexName(name, "must be lowercase");
  if (name === "." || name === "..") throw invalidIndexName(name, "must not be '.' or '..'");
  if (/^[_\-+]/.test(name)) throw invalidIndexName(name, "must not start with '_', '-', or '+'");
  for (const c of INVALID_CHARS) {
    if (name.includes(c)) throw invalidIndexName(name, `must not contain the following characters [ , ", *, \\, <, |, ,, >, /, ?, #, :]`);
  }
  if (Buffer.byteLength(name) > 255) throw invalidIndexName(name, "index name is too long, (" + Buffer.byteLength(name) + " > 255)");
}

/** A snapshot is written in chunks of this many bytes of lines (then paced, see yieldToRequests). */
const SNAPSHOT_CHUNK_BYTES = 1024 * 1024;

export class Cluster {
  private closing = false;
  /** The share of the thread requests took during the last pause of a snapshot. */
  private requestShare = 0;
  readonly indices = new Map<string, IndexStore>();
  readonly templates = new TemplateRegistry();
  private readonly templateBodies = new Map<string, unknown>();
  wal: WriteAheadLog | null = null;
  private replaying = false;

  private log(record: unknown[], rawTail?: string): void {
    if (this.replaying || !this.wal) return;
    this.wal.append(rawTail === undefined ? JSON.stringify(record) + "\n" : JSON.stringify(record) + "\t" + rawTail + "\n");
  }

  /** Waits until every logged mutation is durable. */
  async sync(): Promise<void> {
    if (!this.wal) return;
    await this.wal.sync();
    if (this.wal.needsSnapshot()) {
      this.snapshot().catch((err: unknown) => {
        // The log still holds everything; the next snapshot attempt will retry.
        console.error("[search] snapshot failed", err);
      });
    }
  }

  // ---------- indices ----------

  createIndex(name: string, body: unknown, opts: { uuid?: string; creationDate?: number } = {}): IndexStore {
    validateIndexName(name);
    const existing = this.indices.get(name);
    if (existing) throw indexAlreadyExists(name, existing.uuid);
    const b = (body ?? {}) as Record<string, unknown>;
    if (typeof b !== "object" || Array.isArray(b)) throw parsingError("request body must be an object");
    for (const k of Object.keys(b)) {
      if (k === "aliases") {
        const a = b.aliases;
        if (a && typeof a === "object" && Object.keys(a).length > 0) throw illegalArgument(`aliases are not supported by ${LOCAL}`);
        continue;
      }
      if (k !== "settings" && k !== "mappings") throw new SearchError(400, "parse_exception", `unknown key [${k}] for create index`);
    }
    const template = this.templates.match(name);
    const settings: FlatSettings = { ...(template?.settings ?? {}), ...normalizeSettings(b.settings) };
    const mappingJson = mergeMappingJson(template?.mappings ?? null, unwrapMappings(b.mappings));
    const mapping = new Mapping(mappingJson ?? undefined);
    if (settings["index.mapping.total_fields.limit"] !== undefined) mapping.totalFieldsLimit = Number(settings["index.mapping.total_fields.limit"]);
    const full: FlatSettings = {
      "index.number_of_shards": "1",
      "index.number_of_replicas": "1",
      ...settings,
    };
    const index = new IndexStore(name, { uuid: opts.uuid ?? newIndexUuid(), creationDate: opts.creationDate ?? Date.now(), settings: full, mapping });
    this.indices.set(name, index);
    this.log(["ci", name, { uuid: index.uuid, creationDate: index.creationDate, settings: full, mappings: mapping.toJSON() }]);
    return index;
  }

  /** The index for a write, created (with templates) when missing, like action.auto_create_index. */
  indexForWrite(name: string): IndexStore {
    const existing = this.indices.get(name);
    if (existing) return existing;
    if (hasWildcard(name)) throw invalidIndexName(name, `must not contain the following characters [ , ", *, \\, <, |, ,, >, /, ?, #, :]`);
    return this.createIndex(name, {});
  }

  deleteIndices(targets: IndexStore[]): string[] {
    for (const t of targets) {
      this.indices.delete(t.name);
      this.log(["di", t.name]);
    }
    return targets.map((t) => t.name);
  }

  putMapping(index: IndexStore, body: unknown): void {
    const candidate = new Mapping(index.mapping.toJSON());
    candidate.totalFieldsLimit = index.mapping.totalFieldsLimit;
    candidate.merge(unwrapMappings(body) ?? {});
    index.mapping.merge(unwrapMappings(body) ?? {});
    this.log(["pm", index.name, unwrapMappings(body) ?? {}]);
  }

  putSettings(index: IndexStore, body: unknown): void {
    const b = body as Record<string, unknown>;
    const flat = normalizeSettings(b && typeof b === "object" && "settings" in b ? b.settings : body);
    const statics = Object.keys(flat).filter((k) => !isDynamicSetting(k));
    if (statics.length > 0) {
      throw illegalArgument(`Can't update non dynamic settings [[${statics.join(", ")}]] for open indices [[${index.name}/${index.uuid}]]`);
    }
    index.settings = { ...index.settings, ...flat };
    index.applySettings();
    this.log(["ps", index.name, flat]);
  }

  putTemplate(name: string, body: unknown, create: boolean): void {
    const t = parseTemplate(name, body);
    this.templates.put(t, create);
    this.templateBodies.set(name, body);
    this.log(["tp", name, body]);
  }

  deleteTemplate(expr: string): void {
    for (const n of this.templates.delete(expr)) {
      this.templateBodies.delete(n);
      this.log(["td", n]);
    }
  }

  /**
   * Resolves an index expression (names, comma lists, wildcards, _all,
   * -exclusions) to indices, sorted by name.
   */
  resolve(expr: string | undefined, opts: ResolveOptions = {}): IndexStore[] {
    const parts = expr === undefined || expr === "" || expr === "_all" ? ["*"] : expr.split(",").map((p) => p.trim()).filter((p) => p !== "");
    const chosen = new Set<string>();
    let sawWildcard = false;
    for (const p of parts) {
      if (p.startsWith("-") && sawWildcard) {
        const pat = p.slice(1);
        for (const n of [...chosen]) if (globMatch(pat, n)) chosen.delete(n);
        continue;
      }
      if (p === "_all" || hasWildcard(p)) {
        sawWildcard = true;
        const pat = p === "_all" ? "*" : p;
        for (const n of this.indices.keys()) if (globMatch(pat, n) && !(n.startsWith(".") && !pat.startsWith("."))) chosen.add(n);
        continue;
      }
      if (this.indices.has(p)) chosen.add(p);
      else if (!opts.ignoreUnavailable) throw indexNotFound(p);
    }
    if (chosen.size === 0 && opts.allowNoIndices === false) throw indexNotFound(expr ?? "_all");
    return [...chosen].sort().map((n) => this.indices.get(n)!);
  }

  requireIndex(name: string): IndexStore {
    const i = this.indices.get(name);
    if (!i) throw indexNotFound(name);
    return i;
  }

  // ---------- documents (already validated; these apply and log) ----------

  applyWrite(index: IndexStore, id: string, source: string, parsed: ParsedDocument, version: number, seqNo: number): void {
    index.write(id, source, parsed, version, seqNo);
    if (!this.replaying && this.wal) this.wal.append('["i",' + index.jsonName + "," + JSON.stringify(id) + "," + version + "," + seqNo + "]\t" + source + "\n");
  }

  applyDelete(index: IndexStore, id: string, version: number, seqNo: number): void {
    index.remove(id, version, seqNo);
    this.log(["d", index.name, id, version, seqNo]);
  }

  // ---------- persistence ----------

  async open(dataDir: string): Promise<void> {
    const wal = new WriteAheadLog(dataDir);
    this.replaying = true;
    try {
      await wal.recover(
        (line) => this.replaySnapshotLine(line),
        (line) => this.replayLogLine(line),
      );
    } finally {
      this.replaying = false;
    }
    for (const index of this.indices.values()) index.refresh();
    this.wal = wal;
  }

  private replaySnapshotLine(line: Buffer): void {
    if (line.length === 0) return;
    if (line[0] === 123 /* { */) {
      const meta = JSON.parse(line.toString("utf8")) as { templates?: Record<string, unknown>; indices?: SnapshotIndex[]; end?: boolean };
      if (meta.end) return;
      for (const [name, body] of Object.entries(meta.templates ?? {})) {
        this.templates.put(parseTemplate(name, body), false);
        this.templateBodies.set(name, body);
      }
      for (const ix of meta.indices ?? []) {
        const mapping = new Mapping(ix.mappings);
        const index = new IndexStore(ix.name, { uuid: ix.uuid, creationDate: ix.creationDate, settings: ix.settings, mapping });
        index.seqNo = ix.seqNo;
        this.indices.set(ix.name, index);
      }
      return;
    }
    this.replayDoc(line);
  }

  private replayDoc(line: Buffer): void {
    const tab = line.indexOf(9);
    const head = JSON.parse(line.toString("utf8", 0, tab)) as [string, string, string, number, number];
    const source = line.toString("utf8", tab + 1);
    const index = this.indices.get(head[1]);
    if (!index) return;
    const parsed = index.mapping.parseDocument(JSON.parse(source) as Record<string, unknown>, head[2]);
    index.write(head[2], source, parsed, head[3], head[4]);
  }

  private replayLogLine(line: Buffer): void {
    if (line.length === 0) return;
    if (line.indexOf(9) >= 0 && line.toString("utf8", 0, 5) === '["i",') {
      this.replayDoc(line);
      return;
    }
    const rec = JSON.parse(line.toString("utf8")) as unknown[];
    const name = rec[1] as string;
    switch (rec[0]) {
      case "ci": {
        const m = rec[2] as { uuid: string; creationDate: number; settings: FlatSettings; mappings: unknown };
        const index = new IndexStore(name, { uuid: m.uuid, creationDate: m.creationDate, settings: m.settings, mapping: new Mapping(m.mappings) });
        this.indices.set(name, index);
        break;
      }
      case "di":
        this.indices.delete(name);
        break;
      case "pm":
        this.indices.get(name)?.mapping.merge(rec[2]);
        break;
      case "ps": {
        const index = this.indices.get(name);
        if (index) {
          index.settings = { ...index.settings, ...(rec[2] as FlatSettings) };
          index.applySettings();
        }
        break;
      }
      case "tp":
        this.templates.put(parseTemplate(name, rec[2]), false);
        this.templateBodies.set(name, rec[2]);
        break;
      case "td":
        this.templates.templates.delete(name);
        this.templateBodies.delete(name);
        break;
      case "d": {
        const index = this.indices.get(name);
        index?.remove(rec[2] as string, rec[3] as number, rec[4] as number);
        break;
      }
      default:
        throw new Error(`unknown write-ahead log record ${String(rec[0])}`);
    }
  }

  /**
   * A snapshot is background work: after each chunk it pauses so that it keeps to its share
   * of the thread (snapshotPacing.ts), judged by how busy requests kept the thread during
   * the previous pause (one unpaced snapshot of a million documents stalled every request
   * for a second or two). Not while closing.
   */
  private async yieldToRequests(busyMs: number): Promise<void> {
    if (this.closing) return;
    const before = performance.eventLoopUtilization();
    await new Promise<void>((resolve) => setTimeout(resolve, pauseAfterChunk(busyMs, this.requestShare)));
    this.requestShare = performance.eventLoopUtilization(before).utilization;
  }

  /** Writes a snapshot and starts a new log segment (also done automatically as the log grows). */
  async snapshot(): Promise<void> {
    if (!this.wal) return;
    await this.wal.snapshot(() => {
      const templates = Object.fromEntries(this.templateBodies);
      const indices = [...this.indices.values()].map((ix) => ({
        meta: { name: ix.name, uuid: ix.uuid, creationDate: ix.creationDate, settings: ix.settings, mappings: ix.mapping.toJSON(), seqNo: ix.seqNo } satisfies SnapshotIndex,
        docs: ix.captureLive(),
      }));
      return async (w: SnapshotWriter) => {
        await w.write(JSON.stringify({ templates, indices: indices.map((i) => i.meta) }) + "\n");
        let n = 0;
        for (const { meta, docs } of indices) {
          // Lines are assembled as bytes: the source is copied from the arena as stored,
          // never decoded to a string and encoded again (most of a snapshot's time, before).
          const prefix = `["i",${JSON.stringify(meta.name)},`;
          let chunk = Buffer.allocUnsafe(SNAPSHOT_CHUNK_BYTES);
          let used = 0;
          let started = performance.now();
          for (const slot of docs.slots) {
            const head = `${prefix}${JSON.stringify(docs.idAt(slot))},${docs.versions[slot]},${docs.seqNos[slot]}]\t`;
            const room = head.length * 3 + docs.arena.lengthOf[slot]! + 1; // UTF-8 takes at most 3 bytes per UTF-16 unit
            if (used + room > chunk.length) {
              const busyMs = performance.now() - started;
              if (used > 0) await w.write(chunk.subarray(0, used));
              await this.yieldToRequests(busyMs);
              chunk = Buffer.allocUnsafe(Math.max(SNAPSHOT_CHUNK_BYTES, room));
              used = 0;
              started = performance.now();
            }
            used += chunk.write(head, used, "utf8");
            used += docs.arena.copyTo(slot, chunk, used);
            chunk[used++] = 0x0a;
            n++;
          }
          if (used > 0) await w.write(chunk.subarray(0, used));
        }
        await w.write(JSON.stringify({ end: true, docs: n }) + "\n");
      };
    });
  }

  async close(): Promise<void> {
    if (!this.wal) return;
    this.closing = true;
    await this.wal.sync();
    if (this.wal.size > 16 * 1024 * 1024) await this.snapshot();
    await this.wal.close();
    this.wal = null;
  }
}

interface SnapshotIndex {
  name: string;
  uuid: string;
  creationDate: number;
  settings: FlatSettings;
  mappings: unknown;
  seqNo: number;
}
