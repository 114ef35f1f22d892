// One index: documents in slots (a new slot per write, like Lucene segments),
// _source bytes, per-field columns, live and searchable ("refreshed") bitsets,
// versions and sequence numbers, and near-real-time refresh.
import { randomBytes } from "node:crypto";
import { getAnalyzer, type Token } from "../text/analyzer.ts";
import { clearBit, growBitset, newBitset, setBit, toSlots, type Bitset } from "./bitset.ts";
import type { Column } from "./Column.ts";
import { grow } from "./grow.ts";
import { KeywordColumn } from "./KeywordColumn.ts";
import { NumericColumn } from "./NumericColumn.ts";
import { TextColumn } from "./TextColumn.ts";
import { Mapping } from "../mapping/Mapping.ts";
import type { FieldMapper, ParsedDocument } from "../mapping/types.ts";
import { parseDuration, type FlatSettings } from "./indexSettings.ts";
import { StringTable } from "./StringTable.ts";
import { SourceArena } from "./SourceArena.ts";

export interface DocState {
  slot: number;
  version: number;
  seqNo: number;
}

export interface Tombstone {
  version: number;
  seqNo: number;
  at: number;
}

const INITIAL_CAPACITY = 1024;
/**
 * Past this share of its capacity an index doubles its arrays ahead of need, one array
 * per event-loop turn (growAhead). Doubling all of them at the write that needs the
 * room stopped the thread ~0.6 s at 8M trades (a gigabyte allocated, half of it copied).
 */
const GROW_AHEAD_AT = 0.75;
/**
 * Dead revisions are dropped at refresh once they outnumber the live documents and
 * this floor. Keeping the cost amortised needs only dead > live (a merge rewrites the
 * live set); the floor is kept small because a few hot documents updated every second
 * (a candle per timeframe, a quote per symbol) otherwise hold thousands of revisions
 * each: with a floor of 50,000 a demo's launcher grew about 13 MB a minute for most of
 * an hour. Lucene's merge policy likewise keeps deletes a bounded share of an index.
 */
const MIN_DEAD_REVISIONS_TO_MERGE = 1_000;
/** Tombstones (kept index.gc_deletes for versioning) are not swept below this many. */
const MIN_TOMBSTONES_TO_SWEEP = 100_000;

export function newIndexUuid(): string {
  return randomBytes(16).toString("base64url").slice(0, 22);
}

export class IndexStore {
  readonly name: string;
  /** The name as a JSON string literal, for hot serialisation paths. */
  readonly jsonName: string;
  readonly uuid: string;
  readonly creationDate: number;
  settings: FlatSettings;
  mapping: Mapping;
  readonly primaryTerm = 1;
  /** Highest sequence number issued. */
  seqNo = -1;

  capacity = INITIAL_CAPACITY;
  /** A growth ahead is under way (growAhead). */
  private growing = false;
  /** Bumped when compaction replaces every array: a growth ahead of the old ones stops. */
  private arraysEpoch = 0;
  slotCount = 0;
  /** Document ids, interned off the heap (StringTable); idOfSlot[slot] and slotOfId[id] link them. */
  idTable = new StringTable();
  idOfSlot = new Int32Array(INITIAL_CAPACITY);
  /** The live slot of each interned id; -1 when it has none (deleted). */
  private slotOfId = new Int32Array(INITIAL_CAPACITY).fill(-1);
  versions = new Float64Array(INITIAL_CAPACITY);
  seqNos = new Float64Array(INITIAL_CAPACITY);
  live: Bitset = newBitset(INITIAL_CAPACITY);
  liveCount = 0;
  /** The refreshed view that searches see. */
  visible: Bitset = newBitset(INITIAL_CAPACITY);
  visibleCount = 0;
  arena = new SourceArena(INITIAL_CAPACITY);
  readonly tombstones = new Map<string, Tombstone>();
  /** Tombstones are swept when the map grows past this; see deleteSlot. */
  private tombstoneSweepAt = MIN_TOMBSTONES_TO_SWEEP;
  columns = new Map<string, Column>();
  /** Bumped whenever the searchable view changes; caches key on it. */
  generation = 0;
  private dirty = false;
  private lastWriteAt = 0;
  private refreshIntervalMs: number;
  private gcDeletesMs: number;
  /** Per-generation caches (text statistics, term dictionaries sorted, ...). */
  readonly cache = new Map<string, unknown>();

