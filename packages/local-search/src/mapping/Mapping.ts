// An index's mapping: the root object's settings (dynamic, date and numeric
// detection, dynamic_date_formats, dynamic_templates, _meta), merging
// definitions in (create index, put mapping, templates), field lookup by path,
// and GET _mapping. Each concern it delegates lives beside it in this folder.
import { LOCAL, mapperParsing } from "../errors.ts";
import { DynamicDateFormats } from "./dateFormats.ts";
import { parseDocument } from "./DocumentParser.ts";
import { dynamicMapper } from "./dynamicMapper.ts";
import { DynamicTemplates } from "./DynamicTemplates.ts";
import { checkTotalFields, DEFAULT_TOTAL_FIELDS_LIMIT } from "./fieldLimit.ts";
import { mergeMapper } from "./mergeMapper.ts";
import { addProperties, parseDynamic } from "./objectMappers.ts";
import { asBool, isObject } from "./paramValues.ts";
import { renderProperties } from "./renderProperties.ts";
import type { FieldMapper, Mapper, ObjectMapper, ParsedDocument, PendingMapper } from "./types.ts";

const ROOT_PARAMS = new Set(["properties", "dynamic", "date_detection", "numeric_detection", "dynamic_date_formats", "dynamic_templates", "_meta", "_source", "_routing", "enabled"]);

export class Mapping {
  readonly root: ObjectMapper;
  dateDetection = true;
  numericDetection = false;
  readonly dynamicDates = new DynamicDateFormats();
  readonly dynamicTemplates = new DynamicTemplates();
  meta: Record<string, unknown> | null = null;
  totalFieldsLimit = DEFAULT_TOTAL_FIELDS_LIMIT;
  private byPath = new Map<string, FieldMapper>();
  private objectPaths = new Map<string, ObjectMapper>();
  /** Bumped on every change so that caches keyed on the mapping can notice. */
  version = 0;

  constructor(json?: unknown) {
    this.root = { kind: "object", name: "", path: "", dynamic: "true", enabled: true, params: {}, properties: new Map() };
    if (json !== undefined) this.merge(json);
    else this.reindex();
  }

  /** Adds/merges a mapping definition (create index, put mapping, templates). */
  merge(json: unknown): void {
    if (!isObject(json)) throw mapperParsing("Failed to parse mapping: mapping must be an object");
    let body = json;
    if (Object.keys(body).length === 1 && isObject(body._doc)) body = body._doc;
    for (const key of Object.keys(body)) {
      if (!ROOT_PARAMS.has(key)) {
        throw mapperParsing(`Root mapping definition has unsupported parameters:  [${key} : ${JSON.stringify(body[key])}]`);
      }
    }
    if (body._source !== undefined) {
      const s = body._source;
      if (!isObject(s) || Object.keys(s).some((k) => k !== "enabled" || s[k] !== true)) {
        throw mapperParsing(`[_source] options other than enabled=true are not supported by ${LOCAL}`);
      }
    }
    if (body._routing !== undefined) throw mapperParsing(`[_routing] is not supported by ${LOCAL}`);
    if (body.enabled !== undefined && !asBool(body.enabled, true, "enabled")) throw mapperParsing(`disabling the root object is not supported by ${LOCAL}`);
    if (body.dynamic !== undefined) this.root.dynamic = parseDynamic(body.dynamic) ?? "true";
    if (body.date_detection !== undefined) this.dateDetection = asBool(body.date_detection, true, "date_detection");
    if (body.numeric_detection !== undefined) this.numericDetection = asBool(body.numeric_detection, false, "numeric_detection");
    if (body.dynamic_date_formats !== undefined) this.dynamicDates.set(body.dynamic_date_formats);
    if (body.dynamic_templates !== undefined) this.dynamicTemplates.merge(body.dynamic_templates);
    if (body._meta !== undefined) {
      if (!isObject(body._meta)) throw mapperParsing("[_meta] must be an object");
      this.meta = body._meta;
    }
    if (body.properties !== undefined) addProperties(this.root, body.properties);
    this.reindex();
    checkTotalFields(this.totalFieldsLimit, this.byPath.size);
  }

  private reindex(): void {
    this.byPath.clear();
    this.objectPaths.clear();
    const walk = (obj: ObjectMapper): void => {
      for (const m of obj.properties.values()) {
        if (m.kind === "object") {
          this.objectPaths.set(m.path, m);
          walk(m);
        } else {
          this.byPath.set(m.path, m);
          for (const sub of m.fields.values()) this.byPath.set(sub.path, sub);
        }
      }
    };
    walk(this.root);
    this.version++;
  }

  field(path: string): FieldMapper | undefined {
    return this.byPath.get(path);
  }

  isObjectPath(path: string): boolean {
    return this.objectPaths.has(path);
  }

  fieldPaths(): string[] {
    return [...this.byPath.keys()];
  }

  fieldsUnder(prefix: string): FieldMapper[] {
    const out: FieldMapper[] = [];
    for (const [p, f] of this.byPath) if (p.startsWith(prefix + ".")) out.push(f);
    return out;
  }

  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    if (this.root.dynamic !== "true") out.dynamic = this.root.dynamic;
    if (!this.dateDetection) out.date_detection = false;
    if (this.numericDetection) out.numeric_detection = true;
    const dynamicDateFormats = this.dynamicDates.render();
    if (dynamicDateFormats !== undefined) out.dynamic_date_formats = dynamicDateFormats;
    const dynamicTemplates = this.dynamicTemplates.render();
    if (dynamicTemplates !== undefined) out.dynamic_templates = dynamicTemplates;
    if (this.meta) out._meta = this.meta;
    if (this.root.properties.size > 0) out.properties = renderProperties(this.root);
    return out;
  }

  /**
   * Flattens a document into field values, applying dynamic mapping for new
   * fields. Throws mapper_parsing_exception (or strict_dynamic_mapping_exception)
   * without changing the mapping; call commit() with the result afterwards.
   */
  parseDocument(source: Record<string, unknown>, id: string): ParsedDocument {
    return parseDocument(this, source, id);
  }

  /** @internal used by DocumentParser */
  newDynamicMapper(name: string, path: string, value: unknown): Mapper | undefined {
    return dynamicMapper(this, name, path, value);
  }

  /** @internal */
  get fieldCount(): number {
    return this.byPath.size;
  }

  commit(pending: PendingMapper[]): void {
    if (pending.length === 0) return;
    for (const p of pending) {
      const existing = p.parent.properties.get(p.name);
      p.parent.properties.set(p.name, existing ? mergeMapper(existing, p.mapper) : p.mapper);
    }
    this.reindex();
  }
}
