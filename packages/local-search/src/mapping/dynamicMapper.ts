// Dynamic mapping: the mapper OpenSearch gives a field that a document
// introduces, from its JSON value (integers → long, other numbers → float,
// detected dates → date, other strings → text with a keyword sub-field,
// booleans, objects), unless a dynamic template says otherwise.
import { buildFieldMapper } from "./buildFieldMapper.ts";
import type { DynamicDateFormats } from "./dateFormats.ts";
import type { DynamicTemplates } from "./DynamicTemplates.ts";
import { buildObjectMapper } from "./objectMappers.ts";
import { isObject } from "./paramValues.ts";
import type { Mapper } from "./types.ts";

/** The root settings that steer dynamic mapping. */
export interface DynamicRules {
  readonly dateDetection: boolean;
  readonly numericDetection: boolean;
  readonly dynamicDates: DynamicDateFormats;
  readonly dynamicTemplates: DynamicTemplates;
}

/** The mapper for a new field holding `value`; undefined for a value no field is made for. */
export function dynamicMapper(rules: DynamicRules, name: string, path: string, value: unknown): Mapper | undefined {
  let matchType: string;
  let def: Record<string, unknown>;
  if (isObject(value)) {
    matchType = "object";
    def = { type: "object" };
  } else if (typeof value === "boolean") {
    matchType = "boolean";
    def = { type: "boolean" };
  } else if (typeof value === "number") {
    matchType = Number.isInteger(value) ? "long" : "double";
    def = { type: Number.isInteger(value) ? "long" : "float" };
  } else if (typeof value === "string") {
    matchType = "string";
    def = { type: "text", fields: { keyword: { type: "keyword", ignore_above: 256 } } };
    const date = rules.dateDetection ? rules.dynamicDates.detect(value) : null;
    if (date !== null) {
      matchType = "date";
      def = date;
    }
    if (matchType === "string" && rules.numericDetection) {
      const n = Number(value);
      if (value.trim() !== "" && Number.isFinite(n)) {
        matchType = Number.isInteger(n) && !/[.eE]/.test(value) ? "long" : "double";
        def = { type: matchType === "long" ? "long" : "float" };
      }
    }
  } else {
    return undefined;
  }
  const mapping = rules.dynamicTemplates.mappingFor(name, path, matchType);
  if (mapping !== undefined) {
    if (matchType === "object" || mapping.type === "object" || (mapping.type === undefined && mapping.properties !== undefined)) {
      return buildObjectMapper(name, path, { ...mapping, type: undefined } as Record<string, unknown>);
    }
    if (mapping.type === undefined) mapping.type = def.type;
    return buildFieldMapper(name, path, mapping);
  }
  if (matchType === "object") return buildObjectMapper(name, path, {});
  return buildFieldMapper(name, path, def);
}