  constructor(name: string, opts: { uuid?: string; creationDate?: number; settings: FlatSettings; mapping: Mapping }) {
    this.name = name;
    this.jsonName = JSON.stringify(name);
    this.uuid = opts.uuid ?? newIndexUuid();
    this.creationDate = opts.creationDate ?? Date.now();
    this.settings = opts.settings;
    this.mapping = opts.mapping;
    this.refreshIntervalMs = 1000;
    this.gcDeletesMs = 60_000;
    this.applySettings();
  }

  applySettings(): void {
    this.refreshIntervalMs = parseDuration(this.settings["index.refresh_interval"] ?? "1s", "index.refresh_interval");
    this.gcDeletesMs = parseDuration(this.settings["index.gc_deletes"] ?? "60s", "index.gc_deletes");
    const limit = this.settings["index.mapping.total_fields.limit"];
    if (limit !== undefined) this.mapping.totalFieldsLimit = Number(limit);
  }

  get maxResultWindow(): number {
    return Number(this.settings["index.max_result_window"] ?? "10000");
  }

  get replicas(): number {
    return Number(this.settings["index.number_of_replicas"] ?? "1");
  }

  /** The live document for an id (real time: not limited to the refreshed view). */
  lookup(id: string): DocState | null {
    const slot = this.slotOf(id);
    if (slot === undefined) return null;
    return { slot, version: this.versions[slot]!, seqNo: this.seqNos[slot]! };
  }

  /** Version of a recently deleted document, kept for index.gc_deletes like OpenSearch. */
  tombstone(id: string, now = Date.now()): Tombstone | null {
    const t = this.tombstones.get(id);
    if (!t) return null;
    if (now - t.at > this.gcDeletesMs) {
      this.tombstones.delete(id);
      return null;
    }
    return t;
  }

  /** The live slot of an id (real time). */
  slotOf(id: string): number | undefined {
    const tid = this.idTable.find(id);
    const slot = tid < 0 ? -1 : this.slotOfId[tid]!;
    return slot < 0 ? undefined : slot;
  }

  /** The id of a slot's document. */
  idAt(slot: number): string {
    return this.idTable.at(this.idOfSlot[slot]!);
  }

  sourceString(slot: number): string {
    return this.arena.getString(slot);
  }

  /** Room for slots below n: every array at least `capacity` long (those grown ahead are left as they are). */
  private ensureCapacity(n: number): void {
    if (n <= this.capacity) return;
    let cap = this.capacity;
    while (cap < n) cap *= 2;
    this.growArrays(cap);
  }

  private growArrays(cap: number): void {
    for (const step of this.growthSteps(cap)) step();
    this.capacity = cap;
  }

  /** Each array of the index grown to `cap`, one step per array (a no-op for one already that long). */
  private growthSteps(cap: number): Array<() => void> {
    return [
      () => (this.versions = grow(this.versions, cap)),
      () => (this.seqNos = grow(this.seqNos, cap)),
      () => (this.idOfSlot = grow(this.idOfSlot, cap)),
      () => (this.live = growBitset(this.live, cap)),
      () => this.arena.ensure(cap),
      ...[...this.columns.values()].map((c) => () => c.ensure(cap)),
    ];
  }

  /**
   * Doubles the arrays before the slots run out, one per event-loop turn so that requests
   * run between them; the last turn grows whatever is left (fields added meanwhile) and
   * raises the capacity. A write that needs the room first grows it all at once.
   */
  private growAhead(): void {
    const cap = this.capacity * 2;
    const epoch = this.arraysEpoch;
    const steps = this.growthSteps(cap);
    this.growing = true;
    const step = (): void => {
      if (this.arraysEpoch !== epoch || this.capacity >= cap) {
        this.growing = false;
        return;
      }
      const next = steps.shift();
      if (next) {
        next();
        setImmediate(step);
        return;
      }
      this.growing = false;
      this.growArrays(cap);
    };
    setImmediate(step);
  }

  column(field: FieldMapper): Column | undefined {
    return this.columns.get(field.path);
  }

