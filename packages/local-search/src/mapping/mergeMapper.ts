// Merging a new definition into an existing mapper (put-mapping, templates,
// dynamic fields): objects merge their properties, fields may change only the
// parameters OpenSearch lets an existing field update.
import { illegalArgument, type SearchError } from "../errors.ts";
import { buildFieldMapper } from "./buildFieldMapper.ts";
import { asBool } from "./paramValues.ts";
import type { FieldMapper, Mapper } from "./types.ts";

function conflict(path: string, detail: string): SearchError {
  return illegalArgument(`Mapper for [${path}] conflicts with existing mapper:\n\t${detail}`);
}

const UPDATABLE = new Set(["ignore_above", "meta", "boost", "search_analyzer", "search_quote_analyzer", "ignore_malformed", "coerce", "eager_global_ordinals"]);

export function mergeMapper(a: Mapper, b: Mapper): Mapper {
  if (a.kind === "object" && b.kind === "object") {
    if (b.dynamic !== null) a.dynamic = b.dynamic;
    if (b.params.enabled !== undefined && asBool(b.params.enabled, true, "enabled") !== a.enabled) {
      throw conflict(a.path, `Cannot update parameter [enabled] from [${a.enabled}] to [${!a.enabled}]`);
    }
    for (const [k, v] of Object.entries(b.params)) a.params[k] = v;
    for (const [name, child] of b.properties) {
      const existing = a.properties.get(name);
      a.properties.set(name, existing ? mergeMapper(existing, child) : child);
    }
    return a;
  }
  if (a.kind !== b.kind) {
    throw illegalArgument(`can't merge a non object mapping [${a.path}] with an object mapping`);
  }
  const fa = a as FieldMapper;
  const fb = b as FieldMapper;
  if (fa.type !== fb.type) throw illegalArgument(`mapper [${fa.path}] cannot be changed from type [${fa.type}] to [${fb.type}]`);
  const keys = new Set([...Object.keys(fa.params), ...Object.keys(fb.params)]);
  for (const k of keys) {
    if (UPDATABLE.has(k) || k === "type") continue;
    if (JSON.stringify(fa.params[k]) !== JSON.stringify(fb.params[k])) {
      throw conflict(fa.path, `Cannot update parameter [${k}] from [${String(fa.params[k] ?? "")}] to [${String(fb.params[k] ?? "")}]`);
    }
  }
  const mergedDef: Record<string, unknown> = { ...fa.params, ...fb.params };
  const fields: Record<string, unknown> = {};
  for (const [n, f] of fa.fields) fields[n] = f.params;
  for (const [n, f] of fb.fields) {
    const old = fa.fields.get(n);
    if (old) mergeMapper(old, f);
    fields[n] = { ...(old?.params ?? {}), ...f.params };
  }
  if (Object.keys(fields).length > 0) mergedDef.fields = fields;
  return buildFieldMapper(fa.name, fa.path, mergedDef, fa.parent);
}
