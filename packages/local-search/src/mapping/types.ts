// The shapes a mapping is made of: field and object mappers, and what parsing a
// document against them yields.
import type { DateFormat } from "../time/dateFormat.ts";

export const NUMERIC_TYPES = ["long", "integer", "short", "byte", "double", "float", "half_float", "scaled_float"] as const;
export type NumericType = (typeof NUMERIC_TYPES)[number];
export type FieldType = NumericType | "text" | "keyword" | "date" | "boolean";

/** How a field's values are stored in columns. */
export type FieldKind = "numeric" | "keyword" | "text";

export interface FieldMapper {
  readonly kind: "field";
  readonly name: string;
  readonly path: string;
  readonly type: FieldType;
  readonly storage: FieldKind;
  /** The definition as given (without "fields"), rendered back by GET _mapping. */
  readonly params: Record<string, unknown>;
  readonly indexed: boolean;
  readonly docValues: boolean;
  readonly dateFormat: DateFormat | null;
  readonly ignoreAbove: number;
  readonly analyzer: string;
  readonly searchAnalyzer: string;
  readonly nullValue: unknown;
  readonly coerce: boolean;
  readonly ignoreMalformed: boolean;
  readonly scalingFactor: number;
  readonly positionIncrementGap: number;
  readonly fields: Map<string, FieldMapper>;
  /** Set for multi-fields: the field whose value they index. */
  readonly parent: FieldMapper | null;
}

export interface ObjectMapper {
  readonly kind: "object";
  readonly name: string;
  readonly path: string;
  dynamic: "true" | "false" | "strict" | null;
  enabled: boolean;
  readonly params: Record<string, unknown>;
  readonly properties: Map<string, Mapper>;
}

export type Mapper = FieldMapper | ObjectMapper;

export interface ParsedDocument {
  /** fields[i] received values[i]: numbers for numeric/date/boolean fields (booleans 1/0), strings for keyword and text */
  fields: FieldMapper[];
  values: (number | string)[];
  /** New mappers introduced by dynamic mapping; apply with Mapping.commit(). */
  pending: PendingMapper[];
}

export interface PendingMapper {
  parent: ObjectMapper;
  name: string;
  mapper: Mapper;
}