  private columnFor(field: FieldMapper): Column {
    let c = this.columns.get(field.path);
    if (c === undefined || c.kind !== field.storage) {
      c = field.storage === "numeric" ? new NumericColumn(this.capacity) : field.storage === "keyword" ? new KeywordColumn(this.capacity) : new TextColumn(this.capacity);
      this.columns.set(field.path, c);
    }
    return c;
  }

  get hasUnrefreshedChanges(): boolean {
    return this.dirty;
  }

  /** Called before each write: emulates the periodic refresh (index.refresh_interval). */
  private scheduledRefresh(now: number): void {
    if (this.dirty && this.refreshIntervalMs > 0 && Math.floor(now / this.refreshIntervalMs) > Math.floor(this.lastWriteAt / this.refreshIntervalMs)) {
      this.refresh();
    }
  }

  /** Makes the writes of past refresh ticks searchable; call before searching. */
  maybeRefresh(now = Date.now()): void {
    this.scheduledRefresh(now);
  }

  /** Stores a new revision of a document in a fresh slot; the previous one (if any) stops being live. */
  write(id: string, source: Buffer | string, parsed: ParsedDocument, version: number, seqNo: number, now = Date.now()): number {
    this.scheduledRefresh(now);
    this.mapping.commit(parsed.pending);
    const tid = this.internId(id);
    const previous = this.slotOfId[tid]!;
    if (previous >= 0) {
      clearBit(this.live, previous);
      this.liveCount--;
    }
    const slot = this.slotCount;
    this.ensureCapacity(slot + 1);
    this.slotCount++;
    if (!this.growing && this.slotCount > this.capacity * GROW_AHEAD_AT) this.growAhead();
    this.idOfSlot[slot] = tid;
    this.versions[slot] = version;
    this.seqNos[slot] = seqNo;
    this.arena.put(slot, source);
    setBit(this.live, slot);
    this.liveCount++;
    this.slotOfId[tid] = slot;
    this.tombstones.delete(id);
    this.indexValues(slot, parsed);
    if (seqNo > this.seqNo) this.seqNo = seqNo;
    this.dirty = true;
    this.lastWriteAt = now;
    return slot;
  }

