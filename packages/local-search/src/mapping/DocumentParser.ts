// Flattening a document into (field, value) pairs against the mapping, mapping
// new fields dynamically as it goes (without changing the mapping: the caller
// commits the pending mappers once the whole write is accepted).
import { mapperParsing, SearchError } from "../errors.ts";
import { convertValue, fieldError } from "./convertValue.ts";
import { checkTotalFields } from "./fieldLimit.ts";
import { isObject } from "./paramValues.ts";
import type { FieldMapper, Mapper, ObjectMapper, ParsedDocument, PendingMapper } from "./types.ts";

/** What parsing needs of a mapping. */
export interface ParseTarget {
  readonly root: ObjectMapper;
  readonly fieldCount: number;
  readonly totalFieldsLimit: number;
  newDynamicMapper(name: string, path: string, value: unknown): Mapper | undefined;
}

const META_FIELDS = new Set(["_id", "_index", "_source", "_version", "_seq_no", "_primary_term", "_routing", "_field_names", "_ignored", "_type", "_uid", "_parent", "_all", "_size"]);

/**
 * Flattens a document into field values, applying dynamic mapping for new
 * fields. Throws mapper_parsing_exception (or strict_dynamic_mapping_exception)
 * without changing the mapping.
 */
export function parseDocument(mapping: ParseTarget, source: Record<string, unknown>, id: string): ParsedDocument {
  const parser = new DocumentParser(mapping, id);
  for (const k in source) {
    if (k.charCodeAt(0) === 95 /* _ */ && META_FIELDS.has(k)) {
      throw mapperParsing(`Field [${k}] is a metadata field and cannot be added inside a document. Use the index API request parameters.`);
    }
    parser.walk(mapping.root, null, k, source[k]);
  }
  return { fields: parser.fields, values: parser.values, pending: parser.pending };
}

/** Flattens one document into field values; a class (not closures) because it runs for every document written. */
class DocumentParser {
  readonly fields: FieldMapper[] = [];
  readonly values: (number | string)[] = [];
  readonly pending: PendingMapper[] = [];
  private pendingByKey: Map<string, Mapper> | null = null;
  private readonly mapping: ParseTarget;
  private readonly id: string;

  constructor(mapping: ParseTarget, id: string) {
    this.mapping = mapping;
    this.id = id;
  }

  private childOf(obj: ObjectMapper, name: string): Mapper | undefined {
    const m = obj.properties.get(name);
    if (m !== undefined || this.pendingByKey === null) return m;
    return this.pendingByKey.get(obj.path + "\u0000" + name);
  }

  private dynamicMode(obj: ObjectMapper, chain: ObjectChain | null): "true" | "false" | "strict" {
    if (obj.dynamic !== null) return obj.dynamic;
    for (let c = chain; c !== null; c = c.parent) if (c.obj.dynamic !== null) return c.obj.dynamic;
    return this.mapping.root.dynamic ?? "true";
  }

  private addValue(field: FieldMapper, raw: unknown): void {
    if (raw === null) {
      if (field.nullValue === null) return;
      raw = field.nullValue;
    }
    const converted = convertValue(field, raw, this.id);
    if (converted === undefined) return;
    if (field.indexed || field.docValues) {
      this.fields.push(field);
      this.values.push(converted);
    }
    if (field.fields.size === 0) return;
    for (const sub of field.fields.values()) {
      const sv = convertValue(sub, raw, this.id);
      if (sv === undefined) continue;
      this.fields.push(sub);
      this.values.push(sv);
    }
  }

  walk(obj: ObjectMapper, chain: ObjectChain | null, name: string, value: unknown): void {
    if (name === "") throw mapperParsing(`field name cannot be an empty string`);
    if (name.includes(".")) {
      // {"a.b": 1} is indexed as {"a": {"b": 1}}
      const dot = name.indexOf(".");
      this.walk(obj, chain, name.slice(0, dot), { [name.slice(dot + 1)]: value });
      return;
    }
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) this.walk(obj, chain, name, value[i]);
      return;
    }
    let mapper = this.childOf(obj, name);
    if (mapper === undefined) {
      if (value === null) return;
      const mode = this.dynamicMode(obj, chain);
      if (mode === "false") return;
      if (mode === "strict") {
        throw new SearchError(400, "strict_dynamic_mapping_exception", `mapping set to strict, dynamic introduction of [${name}] within [${obj.path || "_doc"}] is not allowed`);
      }
      const path = obj.path ? `${obj.path}.${name}` : name;
      mapper = this.mapping.newDynamicMapper(name, path, value);
      if (mapper === undefined) return;
      this.pending.push({ parent: obj, name, mapper });
      (this.pendingByKey ??= new Map()).set(obj.path + "\u0000" + name, mapper);
      checkTotalFields(this.mapping.totalFieldsLimit, this.mapping.fieldCount + this.pending.length, this.pending.length);
    }
    if (mapper.kind === "object") {
      if (value === null) return;
      if (!isObject(value)) {
        throw mapperParsing(`object mapping for [${mapper.path}] tried to parse field [${name}] as object, but found a concrete value`);
      }
      if (!mapper.enabled) return;
      const next: ObjectChain = { obj, parent: chain };
      for (const k in value) this.walk(mapper, next, k, value[k]);
      return;
    }
    if (value !== null && typeof value === "object") {
      // Here and not in convertValue: ignore_malformed does not excuse an object where a value belongs.
      throw fieldError(mapper, value, this.id, { type: "illegal_state_exception", reason: `Can't get text on a START_OBJECT` });
    }
    this.addValue(mapper, value);
  }
}

interface ObjectChain {
  obj: ObjectMapper;
  parent: ObjectChain | null;
}
