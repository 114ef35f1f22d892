// A JSON value coerced to what a field stores (numbers for numeric, date and
// boolean fields, strings for keyword and text), with OpenSearch's rules for
// coercion, ranges, float precision and ignore_malformed, and its error texts.
import { mapperParsing, SearchError } from "../errors.ts";
import { isObject } from "./paramValues.ts";
import type { FieldMapper } from "./types.ts";

function preview(v: unknown): string {
  if (isObject(v)) return "{" + Object.entries(v).map(([k, x]) => `${k}=${preview(x)}`).join(", ") + "}";
  return String(v);
}

const INT_RANGES: Record<string, [number, number]> = {
  long: [-9223372036854775808, 9223372036854775807],
  integer: [-2147483648, 2147483647],
  short: [-32768, 32767],
  byte: [-128, 127],
};

function toHalfFloat(v: number): number {
  if (!Number.isFinite(v) || v === 0) return v;
  const sign = v < 0 ? -1 : 1;
  const a = Math.abs(v);
  if (a >= 65520) return sign * Infinity;
  if (a < 6.103515625e-5) return sign * Math.round(a / 5.960464477539063e-8) * 5.960464477539063e-8;
  const e = Math.floor(Math.log2(a));
  const step = 2 ** (e - 10);
  return sign * Math.round(a / step) * step;
}

export function fieldError(field: FieldMapper, raw: unknown, id: string, cause: { type: string; reason: string }): SearchError {
  return mapperParsing(
    `failed to parse field [${field.path}] of type [${field.type}] in document with id '${id}'. Preview of field's value: '${preview(raw)}'`,
    cause,
  );
}

/** Coerces one JSON value to the field's stored representation; undefined means "not indexed". */
export function convertValue(field: FieldMapper, raw: unknown, id: string): number | string | undefined {
  try {
    return convertOrThrow(field, raw, id);
  } catch (err) {
    if (field.ignoreMalformed && err instanceof SearchError) return undefined;
    throw err;
  }
}

function convertOrThrow(field: FieldMapper, raw: unknown, id: string): number | string | undefined {
  if (Array.isArray(raw) || isObject(raw)) {
    throw fieldError(field, raw, id, { type: "illegal_state_exception", reason: `Can't get text on a START_OBJECT` });
  }
  switch (field.storage) {
    case "keyword": {
      const s = String(raw);
      return s.length > field.ignoreAbove ? undefined : s;
    }
    case "text":
      return String(raw);
    case "numeric":
      break;
  }
  if (field.type === "boolean") {
    if (raw === true || raw === "true") return 1;
    if (raw === false || raw === "false" || raw === "") return 0;
    throw fieldError(field, raw, id, { type: "illegal_argument_exception", reason: `Failed to parse value [${String(raw)}] as only [true] or [false] are allowed.` });
  }
  if (field.type === "date") {
    if (typeof raw !== "string" && typeof raw !== "number") {
      throw fieldError(field, raw, id, { type: "illegal_argument_exception", reason: `failed to parse date field [${String(raw)}]` });
    }
    const ms = field.dateFormat!.tryParse(raw);
    if (ms === null) {
      throw fieldError(field, raw, id, {
        type: "illegal_argument_exception",
        reason: `failed to parse date field [${String(raw)}] with format [${field.dateFormat!.spec}]`,
      });
    }
    return ms;
  }
  let n: number;
  if (typeof raw === "number") n = raw;
  else if (typeof raw === "string" && field.coerce && raw.trim() !== "" && !Number.isNaN(Number(raw))) n = Number(raw);
  else if (typeof raw === "boolean" || typeof raw === "string") {
    throw fieldError(field, raw, id, { type: "number_format_exception", reason: `For input string: "${String(raw)}"` });
  } else {
    return undefined;
  }
  const range = INT_RANGES[field.type];
  if (range) {
    if (!Number.isInteger(n)) {
      if (!field.coerce) throw fieldError(field, raw, id, { type: "illegal_argument_exception", reason: `Value [${String(raw)}] has a decimal part` });
      n = Math.trunc(n);
    }
    if (n < range[0] || n > range[1]) {
      throw fieldError(field, raw, id, { type: "illegal_argument_exception", reason: `Value [${String(raw)}] is out of range for ${field.type === "long" ? "a long" : "an " + field.type}` });
    }
    return n;
  }
  if (!Number.isFinite(n)) {
    throw fieldError(field, raw, id, { type: "illegal_argument_exception", reason: `[${field.type}] supports only finite values, but got [${String(raw)}]` });
  }
  switch (field.type) {
    case "float":
      return Math.fround(n);
    case "half_float":
      return toHalfFloat(n);
    case "scaled_float":
      return Math.round(n * field.scalingFactor) / field.scalingFactor;
    default:
      return n;
  }
}