  private indexValues(slot: number, parsed: ParsedDocument): void {
    let texts: Map<FieldMapper, string[]> | null = null;
    const fields = parsed.fields;
    const values = parsed.values;
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i]!;
      const value = values[i]!;
      if (f.storage === "text") {
        if (!f.indexed) continue;
        texts ??= new Map();
        const list = texts.get(f);
        if (list) list.push(value as string);
        else texts.set(f, [value as string]);
        continue;
      }
      const col = this.columnFor(f);
      if (col.kind === "numeric") col.add(slot, value as number);
      else if (col.kind === "keyword") col.add(slot, value as string);
    }
    if (texts) {
      for (const [f, values] of texts) {
        const analyze = getAnalyzer(f.analyzer);
        const tokens: Token[] = [];
        let base = 0;
        for (const text of values) {
          const toks = analyze(text);
          for (const t of toks) tokens.push({ term: t.term, position: base + t.position });
          base += (toks.length > 0 ? toks[toks.length - 1]!.position + 1 : 0) + f.positionIncrementGap;
        }
        (this.columnFor(f) as TextColumn).addDoc(slot, tokens);
      }
    }
  }

  /** Removes the live document for an id, leaving a tombstone with its delete version. */
  remove(id: string, version: number, seqNo: number, now = Date.now()): void {
    this.scheduledRefresh(now);
    const tid = this.idTable.find(id);
    const slot = tid < 0 ? -1 : this.slotOfId[tid]!;
    if (slot >= 0) {
      clearBit(this.live, slot);
      this.liveCount--;
      this.slotOfId[tid] = -1;
      this.dirty = true;
    }
    this.tombstones.set(id, { version, seqNo, at: now });
    if (seqNo > this.seqNo) this.seqNo = seqNo;
    this.lastWriteAt = now;
    if (this.tombstones.size > this.tombstoneSweepAt) {
      this.pruneTombstones(now);
      // The next sweep waits until the map has doubled. A fixed threshold rescanned every
      // tombstone on every further delete once a big _delete_by_query passed it (none of
      // them old enough to go): quadratic, and the local retention of a 2,000 trades/s
      // demo (120,000 deletes a minute) stalled the endpoint for minutes.
      this.tombstoneSweepAt = Math.max(MIN_TOMBSTONES_TO_SWEEP, 2 * this.tombstones.size);
    }
  }

  /** A sequence number consumed without changing a document (delete of a missing id). */
  noteSeqNo(seqNo: number): void {
    if (seqNo > this.seqNo) this.seqNo = seqNo;
  }

  private internId(id: string): number {
    const tid = this.idTable.intern(id);
    if (tid >= this.slotOfId.length) this.slotOfId = grow(this.slotOfId, Math.max(tid + 1, this.slotOfId.length * 2), -1);
    return tid;
  }

  private pruneTombstones(now: number): void {
    for (const [id, t] of this.tombstones) if (now - t.at > this.gcDeletesMs) this.tombstones.delete(id);
  }

  refresh(): void {
    if (!this.dirty && this.visible.length >= this.live.length) return;
    const dead = this.slotCount - this.liveCount;
    if (dead > MIN_DEAD_REVISIONS_TO_MERGE && dead > this.liveCount) this.compact();
    if (this.visible.length !== this.live.length) this.visible = new Uint32Array(this.live.length);
    this.visible.set(this.live);
    this.visibleCount = this.liveCount;
    this.dirty = false;
    this.generation++;
    this.cache.clear();
  }

  /** `_forcemerge`: drops dead revisions now, instead of when they outnumber live documents. */
  forceMerge(): boolean {
    const merged = this.slotCount > this.liveCount;
    if (merged) this.compact();
    this.dirty = true;
    this.refresh();
    return merged;
  }

  /** Rewrites live documents into fresh slots, dropping dead revisions (like a Lucene merge). */
  private compact(): void {
    const oldTable = this.idTable;
    const oldIdOf = this.idOfSlot;
    const oldVersions = this.versions;
    const oldSeqNos = this.seqNos;
    const oldArena = this.arena;
    const oldLive = this.live;
    const oldCount = this.slotCount;
    let cap = INITIAL_CAPACITY;
    while (cap < this.liveCount + 1) cap *= 2;
    this.capacity = cap;
    this.arraysEpoch++;
    this.slotCount = 0;
    // Ids of dropped revisions and deleted documents go with the old table.
    this.idTable = new StringTable();
    this.idOfSlot = new Int32Array(cap);
    this.slotOfId = new Int32Array(cap).fill(-1);
    this.versions = new Float64Array(cap);
    this.seqNos = new Float64Array(cap);
    this.live = newBitset(cap);
    this.arena = new SourceArena(cap);
    this.columns = new Map();
    let count = 0;
    for (let s = 0; s < oldCount; s++) {
      if (((oldLive[s >>> 5] ?? 0) & (1 << (s & 31))) === 0) continue;
      const id = oldTable.at(oldIdOf[s]!);
      const bytes = oldArena.getBytes(s);
      const parsed = this.mapping.parseDocument(JSON.parse(bytes.toString("utf8")) as Record<string, unknown>, id);
      const slot = this.slotCount++;
      const tid = this.internId(id);
      this.idOfSlot[slot] = tid;
      this.versions[slot] = oldVersions[s]!;
      this.seqNos[slot] = oldSeqNos[s]!;
      this.arena.put(slot, bytes);
      setBit(this.live, slot);
      this.slotOfId[tid] = slot;
      this.indexValues(slot, parsed);
      count++;
    }
    this.liveCount = count;
  }

  /** Live documents, for snapshots: references stay valid while later writes go to new slots. */
  captureLive(): { slots: Int32Array; idAt(slot: number): string; versions: Float64Array; seqNos: Float64Array; arena: SourceArena } {
    // The live bitset gives them in slot order: no array of millions of numbers to sort while requests wait.
    const slots = toSlots(this.live);
    // Later writes append to this table and these arrays (or replace them, on growth or compaction): captured slots keep their ids.
    const table = this.idTable;
    const idOf = this.idOfSlot;
    return { slots, idAt: (slot) => table.at(idOf[slot]!), versions: this.versions, seqNos: this.seqNos, arena: this.arena };
  }

  memoryEstimate(): { sourceBytes: number; docs: number; slots: number } {
    return { sourceBytes: this.arena.allocatedBytes(), docs: this.liveCount, slots: this.slotCount };
  }
}
