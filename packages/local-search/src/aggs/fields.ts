// Binding aggregations to field columns of the current index, with
// OpenSearch's errors for unsupported field types.
import type { Column } from "../index/Column.ts";
import type { KeywordColumn } from "../index/KeywordColumn.ts";
import type { NumericColumn } from "../index/NumericColumn.ts";
import { compileDateFormat, type DateFormat } from "../time/dateFormat.ts";
import { illegalArgument, LOCAL, parsingError } from "../errors.ts";
import type { IndexStore } from "../index/IndexStore.ts";
import type { FieldMapper } from "../mapping/types.ts";
import { fielddataError } from "../hits/sort.ts";

export interface Bound {
  field: FieldMapper | null;
  column: Column | null;
}

export function fieldParam(body: Record<string, unknown>, agg: string, name: string, required = true): string | null {
  const f = body.field;
  if (f === undefined) {
    if (required) throw illegalArgument(`Required one of fields [field, script], but none were specified. (aggregation [${name}] of type [${agg}])`);
    return null;
  }
  if (typeof f !== "string") throw parsingError(`[${agg}] [field] must be a string`);
  if (f.startsWith("_") && ["_id", "_index", "_source", "_seq_no", "_version", "_routing", "_primary_term", "_score"].includes(f)) {
    throw illegalArgument(`aggregating on metadata field [${f}] is not supported by ${LOCAL}`);
  }
  return f;
}

export function bind(index: IndexStore, path: string | null, agg: string, accept: "numeric" | "any"): Bound {
  if (path === null) return { field: null, column: null };
  const field = index.mapping.field(path);
  if (!field) return { field: null, column: null };
  if (field.storage === "text") throw fielddataError(index, field);
  if (accept === "numeric" && field.storage !== "numeric") {
    throw illegalArgument(`Field [${path}] of type [${field.type}] is not supported for aggregation [${agg}]`);
  }
  return { field, column: index.column(field) ?? null };
}

export function asNumeric(b: Bound): NumericColumn | null {
  return b.column && b.column.kind === "numeric" ? b.column : null;
}

export function asKeyword(b: Bound): KeywordColumn | null {
  return b.column && b.column.kind === "keyword" ? b.column : null;
}

/** Formatter for value_as_string / key_as_string: the agg's format, else the date field's format. */
export function valueFormat(field: FieldMapper | null, format: unknown): DateFormat | null {
  if (format !== undefined && format !== null) {
    if (typeof format !== "string") throw parsingError("[format] must be a string");
    if (field && field.type !== "date") throw illegalArgument(`[format] on numeric field [${field.path}] (DecimalFormat patterns) is not supported by ${LOCAL}`);
    return compileDateFormat(format);
  }
  if (field && field.type === "date") return field.dateFormat;
  return null;
}
