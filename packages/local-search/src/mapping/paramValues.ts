// Reading mapping parameters as OpenSearch does: objects are plain JSON objects,
// booleans may also be the strings "true" and "false".
import { mapperParsing } from "../errors.ts";

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function asBool(v: unknown, def: boolean, what: string): boolean {
  if (v === undefined) return def;
  if (v === true || v === "true") return true;
  if (v === false || v === "false") return false;
  throw mapperParsing(`Failed to parse value [${String(v)}] as only [true] or [false] are allowed for [${what}]`);
}
